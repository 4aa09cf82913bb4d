"""Queries and state changes of applications (the repository). Every function
takes the Session of the caller's unit of work (lokseva.db.session_scope), so
that one conversation turn commits all its changes or none."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any, Dict, List, Mapping, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from lokseva.applications import lifecycle, rules
from lokseva.applications.lifecycle import Status
from lokseva.applications.models import (
    Application,
    ApplicationCounter,
    ApplicationDocument,
    Citizen,
    StatusHistory,
)
from lokseva.catalogue import KNOWN_FIELDS, load_catalogue
from lokseva.clock import aware, now_utc
from lokseva.db import get_engine, upgrade_database
from lokseva.db.counters import next_serial
from lokseva.districts import district_by_code
from lokseva.privacy import mask_aadhaar, vault
from lokseva.references import format_application_id
from lokseva.settings import get_settings

logger = logging.getLogger(__name__)

# A half-filled application is offered for resumption this long, then dropped.
DRAFT_LIFETIME = dt.timedelta(hours=24)

# Answers kept in their own columns (staff search and print them); the rest of a
# service's answers go to Application.details.
COLUMN_FIELDS = (
    "applicant_name",
    "relative_name",
    "relative_relation",
    "gender",
    "date_of_birth",
    "address_village",
    "address_tehsil",
    "address_pin",
)
# The service's other answers (the identity proof other than Aadhaar included).
DETAIL_FIELDS = tuple(f for f in KNOWN_FIELDS if f not in COLUMN_FIELDS and f != "identity") + (
    "identity_proof",
    "identity_number",
)
DATE_FIELDS = ("date_of_birth",)

_upgraded: set = set()
_upgrade_lock = threading.Lock()


def engine() -> Engine:
    """The application database, brought to the newest migration on first use
    in this process (the action server needs no separate migration step, and
    `make run` on SQLite and the tests on PostgreSQL work the same way)."""
    url = get_settings().database_url
    if url not in _upgraded:
        with _upgrade_lock:
            if url not in _upgraded:
                upgrade_database(url)
                _upgraded.add(url)
    return get_engine(url)


# ---------------------------------------------------------------- citizens


def find_citizen(session: Session, channel_user_id: str) -> Optional[Citizen]:
    return session.execute(sa.select(Citizen).where(Citizen.channel_user_id == channel_user_id)).scalar_one_or_none()


def get_or_create_citizen(
    session: Session, channel_user_id: str, whatsapp_number: Optional[str] = None, language: Optional[str] = None
) -> Citizen:
    citizen = find_citizen(session, channel_user_id)
    if citizen is None:
        citizen = Citizen(channel_user_id=channel_user_id, language=language or "hi")
        session.add(citizen)
        session.flush()
    if whatsapp_number and citizen.whatsapp_number != whatsapp_number:
        citizen.whatsapp_number = whatsapp_number
    if language and citizen.language != language:
        citizen.language = language
    return citizen


# ---------------------------------------------------------------- drafts


def open_draft(session: Session, citizen: Citizen, now: Optional[dt.datetime] = None) -> Optional[Application]:
    """The citizen's half-filled application of the last 24 hours, if any.
    Older drafts are deleted on the way."""
    now = now or now_utc()
    drafts = (
        session.execute(
            sa.select(Application)
            .where(Application.citizen_id == citizen.id, Application.status == Status.DRAFT.value)
            .order_by(Application.updated_at.desc(), Application.id.desc())
        )
        .scalars()
        .all()
    )
    current = None
    for draft in drafts:
        if current is None and now - aware(draft.updated_at) <= DRAFT_LIFETIME:
            current = draft
        else:
            _delete_draft(session, draft)
    return current


def _apply_values(application: Application, values: Mapping[str, Any]) -> None:
    for field in COLUMN_FIELDS:
        value = values.get(field)
        if field in DATE_FIELDS and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        setattr(application, field, value)
    application.details = {f: values[f] for f in DETAIL_FIELDS if values.get(f) is not None}


def _delete_draft(session: Session, draft: Application) -> None:
    """A draft goes with its Aadhaar number in the vault."""
    vault.discard(session, draft.aadhaar_ref)
    session.delete(draft)


def save_draft(
    session: Session,
    citizen: Citizen,
    service_id: str,
    values: Mapping[str, Any],
    aadhaar_digits: Optional[str] = None,
    language: str = "hi",
    district_code: str = "",
    now: Optional[dt.datetime] = None,
) -> Application:
    """Creates or updates the citizen's draft with the answers so far.

    `values` are canonical answers (dates as ISO text); a field missing from
    it is cleared. `values["aadhaar"]` None clears the stored Aadhaar;
    `aadhaar_digits` stores a new number in the Aadhaar vault.
    """
    now = now or now_utc()
    draft = open_draft(session, citizen, now)
    if draft is None or draft.service_id != service_id:
        if draft is not None:
            _delete_draft(session, draft)
        draft = Application(
            citizen=citizen, service_id=service_id, status=None, district_code=district_code, details={}
        )
        draft.record(lifecycle.transition(draft, Status.DRAFT, by="citizen", reason="started in chat", at=now))
        session.add(draft)
    if district_code:
        draft.district_code = district_code
    _apply_values(draft, values)
    if aadhaar_digits:
        vault.discard(session, draft.aadhaar_ref)
        draft.aadhaar_ref = vault.deposit(session, aadhaar_digits)
        draft.aadhaar_last4 = aadhaar_digits[-4:]
    elif not values.get("aadhaar"):
        vault.discard(session, draft.aadhaar_ref)
        draft.aadhaar_ref = None
        draft.aadhaar_last4 = None
    draft.language = language
    draft.updated_at = now
    session.flush()
    return draft


def draft_values(draft: Application) -> Dict[str, Any]:
    """The draft's answers as the conversation keeps them (Aadhaar masked)."""
    values: Dict[str, Any] = {"application_service": draft.service_id}
    for field in COLUMN_FIELDS:
        value = getattr(draft, field)
        values[field] = value.isoformat() if isinstance(value, dt.date) else value
    values.update({f: draft.details.get(f) for f in DETAIL_FIELDS if draft.details})
    values["aadhaar"] = mask_aadhaar(draft.aadhaar_last4) if draft.aadhaar_last4 else None
    if values["aadhaar"] is None and values.get("identity_proof"):
        values["aadhaar"] = ""  # no Aadhaar: another proof was given instead
    return {k: v for k, v in values.items() if v is not None}


def discard_draft(session: Session, citizen: Citizen) -> bool:
    draft = open_draft(session, citizen)
    if draft is None:
        return False
    _delete_draft(session, draft)
    return True


def purge_expired_drafts(session: Session, now: Optional[dt.datetime] = None) -> int:
    """Deletes drafts untouched for more than 24 hours; returns how many."""
    cutoff = (now or now_utc()) - DRAFT_LIFETIME
    drafts = (
        session.execute(
            sa.select(Application).where(Application.status == Status.DRAFT.value, Application.updated_at < cutoff)
        )
        .scalars()
        .all()
    )
    for draft in drafts:
        _delete_draft(session, draft)
    return len(drafts)


# ---------------------------------------------------------------- ids


def allocate_reference(session: Session, district_code: str, year: int) -> str:
    """The next application id for the district and year, without gaps.

    The counter row is incremented inside the caller's transaction: it stays
    locked until that transaction ends, so concurrent submissions queue, and a
    rolled-back submission gives its number back.
    """
    serial = next_serial(session, ApplicationCounter.__table__, district_code, year)
    return format_application_id(district_code, year, serial)


# ---------------------------------------------------------------- applications


def change_status(
    session: Session,
    application: Application,
    target: Status,
    by: str,
    reason: str = "",
    at: Optional[dt.datetime] = None,
) -> StatusHistory:
    """The one way to change an application's status: checked by the
    lifecycle, recorded in the status history, in the caller's transaction."""
    change = lifecycle.transition(
        application, target, by=by, reason=reason, at=at, reference=application.reference or ""
    )
    if starts_the_clock(change):
        start_clock(application, change.changed_at)
    row = application.record(change)
    application.updated_at = change.changed_at
    session.flush()
    return row


def starts_the_clock(change: lifecycle.StatusChange) -> bool:
    """The office can start work: the fee is paid, or nothing was due on submission."""
    return change.to_status == Status.PAID or (
        change.from_status == Status.SUBMITTED and change.to_status == Status.UNDER_REVIEW
    )


def start_clock(application: Application, at: dt.datetime) -> None:
    """Fixes the guaranteed date from the moment work can start (rules.clock_starts)."""
    service = load_catalogue().get(application.service_id)
    district = district_by_code(application.district_code)
    if service is None or district is None:
        return
    application.due_date = rules.due_date_from(at, service.time_limit, district.working_hours, district.holidays)


def applications_of(session: Session, citizen: Citizen, limit: int = 10) -> List[Application]:
    """The citizen's submitted applications, newest first (drafts excluded)."""
    return list(
        session.execute(
            sa.select(Application)
            .where(Application.citizen_id == citizen.id, Application.status != Status.DRAFT.value)
            .order_by(Application.submitted_at.desc(), Application.id.desc())
            .limit(limit)
        ).scalars()
    )


def find_for_citizen(session: Session, reference: str, channel_user_id: str) -> Optional[Application]:
    """The application with this id if it belongs to this citizen; None
    otherwise, so another citizen's id reveals nothing, not even existence."""
    return session.execute(
        sa.select(Application)
        .join(Citizen, Application.citizen_id == Citizen.id)
        .where(Application.reference == reference, Citizen.channel_user_id == channel_user_id)
    ).scalar_one_or_none()


def find_by_reference(session: Session, reference: str) -> Optional[Application]:
    """For staff and other capabilities; never for answering a citizen."""
    return session.execute(sa.select(Application).where(Application.reference == reference)).scalar_one_or_none()


def add_document(
    session: Session,
    application: Application,
    *,
    filename: str,
    content_type: str,
    size_bytes: int,
    sha256: str,
    storage_key: str,
    kind: str = "other",
    source: str = "whatsapp",
) -> ApplicationDocument:
    """Records a file the citizen sent for `application` (the WhatsApp channel calls this)."""
    document = ApplicationDocument(
        kind=kind,
        filename=filename,
        content_type=content_type,
        size_bytes=size_bytes,
        sha256=sha256,
        storage_key=storage_key,
        source=source,
    )
    application.documents.append(document)
    session.flush()
    return document
