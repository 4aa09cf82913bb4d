"""Multi-step work on applications, each step one unit of work: keep the
chat's draft, submit it (id, fee, due date, receipt), look applications up for
their owner. The Rasa actions call these and only translate."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

from sqlalchemy.engine import Engine

from lokseva.applications import rules, service as repo
from lokseva.applications.fields import NOT_GIVEN, questions
from lokseva.applications.lifecycle import Status
from lokseva.applications.models import Application
from lokseva.catalogue import Service, load_catalogue
from lokseva.clock import aware, today_in_india
from lokseva.db import session_scope
from lokseva.districts import District, district_by_code, district_by_key

logger = logging.getLogger(__name__)


class NoDraft(LookupError):
    """There is no half-filled application to submit (expired or discarded)."""


class IncompleteApplication(ValueError):
    def __init__(self, missing: List[str]):
        super().__init__(f"missing answers: {', '.join(missing)}")
        self.missing = missing


@dataclass(frozen=True)
class ApplicationView:
    """What the citizen may see of one of their applications (plain values,
    usable after the session is closed)."""

    reference: str
    service_id: str
    status: Status
    applicant_name: str
    submitted_on: Optional[dt.date]
    due_date: Optional[dt.date]
    due_date_confirmed: bool
    fee_due_paise: int
    statutory_fee_paise: int
    processing_fee_paise: int
    last_reason: str = ""
    district_code: str = ""

    @classmethod
    def of(cls, application: Application) -> "ApplicationView":
        submitted = aware(application.submitted_at)
        return cls(
            reference=application.reference or "",
            service_id=application.service_id,
            status=Status(application.status),
            applicant_name=application.applicant_name or "",
            submitted_on=today_in_india(submitted) if submitted else None,
            due_date=application.due_date,
            due_date_confirmed=application.due_date_confirmed,
            fee_due_paise=application.fee_due_paise,
            statutory_fee_paise=application.statutory_fee_paise,
            processing_fee_paise=application.processing_fee_paise,
            last_reason=application.history[-1].reason if application.history else "",
            district_code=application.district_code or "",
        )


@dataclass(frozen=True)
class AttachedTo:
    """Where an uploaded document went: a submitted application (reference) or
    the draft being filled (reference None)."""

    service_id: str
    reference: Optional[str]


@dataclass(frozen=True)
class Receipt:
    """The पावती: what the citizen keeps as proof of the application."""

    application: ApplicationView
    fee_note: Optional[Mapping[str, str]]
    fee_beyond_tiers: bool


def missing_answers(service: Service, values: Mapping[str, Any]) -> List[str]:
    """The questions of the service still unanswered (a skipped optional one,
    or "no Aadhaar" followed by another proof, is an answer)."""
    return [
        f
        for f in questions(service, values)
        if values.get(f) is None or (values.get(f) == NOT_GIVEN and f not in service.optional_fields and f != "aadhaar")
    ]


def save_answers(
    channel_user_id: str,
    service_id: str,
    values: Mapping[str, Any],
    aadhaar_digits: Optional[str] = None,
    language: str = "hi",
    whatsapp_number: Optional[str] = None,
    district_key: Optional[str] = None,
    engine: Optional[Engine] = None,
) -> None:
    """Keeps the answers so far as the citizen's draft (survives restarts),
    in the citizen's district once they have said it."""
    district = district_by_key(district_key)
    with session_scope(engine or repo.engine()) as session:
        citizen = repo.get_or_create_citizen(session, channel_user_id, whatsapp_number, language)
        if district is not None:
            citizen.district_code = district.code
        repo.save_draft(
            session,
            citizen,
            service_id,
            values,
            aadhaar_digits=aadhaar_digits,
            language=language,
            district_code=district.code if district else "",
        )


def remember_district(
    channel_user_id: str,
    district_key: str,
    whatsapp_number: Optional[str] = None,
    language: str = "hi",
    engine: Optional[Engine] = None,
) -> None:
    """Keeps the citizen's district for later conversations (and their draft's)."""
    district = district_by_key(district_key)
    if district is None:
        return
    with session_scope(engine or repo.engine()) as session:
        citizen = repo.get_or_create_citizen(session, channel_user_id, whatsapp_number, language)
        citizen.district_code = district.code
        draft = repo.open_draft(session, citizen)
        if draft is not None:
            draft.district_code = district.code


def remembered_district(channel_user_id: str, engine: Optional[Engine] = None) -> Optional[str]:
    """The key of the district the citizen gave in an earlier conversation, if any."""
    with session_scope(engine or repo.engine()) as session:
        citizen = repo.find_citizen(session, channel_user_id)
        district = district_by_code(citizen.district_code) if citizen else None
        return district.key if district else None


def find_draft(
    channel_user_id: str, engine: Optional[Engine] = None, now: Optional[dt.datetime] = None
) -> Optional[Dict[str, Any]]:
    """The answers of the citizen's draft of the last 24 hours, or None."""
    with session_scope(engine or repo.engine()) as session:
        citizen = repo.find_citizen(session, channel_user_id)
        if citizen is None:
            return None
        draft = repo.open_draft(session, citizen, now)
        return repo.draft_values(draft) if draft else None


def discard_draft(channel_user_id: str, engine: Optional[Engine] = None) -> bool:
    with session_scope(engine or repo.engine()) as session:
        citizen = repo.find_citizen(session, channel_user_id)
        return bool(citizen and repo.discard_draft(session, citizen))


def submit_draft(
    channel_user_id: str,
    now: Optional[dt.datetime] = None,
    district: Optional[District] = None,
    engine: Optional[Engine] = None,
) -> Receipt:
    """Submits the citizen's draft: numbers it, fixes fee and due date, and
    moves it submitted -> fee_pending (or under_review when nothing is due),
    all in one transaction."""
    now = now or dt.datetime.now(dt.timezone.utc)
    catalogue = load_catalogue()
    with session_scope(engine or repo.engine()) as session:
        citizen = repo.find_citizen(session, channel_user_id)
        draft = repo.open_draft(session, citizen, now) if citizen else None
        if draft is None:
            raise NoDraft(channel_user_id)
        service = catalogue[draft.service_id]
        values = repo.draft_values(draft)
        missing = list(missing_answers(service, values))
        # the district the citizen chose (a caller may name one: tests, imports)
        district = district or district_by_code(draft.district_code) or district_by_code(draft.citizen.district_code)
        if district is None:
            missing.insert(0, "district")
        if missing or district is None:
            raise IncompleteApplication(missing)

        applied_on = today_in_india(now)
        event_date = draft.details.get("event_date")
        fee = rules.fee_due(service, dt.date.fromisoformat(event_date) if event_date else None, applied_on)
        draft.district_code = district.code
        draft.submitted_at = now
        draft.statutory_fee_paise = fee.statutory
        draft.processing_fee_paise = fee.processing
        draft.fee_due_paise = fee.total
        # Until the fee is paid this is the date if it is paid now; paying (or,
        # with nothing to pay, the move to review) fixes it (repo.start_clock).
        draft.due_date = rules.due_date_from(now, service.time_limit, district.working_hours, district.holidays)
        draft.due_date_confirmed = service.is_confirmed("time_limit")
        repo.change_status(session, draft, Status.SUBMITTED, by="citizen", reason="submitted on WhatsApp", at=now)
        if fee.total > 0:
            repo.change_status(
                session, draft, Status.FEE_PENDING, by="system", reason=f"fee due: {fee.total} paise", at=now
            )
        else:
            repo.change_status(session, draft, Status.UNDER_REVIEW, by="system", reason="no fee due", at=now)
        # The number last: the counter row stays locked until this transaction
        # commits, so the less work after it, the less concurrent submissions wait.
        draft.reference = repo.allocate_reference(session, district.code, applied_on.year)
        session.flush()
        return Receipt(ApplicationView.of(draft), fee.note, fee.beyond_tiers)


def application_for(channel_user_id: str, reference: str, engine: Optional[Engine] = None) -> Optional[ApplicationView]:
    """The citizen's own application with this id, or None (also for another
    citizen's id: nothing is revealed about it)."""
    with session_scope(engine or repo.engine()) as session:
        application = repo.find_for_citizen(session, reference, channel_user_id)
        return ApplicationView.of(application) if application else None


def applications_for(
    channel_user_id: str, engine: Optional[Engine] = None
) -> Tuple[List[ApplicationView], Optional[str]]:
    """(the citizen's submitted applications, newest first; the service id of
    a draft in progress, if any)."""
    with session_scope(engine or repo.engine()) as session:
        citizen = repo.find_citizen(session, channel_user_id)
        if citizen is None:
            return [], None
        draft = repo.open_draft(session, citizen)
        return [ApplicationView.of(a) for a in repo.applications_of(session, citizen)], (
            draft.service_id if draft else None
        )


# Documents can still be added while the office has not decided.
OPEN_FOR_DOCUMENTS = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.FEE_PENDING,
    Status.PAID,
    Status.UNDER_REVIEW,
    Status.MORE_INFO_NEEDED,
)


def attach_document(
    channel_user_id: str,
    *,
    filename: str,
    content_type: str,
    size_bytes: int,
    sha256: str,
    storage_key: str,
    kind: str = "other",
    reference: Optional[str] = None,
    source: str = "whatsapp",
    engine: Optional[Engine] = None,
) -> Optional[AttachedTo]:
    """Records a file the citizen sent (the WhatsApp channel calls this) against
    their application, the one waiting for it most: the one named by
    `reference` if it is theirs, else one where the officer asked for more
    information, else the draft being filled, else their newest application
    still open for papers. None when there is no such application (the file is
    then recorded nowhere; the channel keeps it)."""
    with session_scope(engine or repo.engine()) as session:
        citizen = repo.find_citizen(session, channel_user_id)
        if citizen is None:
            return None
        target = repo.find_for_citizen(session, reference, channel_user_id) if reference else None
        if target is None:
            submitted = [a for a in repo.applications_of(session, citizen) if Status(a.status) in OPEN_FOR_DOCUMENTS]
            asked = [a for a in submitted if Status(a.status) == Status.MORE_INFO_NEEDED]
            target = asked[0] if asked else repo.open_draft(session, citizen) or next(iter(submitted), None)
        if target is None or Status(target.status) not in OPEN_FOR_DOCUMENTS:
            return None
        repo.add_document(
            session,
            target,
            filename=filename,
            content_type=content_type,
            size_bytes=size_bytes,
            sha256=sha256,
            storage_key=storage_key,
            kind=kind,
            source=source,
        )
        logger.info("document %s attached to %s", storage_key, target.reference or "a draft")
        return AttachedTo(target.service_id, target.reference)
