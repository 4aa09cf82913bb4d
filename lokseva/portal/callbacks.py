"""Callback requests: a citizen asked on WhatsApp to talk to a person
(intent request_human, actions/portal.py); staff call back and close them.
Every function takes the caller's unit of work."""

from __future__ import annotations

import datetime as dt
import json
from typing import List, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lokseva.applications.models import Application, Citizen
from lokseva.clock import now_utc
from lokseva.portal import directory
from lokseva.portal.models import CallbackRequest
from lokseva.portal.service import PortalError, Staff
from lokseva.privacy import mask_text


def request_callback(
    session: Session,
    sender_id: str,
    last_messages: Sequence[str],
    language: str,
    call_by: dt.datetime,
    application_id: Optional[str] = None,
    now: Optional[dt.datetime] = None,
) -> Tuple[CallbackRequest, bool]:
    """Notes that a citizen wants a call. A citizen with an open request keeps that
    one (its messages updated): returns (request, created)."""
    now = now or now_utc()
    call_by = call_by.astimezone(dt.timezone.utc)  # SQLite keeps no offset: always store UTC
    masked = [mask_text(m)[:500] for m in last_messages if m][-5:]
    existing = (
        session.execute(
            sa.select(CallbackRequest)
            .where(CallbackRequest.sender_id == sender_id, CallbackRequest.status == "open")
            .order_by(CallbackRequest.id.desc())
        )
        .scalars()
        .first()
    )
    if existing is not None:
        existing.last_messages = json.dumps(masked, ensure_ascii=False)
        existing.application_id = application_id or existing.application_id
        return existing, False
    request = CallbackRequest(
        created_at=now,
        sender_id=sender_id,
        phone_masked=directory.shown(sender_id, directory.phones_of(session, [sender_id]))[:32],
        last_messages=json.dumps(masked, ensure_ascii=False),
        language=language if language in ("hi", "en") else "hi",
        application_id=application_id,
        call_by=call_by,
        status="open",
    )
    session.add(request)
    session.flush()
    return request, True


def _district_of():
    """The district a request belongs to: the citizen's (citizens.district_code,
    kept when they said it), else that of the application they named; NULL when
    neither is known (such requests go to state staff, the call-back desk)."""
    citizen_district = (
        sa.select(Citizen.district_code).where(Citizen.channel_user_id == CallbackRequest.sender_id).scalar_subquery()
    )
    application_district = (
        sa.select(Application.district_code)
        .where(Application.reference == CallbackRequest.application_id)
        .scalar_subquery()
    )
    return sa.func.coalesce(citizen_district, application_district)


def _in_district(query, district: str):
    return query.where(_district_of() == district) if district else query


def list_callbacks(
    session: Session, status: str = "open", limit: int = 200, district: str = ""
) -> List[Tuple[CallbackRequest, Optional[str]]]:
    """(request, its district's code or None), for one district when `district` is given."""
    query = sa.select(CallbackRequest, _district_of().label("district_code"))
    if status in ("open", "called", "closed"):
        query = query.where(CallbackRequest.status == status)
    query = _in_district(query, district)
    order = CallbackRequest.call_by.asc() if status == "open" else CallbackRequest.created_at.desc()
    return [(row[0], row[1]) for row in session.execute(query.order_by(order, CallbackRequest.id).limit(limit))]


def get_callback(session: Session, request_id: int, staff: Optional[Staff] = None) -> CallbackRequest:
    """One request; for a district's staff only one of their district (else PortalError other_district)."""
    request = session.get(CallbackRequest, request_id)
    if request is None:
        raise PortalError("not_found")
    if staff is not None and staff.district_code:
        district = session.execute(
            sa.select(_district_of()).where(CallbackRequest.id == request_id)
        ).scalar_one_or_none()
        if district != staff.district_code:
            raise PortalError("other_district", district or "")
    return request


def update_callback(
    session: Session, request_id: int, status: str, staff: Staff, note: str = "", now: Optional[dt.datetime] = None
) -> CallbackRequest:
    if status not in ("open", "called", "closed"):
        raise PortalError("bad_status")
    request = get_callback(session, request_id, staff)
    request.status = status
    request.handled_by = staff.id
    request.handled_at = now or now_utc()
    if note.strip():
        request.note = note.strip()[:2000]
    return request


def count_open_callbacks(session: Session, district: str = "") -> int:
    query = sa.select(sa.func.count()).select_from(CallbackRequest).where(CallbackRequest.status == "open")
    return session.execute(_in_district(query, district)).scalar_one()
