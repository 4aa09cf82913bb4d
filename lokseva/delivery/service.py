"""Queries and state changes of deliveries, inside the caller's unit of work.

Every state change goes through `move`, which asks the lifecycle first and
writes the history row with it, so state and history never disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lokseva.applications import service as applications
from lokseva.applications.lifecycle import Status
from lokseva.certificates.models import Certificate
from lokseva.clock import aware, now_utc  # noqa: F401 - also as service.aware / service.now_utc in this capability
from lokseva.delivery.lifecycle import OPEN_STATES, DeliveryAddress, DeliveryStatus, check_transition
from lokseva.delivery.models import Delivery, DeliveryStatusHistory


def lock(session: Session, delivery_id: int) -> Delivery:
    """The delivery row, locked until the transaction ends. SQLite has no row
    locks: a no-op UPDATE takes its write lock before anything is read."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(sa.text("UPDATE deliveries SET id = id WHERE id = :id"), {"id": delivery_id})
    return session.execute(
        sa.select(Delivery)
        .where(Delivery.id == delivery_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def certificate_in_force(session: Session, application_id: int) -> Optional[Certificate]:
    return session.execute(
        sa.select(Certificate).where(Certificate.application_id == application_id, Certificate.revoked_at.is_(None))
    ).scalar_one_or_none()


def open_delivery(session: Session, certificate_id: int) -> Optional[Delivery]:
    return session.execute(
        sa.select(Delivery).where(
            Delivery.certificate_id == certificate_id,
            Delivery.status.in_([s.value for s in OPEN_STATES]),
        )
    ).scalar_one_or_none()


def new_delivery(
    session: Session,
    application,
    certificate: Certificate,
    address: DeliveryAddress,
    address_source: str,
    fee_paise: int,
    by: str,
) -> Delivery:
    """A new delivery: waiting for its fee (the caller asks the payments ledger
    for it, lokseva.delivery.fees), or requested at once when there is none.
    Raises IntegrityError if the certificate already has an open delivery."""
    status = DeliveryStatus.PAYMENT_PENDING if fee_paise > 0 else DeliveryStatus.REQUESTED
    delivery = Delivery(
        certificate_id=certificate.id,
        application_id=application.id,
        status=status.value,
        village=address.village,
        tehsil=address.tehsil,
        pin=address.pin,
        landmark=address.landmark,
        latitude=address.latitude,
        longitude=address.longitude,
        address_source=address_source,
        fee_paise=fee_paise,
        requested_by=by,
    )
    delivery.history.append(
        DeliveryStatusHistory(from_status=None, to_status=status.value, changed_by=by, changed_at=now_utc(), note="")
    )
    with session.begin_nested():
        session.add(delivery)
        session.flush()
    return delivery


def move(
    session: Session,
    delivery: Delivery,
    target: DeliveryStatus,
    by: str,
    tracking_number: Optional[str] = None,
    note: str = "",
    at: Optional[dt.datetime] = None,
) -> Delivery:
    """The one way to change a delivery's state (lifecycle-checked, with history).
    Delivered also closes the application (certificate_issued -> delivered)."""
    if not by:
        raise ValueError("a delivery change needs to say who made it")
    tracking = check_transition(DeliveryStatus(delivery.status), target, tracking_number)
    moment = at or now_utc()
    delivery.history.append(
        DeliveryStatusHistory(
            from_status=delivery.status,
            to_status=DeliveryStatus(target).value,
            changed_by=by,
            changed_at=moment,
            note=" ".join(note.split())[:500] or (f"tracking {tracking}" if tracking else ""),
        )
    )
    delivery.status = DeliveryStatus(target).value
    if tracking:
        delivery.tracking_number = tracking
    delivery.updated_at = moment
    if DeliveryStatus(target) is DeliveryStatus.DELIVERED:
        application = delivery.application
        if application.status == Status.CERTIFICATE_ISSUED.value:
            applications.change_status(
                session,
                application,
                Status.DELIVERED,
                by=by,
                reason=f"printed copy delivered by speed post {delivery.tracking_number}",
                at=moment,
            )
    session.flush()
    return delivery
