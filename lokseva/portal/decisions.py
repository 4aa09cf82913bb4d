"""The designated officer's work on applications: the queue, one application's
file, and the decisions (approve, reject with a reason, ask for documents,
re-issue a revoked certificate with a reason).

Status changes go through the applications lifecycle (lokseva.applications.
service.change_status), which records who, when and why. Certificates are
issued by lokseva.certificates.service.issue_certificate, which also writes the
PDF's message for the citizen. Citizens hear of a rejection or a request for
documents by a notification written in the decision's unit of work
(lokseva.notifications): committed with the decision or not at all, sent after
it by the channel, retried while WhatsApp or Rasa are away, and shown to staff
if it fails for good.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lokseva.appeals import officework
from lokseva.applications import service as applications
from lokseva.applications.parsing import InvalidInput, parse_name
from lokseva.applications.lifecycle import OFFICE_IS_RESPONSIBLE, REISSUABLE, Status
from lokseva.applications.models import Application, ApplicationDocument, Citizen
from lokseva.catalogue import Catalogue, load_catalogue
from lokseva.certificates.models import Certificate
from lokseva.delivery.models import Delivery
from lokseva.notifications import outbox
from lokseva.payments.models import Payment
from lokseva.portal import messaging
from lokseva.portal.models import StaffUser
from lokseva.portal.service import PortalError, Staff
from lokseva.privacy import mask_phone
from lokseva.references import parse_application_id
from lokseva.text import digits as phone_digits

logger = logging.getLogger(__name__)

# What the office still has to act on (the queue's default).
AWAITING = (Status.SUBMITTED, Status.PAID, Status.UNDER_REVIEW, Status.MORE_INFO_NEEDED)
# A decision starts from under review; these are brought there first (and the history says so).
TO_REVIEW_FIRST = (Status.PAID, Status.MORE_INFO_NEEDED)
REJECTABLE = (Status.SUBMITTED, Status.FEE_PENDING, Status.PAID, Status.UNDER_REVIEW, Status.MORE_INFO_NEEDED)
MIN_REASON = 10


def staff_actor(staff: Staff) -> str:
    return f"staff:{staff.id}"


# --- the queue ------------------------------------------------------------------


@dataclass
class QueueFilter:
    service: str = ""
    status: str = "awaiting"  # awaiting | all | one Status value
    district: str = ""  # a district code; empty: every district (state staff only)
    tehsil: str = ""
    overdue: bool = False  # past the guaranteed date, office responsible
    due_within: Optional[int] = None  # due in the next N days, office responsible
    search: str = ""  # an application id or the last digits of a phone


@dataclass
class QueueRow:
    reference: str
    service_id: str
    applicant_name: str
    tehsil: str
    phone: str  # masked
    status: str
    submitted_at: Optional[dt.datetime]
    due_date: Optional[dt.date]
    days_left: Optional[int]
    overdue: bool


def queue(
    session: Session, filters: QueueFilter, today: dt.date, limit: int = 50, offset: int = 0
) -> Tuple[List[QueueRow], int]:
    query = (
        sa.select(Application, Citizen.whatsapp_number)
        .join(Citizen, Application.citizen_id == Citizen.id)
        .where(Application.status != Status.DRAFT.value, Application.reference.isnot(None))
    )
    if filters.status == "awaiting":
        query = query.where(Application.status.in_([s.value for s in AWAITING]))
    elif filters.status in {s.value for s in Status}:
        query = query.where(Application.status == filters.status)
    if filters.service:
        query = query.where(Application.service_id == filters.service)
    if filters.district:
        query = query.where(Application.district_code == filters.district)
    if filters.tehsil:
        query = query.where(sa.func.lower(Application.address_tehsil) == filters.tehsil.lower())
    responsible = Application.status.in_([s.value for s in OFFICE_IS_RESPONSIBLE])
    if filters.overdue:
        query = query.where(responsible, Application.due_date < today)
    if filters.due_within is not None:
        query = query.where(
            responsible,
            Application.due_date >= today,
            Application.due_date <= today + dt.timedelta(days=filters.due_within),
        )
    search = filters.search.strip()
    if search:
        reference = parse_application_id(search)
        digits = phone_digits(search)
        if reference:
            query = query.where(Application.reference == reference)
        elif len(digits) >= 4:
            query = query.where(Citizen.whatsapp_number.like(f"%{digits}"))
        else:
            query = query.where(sa.false())
    total = session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.order_by(Application.due_date.asc().nulls_last(), Application.submitted_at.asc(), Application.id)
        .limit(limit)
        .offset(offset)
    ).all()
    result = []
    for application, phone in rows:
        left = (application.due_date - today).days if application.due_date else None
        status = Status(application.status)
        result.append(
            QueueRow(
                reference=application.reference,
                service_id=application.service_id,
                applicant_name=application.applicant_name or "",
                tehsil=application.address_tehsil or "",
                phone=mask_phone(phone) if phone else "",
                status=application.status,
                submitted_at=application.submitted_at,
                due_date=application.due_date,
                days_left=left,
                overdue=left is not None and left < 0 and status in OFFICE_IS_RESPONSIBLE,
            )
        )
    return result, total


def counts_by_status(session: Session, tehsil: str = "", district: str = "") -> Dict[str, int]:
    query = sa.select(Application.status, sa.func.count()).where(Application.status != Status.DRAFT.value)
    if district:
        query = query.where(Application.district_code == district)
    if tehsil:
        query = query.where(sa.func.lower(Application.address_tehsil) == tehsil.lower())
    return dict(session.execute(query.group_by(Application.status)).all())


def overdue_count(session: Session, today: dt.date, tehsil: str = "", district: str = "") -> int:
    query = (
        sa.select(sa.func.count())
        .select_from(Application)
        .where(Application.status.in_([s.value for s in OFFICE_IS_RESPONSIBLE]), Application.due_date < today)
    )
    if district:
        query = query.where(Application.district_code == district)
    if tehsil:
        query = query.where(sa.func.lower(Application.address_tehsil) == tehsil.lower())
    return session.execute(query).scalar_one()


# --- one application ----------------------------------------------------------------


def get(session: Session, reference: str, lock: bool = False) -> Application:
    canonical = parse_application_id(reference or "")
    if not canonical:
        raise PortalError("not_found")
    query = sa.select(Application).where(Application.reference == canonical)
    if lock:
        query = query.with_for_update()
    application = session.execute(query).scalar_one_or_none()
    if application is None:
        raise PortalError("not_found")
    return application


def check_district(staff: Staff, application: Application) -> None:
    """A district's staff see and work on their own district's applications only."""
    if staff.district_code and application.district_code != staff.district_code:
        raise PortalError("other_district", application.district_code or "")


def check_tehsil(staff: Staff, application: Application) -> None:
    """An officer posted to one tehsil decides that tehsil's applications only
    (and, like all district staff, only in their district)."""
    check_district(staff, application)
    if (
        staff.role == "designated_officer"
        and staff.tehsil
        and (application.address_tehsil or "").lower() != staff.tehsil.lower()
    ):
        raise PortalError("other_tehsil", application.address_tehsil or "")


def actor_names(session: Session, actors: Sequence[str]) -> Dict[str, str]:
    """'staff:7' -> 'ravi.kumar'; citizen, system, payments stay as they are."""
    staff_ids = {a: int(a[6:]) for a in actors if a.startswith("staff:") and a[6:].isdigit()}
    names: Dict[int, str] = {}
    if staff_ids:
        names = dict(
            session.execute(
                sa.select(StaffUser.id, StaffUser.username).where(StaffUser.id.in_(set(staff_ids.values())))
            ).all()
        )
    return {a: names.get(staff_ids[a], a) if a in staff_ids else a for a in actors}


@dataclass
class ApplicationFile:
    application: Application
    service_name: Dict[str, str]
    documents_required: List[Dict[str, str]]
    phone: str  # masked
    aadhaar: Optional[str]  # masked: last four digits only
    details: List[Tuple[str, Any]]
    history: List[Dict[str, Any]]
    documents: List[ApplicationDocument]
    payments: List[Any] = field(default_factory=list)
    certificates: List[Any] = field(default_factory=list)
    deliveries: List[Any] = field(default_factory=list)
    notifications: List[Any] = field(default_factory=list)  # what the citizen was (to be) told, newest first
    days_left: Optional[int] = None
    overdue: bool = False

    @property
    def reissuable(self) -> bool:
        """Its certificate was revoked and none is in force: it can be re-issued."""
        return (
            Status(self.application.status) in REISSUABLE
            and bool(self.certificates)
            and not any(c.revoked_at is None for c in self.certificates)
        )


def application_file(
    session: Session, reference: str, today: dt.date, catalogue: Optional[Catalogue] = None
) -> ApplicationFile:
    application = get(session, reference)
    service = (catalogue or load_catalogue()).get(application.service_id)
    history_rows = list(application.history)
    names = actor_names(session, [h.changed_by for h in history_rows])
    history = [
        {
            "at": h.changed_at,
            "from": h.from_status,
            "to": h.to_status,
            "by": names.get(h.changed_by, h.changed_by),
            "reason": h.reason,
        }
        for h in history_rows
    ]
    details = [(key, value) for key, value in sorted((application.details or {}).items())]
    left = (application.due_date - today).days if application.due_date else None
    return ApplicationFile(
        application=application,
        service_name=dict(service.name) if service else {"hi": application.service_id, "en": application.service_id},
        documents_required=[dict(d) for d in service.documents] if service else [],
        phone=mask_phone(application.citizen.whatsapp_number) if application.citizen.whatsapp_number else "",
        aadhaar=application.aadhaar_masked,
        details=details,
        history=history,
        documents=list(application.documents),
        # Every fee in the application's name, from the one ledger: its fee, postage, …
        payments=list(
            session.execute(
                sa.select(Payment).where(Payment.application_id == application.id).order_by(Payment.id)
            ).scalars()
        ),
        certificates=list(
            session.execute(
                sa.select(Certificate).where(Certificate.application_id == application.id).order_by(Certificate.id)
            ).scalars()
        ),
        deliveries=list(
            session.execute(
                sa.select(Delivery).where(Delivery.application_id == application.id).order_by(Delivery.id)
            ).scalars()
        ),
        notifications=outbox.listing(session, subject=outbox.application_subject(application.reference)),
        days_left=left,
        overdue=left is not None and left < 0 and Status(application.status) in OFFICE_IS_RESPONSIBLE,
    )


def application_of_certificate(session: Session, number: str) -> Application:
    application = session.execute(
        sa.select(Application)
        .join(Certificate, Certificate.application_id == Application.id)
        .where(Certificate.number == number)
    ).scalar_one_or_none()
    if application is None:
        raise PortalError("not_found")
    return application


def document(session: Session, reference: str, document_id: int) -> ApplicationDocument:
    application = get(session, reference)
    found = next((d for d in application.documents if d.id == document_id), None)
    if found is None:
        raise PortalError("not_found")
    return found


# --- decisions ------------------------------------------------------------------------


@dataclass(frozen=True)
class CitizenNotice:
    """A message for the citizen, written in the notification outbox in the
    decision's unit of work (sent once the decision is committed)."""

    phone: Optional[str]
    reference: str
    text: str
    language: str
    citizen_id: Optional[int] = None
    notification_id: Optional[int] = None  # None: the citizen has no WhatsApp number


def _notice(session: Session, application: Application, text: str, language: str) -> CitizenNotice:
    citizen = application.citizen
    notification_id = None
    if citizen.whatsapp_number:
        # Message status_changed, so it also reaches a citizen outside WhatsApp's 24-hour window.
        notification_id = outbox.enqueue(
            session,
            citizen.id,
            "status_changed",
            {"application_id": application.reference, "status": text},
            language,
            subject=outbox.application_subject(application.reference),
        )
    return CitizenNotice(citizen.whatsapp_number, application.reference, text, language, citizen.id, notification_id)


def _to_review(session: Session, application: Application, staff: Staff, now: dt.datetime) -> None:
    if Status(application.status) in TO_REVIEW_FIRST:
        applications.change_status(
            session, application, Status.UNDER_REVIEW, by=staff_actor(staff), reason="taken up for decision", at=now
        )


def _refuse_unless(application: Application, allowed: Sequence[Status]) -> None:
    if Status(application.status) not in allowed:
        raise PortalError("wrong_status", application.status)


def _late_reason(
    session: Session, application: Application, to: Status, reason: str, staff: Staff, now: dt.datetime
) -> None:
    """A decision after the guaranteed date needs the officer's reason, kept for the
    appeal officer (lokseva.appeals.officework)."""
    try:
        officework.record_late_decision(session, application, to.value, reason, staff_actor(staff), now)
    except officework.LateReasonNeeded:
        raise PortalError("late_reason_needed") from None


def child_name_missing(application: Application) -> bool:
    """A birth certificate names the child: a parent who had no name yet skipped it
    ("अभी नहीं": added later), and the certificate is made only once it is there.
    (Issuing it without the name is not among the confirmed rules, docs/facts.)"""
    name = " ".join(str((application.details or {}).get("subject_name") or "").split())
    return application.service_id == "birth_certificate" and not name


def approve(
    session: Session, reference: str, staff: Staff, now: Optional[dt.datetime] = None, late_reason: str = ""
) -> Application:
    """under review (or paid / more info needed) -> approved. The certificate is
    issued right after, in its own unit of work (issue_certificate). After the
    guaranteed date, `late_reason` is required. A birth certificate without the
    child's name is not approved (ask_for_child_name)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    application = get(session, reference, lock=True)
    check_tehsil(staff, application)
    _refuse_unless(application, (Status.UNDER_REVIEW,) + TO_REVIEW_FIRST)
    if child_name_missing(application):
        raise PortalError("child_name_missing")
    _late_reason(session, application, Status.APPROVED, late_reason, staff, now)
    _to_review(session, application, staff, now)
    applications.change_status(session, application, Status.APPROVED, by=staff_actor(staff), reason="approved", at=now)
    return application


def reissue(session: Session, reference: str, staff: Staff, reason: str) -> Application:
    """Checks that the officer may re-issue this application's revoked
    certificate; the certificate is re-issued right after, in its own unit of
    work (reissue_certificate), which moves the application through the lifecycle."""
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise PortalError("reason_needed")
    application = get(session, reference, lock=True)
    check_tehsil(staff, application)
    _refuse_unless(application, tuple(REISSUABLE))
    return application


def _language(application: Application) -> str:
    return application.language or application.citizen.language or "hi"


def reject(
    session: Session,
    reference: str,
    staff: Staff,
    reason: str,
    now: Optional[dt.datetime] = None,
    late_reason: str = "",
) -> CitizenNotice:
    """Rejects with a reason the citizen reads; the notice carries the appeal rights.
    After the guaranteed date, `late_reason` (why so late) is required too."""
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise PortalError("reason_needed")
    now = now or dt.datetime.now(dt.timezone.utc)
    application = get(session, reference, lock=True)
    check_tehsil(staff, application)
    _refuse_unless(application, REJECTABLE)
    _late_reason(session, application, Status.REJECTED, late_reason, staff, now)
    _to_review(session, application, staff, now)
    applications.change_status(session, application, Status.REJECTED, by=staff_actor(staff), reason=reason, at=now)
    service = load_catalogue().get(application.service_id)
    language = _language(application)
    return _notice(session, application, messaging.rejected(reason, service, language), language)


def request_documents(
    session: Session,
    reference: str,
    staff: Staff,
    documents: Sequence[str],
    note: str = "",
    now: Optional[dt.datetime] = None,
) -> CitizenNotice:
    """Asks the citizen on WhatsApp for documents; the application waits in more_info_needed."""
    wanted = [" ".join(d.split()) for d in documents if d and d.strip()]
    note = " ".join((note or "").split())
    if not wanted and len(note) < MIN_REASON:
        raise PortalError("documents_needed")
    now = now or dt.datetime.now(dt.timezone.utc)
    application = get(session, reference, lock=True)
    check_tehsil(staff, application)
    _refuse_unless(application, (Status.UNDER_REVIEW,) + TO_REVIEW_FIRST)
    _to_review(session, application, staff, now)
    reason = "; ".join(wanted + ([note] if note else []))
    applications.change_status(
        session, application, Status.MORE_INFO_NEEDED, by=staff_actor(staff), reason=reason[:2000], at=now
    )
    language = _language(application)
    return _notice(session, application, messaging.documents_requested(wanted, note, language), language)


def ask_for_child_name(
    session: Session, reference: str, staff: Staff, now: Optional[dt.datetime] = None
) -> CitizenNotice:
    """The officer would approve, but the child has no name on the application: the
    parent is asked on WhatsApp (through the outbox) to tell it, and the application
    waits in more_info_needed until the officer writes it in (enter_child_name)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    application = get(session, reference, lock=True)
    check_tehsil(staff, application)
    _refuse_unless(application, (Status.UNDER_REVIEW,) + TO_REVIEW_FIRST)
    if not child_name_missing(application):
        raise PortalError("wrong_status", application.status)
    _to_review(session, application, staff, now)
    applications.change_status(
        session, application, Status.MORE_INFO_NEEDED, by=staff_actor(staff), reason=CHILD_NAME_REASON, at=now
    )
    language = _language(application)
    return _notice(session, application, messaging.child_name_requested(application.reference, language), language)


CHILD_NAME_REASON = "child's name needed for the certificate"


def enter_child_name(session: Session, reference: str, staff: Staff, name: str) -> str:
    """The child's name as the parent told it (on the call back, at the Kendra), written
    into the application by the officer; returns it as it will be printed."""
    application = get(session, reference, lock=True)
    check_tehsil(staff, application)
    _refuse_unless(application, (Status.UNDER_REVIEW, Status.APPROVED) + TO_REVIEW_FIRST)
    if application.service_id != "birth_certificate":
        raise PortalError("wrong_status", application.status)
    try:
        cleaned = parse_name(name)
    except InvalidInput:
        raise PortalError("child_name_invalid") from None
    application.details = {**(application.details or {}), "subject_name": cleaned}
    return cleaned


def resume_review(session: Session, reference: str, staff: Staff, now: Optional[dt.datetime] = None) -> Application:
    """The citizen sent what was asked (or it was asked for by mistake): back to review."""
    application = get(session, reference, lock=True)
    check_tehsil(staff, application)
    _refuse_unless(application, (Status.MORE_INFO_NEEDED, Status.PAID))
    applications.change_status(
        session,
        application,
        Status.UNDER_REVIEW,
        by=staff_actor(staff),
        reason="review resumed",
        at=now or dt.datetime.now(dt.timezone.utc),
    )
    return application


def send_notification_again(session: Session, reference: str, staff: Staff, notification_id: int) -> None:
    """Staff send a failed message of this application again (the outbox job sends it)."""
    application = get(session, reference)
    check_tehsil(staff, application)
    ours = {n.id for n in outbox.listing(session, subject=outbox.application_subject(application.reference))}
    if notification_id not in ours or not outbox.send_again(session, notification_id):
        raise PortalError("not_found")
