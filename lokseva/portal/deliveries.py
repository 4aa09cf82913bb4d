"""The board of home deliveries (होम डिलीवरी): printed copies of certificates sent
by speed post. The states, their rules and the state change itself are the delivery
capability's (lokseva.delivery.lifecycle, lokseva.delivery.flows.take_step); this
module lists the board and lets staff take the steps of the post room (printed,
dispatched, delivered, returned) in the portal's unit of work (with the audit
entry); the delivery flow gives the citizen's message for each step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lokseva.applications.models import Application, Citizen
from lokseva.certificates.models import Certificate
from lokseva.delivery import flows as delivery_flows
from lokseva.delivery import service as delivery_service
from lokseva.delivery.flows import StepNotice
from lokseva.delivery.lifecycle import DeliveryStatus, InvalidDeliveryValue, InvalidTransition
from lokseva.delivery.models import Delivery
from lokseva.portal.decisions import staff_actor
from lokseva.portal.service import PortalError, Staff
from lokseva.privacy import mask_phone

D = DeliveryStatus
# Columns of the board, in the order the work goes.
BOARD = (D.REQUESTED, D.PRINTED, D.DISPATCHED, D.RETURNED, D.DELIVERED, D.PAYMENT_PENDING, D.CANCELLED)
OPEN = (D.REQUESTED, D.PRINTED, D.DISPATCHED, D.RETURNED)
# What staff may do from each state on the board (cancelling is the citizen's or an admin's matter).
STAFF_MOVES = {
    D.REQUESTED: (D.PRINTED,),
    D.PRINTED: (D.DISPATCHED,),
    D.DISPATCHED: (D.DELIVERED, D.RETURNED),
    D.RETURNED: (D.DISPATCHED,),
}


@dataclass
class BoardCard:
    id: int
    status: str
    reference: str
    certificate_number: str
    applicant_name: str
    address: str  # the board is where envelopes are addressed: shown in full
    phone: str  # masked
    tracking_number: Optional[str]
    updated_at: dt.datetime
    moves: Tuple[str, ...]


def board(
    session: Session, status: str = "open", tehsil: str = "", limit: int = 200, district: str = ""
) -> List[BoardCard]:
    """The cards of one column ("open": all the post room still has to do), of one
    district when `district` is given (the application's district)."""
    query = (
        sa.select(
            Delivery, Application.reference, Application.applicant_name, Certificate.number, Citizen.whatsapp_number
        )
        .join(Application, Delivery.application_id == Application.id)
        .join(Certificate, Delivery.certificate_id == Certificate.id)
        .join(Citizen, Application.citizen_id == Citizen.id)
    )
    if status == "open":
        query = query.where(Delivery.status.in_([s.value for s in OPEN]))
    elif status in {s.value for s in D}:
        query = query.where(Delivery.status == status)
    if tehsil:
        query = query.where(sa.func.lower(Delivery.tehsil) == tehsil.lower())
    if district:
        query = query.where(Application.district_code == district)
    rows = session.execute(query.order_by(Delivery.updated_at.asc(), Delivery.id).limit(limit)).all()
    cards = []
    for delivery, reference, name, number, phone in rows:
        address = ", ".join(p for p in (delivery.village, delivery.landmark, delivery.tehsil, delivery.pin) if p)
        cards.append(
            BoardCard(
                id=delivery.id,
                status=delivery.status,
                reference=reference,
                certificate_number=number,
                applicant_name=name or "",
                address=address,
                phone=mask_phone(phone) if phone else "",
                tracking_number=delivery.tracking_number,
                updated_at=delivery.updated_at,
                moves=tuple(s.value for s in STAFF_MOVES.get(D(delivery.status), ())),
            )
        )
    return cards


def counts(session: Session, district: str = "") -> dict:
    query = sa.select(Delivery.status, sa.func.count()).group_by(Delivery.status)
    if district:
        query = query.join(Application, Delivery.application_id == Application.id).where(
            Application.district_code == district
        )
    return dict(session.execute(query).all())


def move(
    session: Session,
    delivery_id: int,
    target: str,
    staff: Staff,
    tracking_number: str = "",
    note: str = "",
    now: Optional[dt.datetime] = None,
) -> StepNotice:
    """One step on the board, if staff may take it from the board
    (lokseva.delivery.flows.take_step: lifecycle-checked, with history; delivered
    also closes the application), on a delivery of the staff member's district;
    returns the citizen's message for it, written
    in this unit of work (the notification outbox sends it once committed)."""
    found = session.execute(
        sa.select(Delivery.id, Application.district_code)
        .join(Application, Delivery.application_id == Application.id)
        .where(Delivery.id == delivery_id)
    ).first()
    if found is None:
        raise PortalError("not_found")
    if staff.district_code and found.district_code != staff.district_code:
        raise PortalError("other_district", found.district_code or "")
    try:
        target_status = D(target)
    except ValueError:
        raise PortalError("bad_status") from None
    delivery = delivery_service.lock(session, delivery_id)
    current = D(delivery.status)
    if target_status not in STAFF_MOVES.get(current, ()):
        raise PortalError("wrong_status", current.value)
    try:
        return delivery_flows.take_step(
            session,
            delivery.id,
            target_status,
            by=staff_actor(staff),
            tracking_number=tracking_number.strip() or None,
            note=note,
            at=now,
        )
    except (InvalidTransition, InvalidDeliveryValue) as error:
        raise PortalError("tracking_number", str(error)) from None
