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
from typing import List, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokseva.applications.lifecycle import Status
from lokseva.applications.models import Application, Citizen
from lokseva.clock import aware, now_utc  # noqa: F401 - also as service.aware / service.now_utc in this capability
from lokseva.notifications import outbox
from lokseva.payments import lifecycle
from lokseva.payments.fees import FeeBreakdown, FeeLine, fee_breakdown
from lokseva.payments.models import Payment, PaymentEvent

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
        sa.select(Application).where(Application.id == application_id).with_for_update()
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

def unsettled_payment(session: Session, application_id: int, lock: bool = False) -> Optional[Payment]:
    query = sa.select(Payment).where(
        Payment.application_id == application_id, Payment.status.in_(lifecycle.UNSETTLED)
    )
    if lock:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def paid_payment(session: Session, application_id: int) -> Optional[Payment]:
    return session.execute(
        sa.select(Payment).where(Payment.application_id == application_id, Payment.status == lifecycle.PAID)
    ).scalar_one_or_none()


def payments_of(session: Session, application_id: int) -> List[Payment]:
    return list(
        session.execute(
            sa.select(Payment).where(Payment.application_id == application_id).order_by(Payment.attempt)
        ).scalars()
    )


def find_payment(
    session: Session, link_id: Optional[str] = None, reference: Optional[str] = None,
    order_id: Optional[str] = None,
) -> Optional[Payment]:
    """By the gateway's link id, else our reference, else the gateway's order id."""
    for column, value in ((Payment.gateway_link_id, link_id), (Payment.reference, reference),
                          (Payment.gateway_order_id, order_id)):
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
    return f"{application.reference}-P{attempt:02d}"


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
    last = session.execute(
        sa.select(sa.func.max(Payment.attempt)).where(Payment.application_id == application.id)
    ).scalar()
    attempt = (last or 0) + 1
    payment = Payment(
        application_id=application.id,
        reference=payment_reference(application, attempt),
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
    session: Session, payment: Payment, target: str, source: str, note: str = "",
    gateway_ref: Optional[str] = None,
) -> None:
    """Changes the payment's status through its lifecycle, with a history line."""
    lifecycle.check_move(payment.status, target)
    previous = payment.status
    payment.status = target
    payment.updated_at = now_utc()
    if previous == lifecycle.OPEN and target != lifecycle.OPEN:
        # Its link and failed-attempt messages, if still waiting, are no longer true.
        outbox.withdraw(session, f"payment:{payment.id}", list(WHILE_OPEN),
                        f"payment {target} before the message went")
    add_event(session, payment, "status", source, from_status=previous, to_status=target,
              note=note, gateway_ref=gateway_ref)


def add_event(
    session: Session, payment: Payment, kind: str, source: str, from_status: Optional[str] = None,
    to_status: Optional[str] = None, note: str = "", gateway_ref: Optional[str] = None,
) -> bool:
    """Adds a history line; False if the same (kind, gateway_ref) was recorded before."""
    event = PaymentEvent(
        payment_id=payment.id, kind=kind, source=source, from_status=from_status, to_status=to_status,
        note=note[:2000], gateway_ref=gateway_ref, at=now_utc(),
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

def open_payment_ids(session: Session) -> List[int]:
    return list(session.execute(
        sa.select(Payment.id).where(Payment.status == lifecycle.OPEN).order_by(Payment.id)
    ).scalars())


def pending_payment_ids(session: Session, created_before: dt.datetime) -> List[int]:
    return list(session.execute(
        sa.select(Payment.id)
        .where(Payment.status == lifecycle.PENDING, Payment.created_at < created_before)
        .order_by(Payment.id)
    ).scalars())
