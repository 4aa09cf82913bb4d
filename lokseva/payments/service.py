"""Queries and state changes of payments (the repository). Every function takes
the Session of the caller's unit of work (lokseva.db.session_scope); flows.py
decides what to do, these only read and write.

Lock order, everywhere: the application row first, then its payments. Two
processes recording the same payment (a webhook and the reconciliation job, or
a webhook delivered twice) therefore queue on the application's row, and the
second one sees what the first one did.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokseva.applications.lifecycle import Status
from lokseva.applications.models import Application, Citizen
from lokseva.clock import aware, now_utc  # noqa: F401 - also as service.aware / service.now_utc in this capability
from lokseva.money import require_paise
from lokseva.notifications import outbox
from lokseva.payments import lifecycle, purposes
from lokseva.payments.fees import HOME_DELIVERY, FeeBreakdown, FeeLine, fee_breakdown
from lokseva.payments.models import Payment, PaymentEvent
from lokseva.payments.purposes import APPLICATION_FEE

# The messages true only while a payment's link can be paid (lokseva.payments.notices).
WHILE_OPEN = ("payment_link", "payment_link_new", "payment_failed")

log = logging.getLogger(__name__)


# ------------------------------------------------------------- applications


def application_fee(application: Application) -> FeeBreakdown:
    """The exact amount owed for `application`, line by line, in paise.

    The lines come from the application (fixed at submission from the
    catalogue); home delivery counts only if the application carries it
    (the delivery capability adds those columns)."""
    return fee_breakdown(
        statutory_paise=application.statutory_fee_paise or 0,
        processing_paise=application.processing_fee_paise or 0,
        home_delivery_paise=getattr(application, "home_delivery_fee_paise", 0) or 0,
        home_delivery=bool(getattr(application, "home_delivery", False)),
    )


def lock_application(session: Session, application_id: int) -> Application:
    """The application row, locked until the transaction ends (SELECT … FOR UPDATE).

    SQLite has no row locks: a no-op UPDATE takes its database write lock
    first, so that what is read next is current and stays so until commit."""
    if session.get_bind().dialect.name == "sqlite":
        # Plain SQL: a Core UPDATE would also bump updated_at (its onupdate).
        session.execute(sa.text("UPDATE applications SET id = id WHERE id = :id"), {"id": application_id})
    return session.execute(
        sa.select(Application)
        .where(Application.id == application_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def awaiting_fee(session: Session, channel_user_id: str) -> List[Application]:
    """The citizen's applications waiting for their fee, oldest first."""
    return list(
        session.execute(
            sa.select(Application)
            .join(Citizen, Application.citizen_id == Citizen.id)
            .where(Citizen.channel_user_id == channel_user_id, Application.status == Status.FEE_PENDING.value)
            .order_by(Application.submitted_at, Application.id)
        ).scalars()
    )


# ------------------------------------------------------------- payments


def _of(purpose: str, subject_id: int):
    return sa.and_(Payment.purpose == purpose, Payment.subject_id == subject_id)


def unsettled_for(session: Session, purpose: str, subject_id: int, lock: bool = False) -> Optional[Payment]:
    """The subject's payment that may still turn into money (at most one)."""
    query = sa.select(Payment).where(_of(purpose, subject_id), Payment.status.in_(lifecycle.UNSETTLED))
    if lock:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def unsettled_payment(session: Session, application_id: int, lock: bool = False) -> Optional[Payment]:
    """The application fee's payment that may still turn into money."""
    return unsettled_for(session, APPLICATION_FEE, application_id, lock=lock)


def paid_payment(session: Session, application_id: int) -> Optional[Payment]:
    """The application fee's paid payment, if any."""
    return session.execute(
        sa.select(Payment).where(_of(APPLICATION_FEE, application_id), Payment.status == lifecycle.PAID)
    ).scalar_one_or_none()


def payments_of(session: Session, application_id: int) -> List[Payment]:
    """The application fee's payments, oldest first."""
    return list(
        session.execute(
            sa.select(Payment).where(_of(APPLICATION_FEE, application_id)).order_by(Payment.attempt)
        ).scalars()
    )


def all_payments_of(session: Session, application_id: int) -> List[Payment]:
    """Every fee paid or asked for in the application's name (its fee, postage, …), oldest first."""
    return list(
        session.execute(
            sa.select(Payment).where(Payment.application_id == application_id).order_by(Payment.id)
        ).scalars()
    )


def find_payment(
    session: Session,
    link_id: Optional[str] = None,
    reference: Optional[str] = None,
    order_id: Optional[str] = None,
) -> Optional[Payment]:
    """By the gateway's link id, else our reference, else the gateway's order id."""
    for column, value in (
        (Payment.gateway_link_id, link_id),
        (Payment.reference, reference),
        (Payment.gateway_order_id, order_id),
    ):
        if value:
            found = session.execute(sa.select(Payment).where(column == value)).scalar_one_or_none()
            if found is not None:
                return found
    return None


def relock(session: Session, payment: Payment) -> Payment:
    """The payment again, locked and freshly read (after its application was locked)."""
    return session.execute(
        sa.select(Payment).where(Payment.id == payment.id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


def payment_reference(application: Application, attempt: int) -> str:
    """JBA-2026-000123-P01: the application id and the attempt (Razorpay allows 40 characters)."""
    return purposes.reference(application.reference, APPLICATION_FEE, attempt)


def new_payment(
    session: Session,
    application: Application,
    fee: FeeBreakdown,
    gateway: str,
    expires_at: dt.datetime,
    source: str,
    note: str = "",
) -> Payment:
    """A pending payment (no gateway link yet). Raises IntegrityError when the
    application already has an unsettled one (another process got there first)."""
    last = session.execute(sa.select(sa.func.max(Payment.attempt)).where(_of(APPLICATION_FEE, application.id))).scalar()
    attempt = (last or 0) + 1
    return _add_pending(
        session,
        application,
        APPLICATION_FEE,
        application.id,
        payment_reference(application, attempt),
        attempt,
        fee,
        gateway,
        expires_at,
        source,
        note,
    )


def new_postage(
    session: Session,
    application: Application,
    delivery_id: int,
    amount_paise: int,
    gateway: str,
    expires_at: dt.datetime,
    source: str,
) -> Payment:
    """A pending postage payment for the home delivery `delivery_id` of the
    application, in the caller's unit of work (the delivery is made in the same
    one): reference …-D01, …-D02 for the application's second postage fee."""
    earlier = session.execute(
        sa.select(sa.func.count(Payment.id)).where(
            Payment.application_id == application.id, Payment.purpose == purposes.POSTAGE
        )
    ).scalar()
    reference = purposes.reference(application.reference, purposes.POSTAGE, (earlier or 0) + 1)
    fee = FeeBreakdown((FeeLine(HOME_DELIVERY, require_paise(amount_paise)),))
    return _add_pending(
        session,
        application,
        purposes.POSTAGE,
        delivery_id,
        reference,
        1,
        fee,
        gateway,
        expires_at,
        source,
        "postage of a home delivery",
    )


def _add_pending(
    session: Session,
    application: Application,
    purpose: str,
    subject_id: int,
    reference: str,
    attempt: int,
    fee: FeeBreakdown,
    gateway: str,
    expires_at: dt.datetime,
    source: str,
    note: str,
) -> Payment:
    payment = Payment(
        application_id=application.id,
        purpose=purpose,
        subject_id=subject_id,
        reference=reference,
        attempt=attempt,
        amount_paise=fee.total_paise,
        currency="INR",
        fee_lines=[{"kind": line.kind, "paise": line.paise} for line in fee.lines],
        status=lifecycle.PENDING,
        gateway=gateway,
        expires_at=expires_at,
    )
    with session.begin_nested():
        session.add(payment)
        session.flush()
    add_event(session, payment, "status", source, to_status=lifecycle.PENDING, note=note)
    return payment


def fee_of_payment(payment: Payment) -> FeeBreakdown:
    return FeeBreakdown(tuple(FeeLine(line["kind"], int(line["paise"])) for line in payment.fee_lines or []))


def move(
    session: Session,
    payment: Payment,
    target: str,
    source: str,
    note: str = "",
    gateway_ref: Optional[str] = None,
) -> None:
    """Changes the payment's status through its lifecycle, with a history line."""
    lifecycle.check_move(payment.status, target)
    previous = payment.status
    payment.status = target
    payment.updated_at = now_utc()
    if previous == lifecycle.OPEN and target != lifecycle.OPEN:
        # Its link and failed-attempt messages, if still waiting, are no longer true.
        outbox.withdraw(session, f"payment:{payment.id}", list(WHILE_OPEN), f"payment {target} before the message went")
    add_event(
        session, payment, "status", source, from_status=previous, to_status=target, note=note, gateway_ref=gateway_ref
    )


def add_event(
    session: Session,
    payment: Payment,
    kind: str,
    source: str,
    from_status: Optional[str] = None,
    to_status: Optional[str] = None,
    note: str = "",
    gateway_ref: Optional[str] = None,
) -> bool:
    """Adds a history line; False if the same (kind, gateway_ref) was recorded before."""
    event = PaymentEvent(
        payment_id=payment.id,
        kind=kind,
        source=source,
        from_status=from_status,
        to_status=to_status,
        note=note[:2000],
        gateway_ref=gateway_ref,
        at=now_utc(),
    )
    if gateway_ref is None:
        session.add(event)
        session.flush()
        return True
    try:
        with session.begin_nested():
            session.add(event)
            session.flush()
        return True
    except IntegrityError:
        return False


# ------------------------------------------------------------- what the jobs look at


def open_payment_ids(session: Session) -> List[Tuple[int, str]]:
    """(id, purpose) of every open link, whatever it is for."""
    return [
        (row.id, row.purpose)
        for row in session.execute(
            sa.select(Payment.id, Payment.purpose).where(Payment.status == lifecycle.OPEN).order_by(Payment.id)
        )
    ]


def pending_payment_ids(session: Session, created_before: dt.datetime) -> List[int]:
    return list(
        session.execute(
            sa.select(Payment.id)
            .where(Payment.status == lifecycle.PENDING, Payment.created_at < created_before)
            .order_by(Payment.id)
        ).scalars()
    )
