"""Queries and state changes of certificates, one unit of work each.

- issue_certificate: approved -> certificate_issued, with the PDF stored and the
  citizen told (the PDF goes with the message).
- reissue_certificate: a revoked certificate replaced by a new one (new number,
  PDF and QR code), sent the same way.
- revoke: staff withdraw a certificate; the verification page says so at once.
- for_conversation: a citizen's own applications and their certificates.
The public check is in verification.py, the WhatsApp links in media.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, List, Optional, Union

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from lokseva.applications import service as applications
from lokseva.applications.lifecycle import REISSUABLE, Status
from lokseva.applications.models import Application
from lokseva.catalogue import load_catalogue
from lokseva.certificates import messaging, signing
from lokseva.certificates.document import (
    Bilingual,
    LayoutError,
    build_document,
    details_from_application,
    load_layouts,
)
from lokseva.certificates.models import Certificate, CertificateCounter
from lokseva.certificates.pdf import CertificateTooLong, render_certificate
from lokseva.clock import IST
from lokseva.db import session_scope
from lokseva.db.counters import next_serial
from lokseva.districts import district_by_code, load_district
from lokseva.references import format_certificate_number, parse_application_id, parse_certificate_number
from lokseva.settings import Settings, get_settings

logger = logging.getLogger(__name__)


class CertificateError(RuntimeError):
    """A certificate cannot be issued, revoked or sent; the message says why."""


class NotIssuable(CertificateError):
    """The application is not (or no longer) approved."""


class CertificateNotFound(CertificateError):
    pass


class IncompleteApplication(CertificateError):
    """The application lacks what the certificate must state (or says too much for one page)."""


def engine_of(engine: Optional[Engine]) -> Engine:
    if engine is not None:
        return engine
    return applications.engine()  # migrated on first use


def certificates_dir(settings: Settings) -> Path:
    return Path(settings.certificates_dir)


def normalise_number(text: str) -> str:
    """A certificate number or application id in its canonical spelling; other
    text upper-cased without spaces (so that it matches nothing)."""
    return parse_certificate_number(text) or parse_application_id(text) or "".join(str(text).split()).upper()


def _allocate_number(session: Session, district_code: str, year: int) -> str:
    """The next number without gaps: the counter row stays locked until the
    issuing transaction ends, and a rolled-back issue gives its number back."""
    serial = next_serial(session, CertificateCounter.__table__, district_code, year)
    return format_certificate_number(district_code, year, serial)


# --------------------------------------------------------------------------- issuing


@dataclass(frozen=True)
class IssuedCertificate:
    number: str
    application_reference: str
    service_id: str
    path: Path
    sha256: str
    size_bytes: int
    signature: str
    verification_url: str
    # The "certificate ready" message written to the outbox with the issue
    # (None: not asked for, or the citizen has no WhatsApp number), and to whom.
    notification_id: Optional[int]
    citizen_id: Optional[int] = None


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _load_application(session: Session, application_id: Union[int, str]):
    column = Application.id if isinstance(application_id, int) else Application.reference
    value = application_id if isinstance(application_id, int) else normalise_number(application_id)
    return session.execute(sa.select(Application).where(column == value).with_for_update()).scalar_one_or_none()


def _validity(service, issue_date: dt.date) -> Optional[dt.date]:
    days = getattr(service, "validity_days", None) if service is not None else None
    return issue_date + dt.timedelta(days=days) if days else None


def issue_certificate(
    application_id: Union[int, str],
    by: str,
    *,
    engine: Optional[Engine] = None,
    settings: Optional[Settings] = None,
    now: Optional[dt.datetime] = None,
    notify: bool = True,
) -> IssuedCertificate:
    """Issues the certificate of an approved application: moves it to
    certificate_issued through the lifecycle, stores the signed PDF under
    CERTIFICATES_DIR, and, with `notify`, writes the "certificate ready"
    message with its PDF in the notification outbox (lokseva.notifications),
    in the same transaction: the channel's job sends it, however long WhatsApp
    or Rasa are away.

    All or nothing: if anything fails before the commit, the application stays
    approved, the number is given back, no message is owed and no file is left behind.
    """

    def approved(session: Session, application) -> str:
        if application.status != Status.APPROVED.value:
            raise NotIssuable(f"application {application.reference} is {application.status}, not approved")
        return ""

    return _issue(application_id, by, approved, engine=engine, settings=settings, now=now, notify=notify)


def reissue_certificate(
    application_id: Union[int, str],
    by: str,
    reason: str,
    *,
    engine: Optional[Engine] = None,
    settings: Optional[Settings] = None,
    now: Optional[dt.datetime] = None,
    notify: bool = True,
) -> IssuedCertificate:
    """Replaces a revoked certificate (पुनः जारी): a new number, PDF and QR code
    from the application as it is now, sent to the citizen like the first one.
    The old certificate stays revoked; its verification page says a newer one
    was issued. Refused while a certificate of the application is in force.
    The reason goes into the status history (staff-facing, not public)."""

    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise ValueError("re-issuing a certificate needs a reason")

    def revoked_before(session: Session, application) -> str:
        if Status(application.status) not in REISSUABLE:
            raise NotIssuable(
                f"application {application.reference} is {application.status}; "
                "only an issued or delivered certificate can be re-issued"
            )
        # In force first, then the newest: the one this certificate replaces.
        current = session.execute(
            sa.select(Certificate)
            .where(Certificate.application_id == application.id)
            .order_by(Certificate.revoked_at.is_(None).desc(), Certificate.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        if current is None:
            raise NotIssuable(f"application {application.reference} has no certificate to re-issue")
        if current.in_force:
            raise NotIssuable(f"certificate {current.number} is in force; revoke it before re-issuing")
        return f"; re-issued in place of {current.number}: {reason}"

    return _issue(application_id, by, revoked_before, engine=engine, settings=settings, now=now, notify=notify)


def _issue(
    application_id: Union[int, str],
    by: str,
    may_issue: Callable[[Session, Any], str],
    *,
    engine: Optional[Engine],
    settings: Optional[Settings],
    now: Optional[dt.datetime],
    notify: bool,
) -> IssuedCertificate:
    """Issuing and re-issuing: `may_issue(session, application)` raises
    NotIssuable or returns what to add to the status history's reason."""

    if not by:
        raise ValueError("issuing a certificate needs to say who issued it")
    settings = settings or get_settings()
    engine = engine_of(engine)
    moment = now or dt.datetime.now(dt.timezone.utc)
    issue_date = moment.astimezone(IST).date()
    written: Optional[Path] = None
    try:
        with session_scope(engine) as session:
            application = _load_application(session, application_id)
            if application is None:
                raise CertificateNotFound(f"no application {application_id}")
            history_note = may_issue(session, application)
            catalogue_service = load_catalogue().get(application.service_id)
            district = _district_by_code(application.district_code, load_district)
            number = _allocate_number(session, district.code, issue_date.year)
            applicant_name = " ".join((application.applicant_name or "").split())
            subject_name = _subject_name(application)
            signature = signing.certificate_signature(
                number,
                application.service_id,
                applicant_name,
                issue_date,
                settings.keyring("certificate"),
                subject_name,
            )
            url = signing.verification_url(settings.public_url, number, signature)
            document = _document(
                number=number,
                application_id=application.reference,
                service=application.service_id,
                details=details_from_application(application),
                district=district,
                designated_officer=_designated_officer(catalogue_service),
                issue_date=issue_date,
                valid_until=_validity(catalogue_service, issue_date),
                verification_url=url,
            )
            pdf = _render(document, moment)
            relative = Path(str(issue_date.year)) / f"{number}.pdf"
            written = certificates_dir(settings) / relative
            _write_atomically(written, pdf)
            digest = hashlib.sha256(pdf).hexdigest()
            session.add(
                Certificate(
                    number=number,
                    application_id=application.id,
                    service_id=application.service_id,
                    applicant_name=applicant_name,
                    subject_name=subject_name,
                    issue_date=issue_date,
                    valid_until=document.valid_until,
                    signature=signature,
                    file_path=str(relative),
                    sha256=digest,
                    size_bytes=len(pdf),
                    issued_at=moment,
                    issued_by=by,
                )
            )
            applications.change_status(
                session,
                application,
                Status.CERTIFICATE_ISSUED,
                by=by,
                reason=f"certificate {number}{history_note}",
                at=moment,
            )
            citizen = application.citizen
            reference = application.reference
            notification_id = None
            if notify:
                notification_id = messaging.certificate_ready(
                    session,
                    citizen,
                    reference,
                    document.title,
                    number,
                    digest,
                    application.language or citizen.language,
                )
            citizen_id = citizen.id
    except BaseException:
        if written is not None and written.exists():
            written.unlink()
        raise
    logger.info("certificate %s issued for %s by %s", number, reference, by)
    return IssuedCertificate(
        number, reference, document.service, written, digest, len(pdf), signature, url, notification_id, citizen_id
    )


def _subject_name(application) -> Optional[str]:
    """The person a certificate is about when not the applicant: the child of a
    birth certificate, the deceased of a death certificate (answer subject_name)."""
    name = " ".join(str((application.details or {}).get("subject_name") or "").split())
    return name or None


def _document(**values):
    try:
        return build_document(**values)
    except LayoutError as error:
        raise IncompleteApplication(str(error)) from error


def _render(document, moment: dt.datetime) -> bytes:
    try:
        return render_certificate(document, issued_at=moment)
    except CertificateTooLong as error:
        raise IncompleteApplication(str(error)) from error


def _district_by_code(code: str, load_district=None):
    """The district of the registry with this code (lokseva/districts/registry.yml)."""
    district = district_by_code(code)
    if district is None:
        raise CertificateError(f"no district with code {code} in the registry")
    return district


def _designated_officer(catalogue_service) -> Bilingual:
    if catalogue_service is None:
        raise CertificateError("the service is not in the catalogue")
    return Bilingual.of(catalogue_service.designated_officer)


# --------------------------------------------------------------------------- revoking


def revoke(
    cert_no: str, by: str, reason: str, *, engine: Optional[Engine] = None, now: Optional[dt.datetime] = None
) -> Certificate:
    """Withdraws a certificate. The reason is shown on the public verification
    page, so staff write it for the public ("issued in error", "replaced by …")."""
    reason = " ".join((reason or "").split())
    if not by:
        raise ValueError("revoking a certificate needs to say who revoked it")
    if len(reason) < 3:
        raise ValueError("revoking a certificate needs a reason")
    with session_scope(engine_of(engine)) as session:
        certificate = session.execute(
            sa.select(Certificate).where(Certificate.number == normalise_number(cert_no)).with_for_update()
        ).scalar_one_or_none()
        if certificate is None:
            raise CertificateNotFound(f"no certificate {cert_no}")
        if certificate.revoked_at is not None:
            raise CertificateError(f"certificate {certificate.number} is already revoked")
        certificate.revoked_at = now or dt.datetime.now(dt.timezone.utc)
        certificate.revoked_by = by
        certificate.revocation_reason = reason
    logger.info("certificate %s revoked by %s", certificate.number, by)
    return certificate


# --------------------------------------------------------------------------- a citizen's certificates


@dataclass(frozen=True)
class CitizenCertificate:
    """One of the citizen's applications as seen when they ask for a certificate."""

    application_reference: str
    service_id: str
    service_name: Bilingual
    application_status: str
    number: Optional[str] = None
    sha256: Optional[str] = None
    revoked: bool = False


def for_conversation(
    channel_user_id: str, reference: Optional[str] = None, *, engine: Optional[Engine] = None
) -> Optional[List[CitizenCertificate]]:
    """The citizen's applications (newest first) with their certificate in
    force, if any. With `reference`: only that application, or None when it is
    not this citizen's (another citizen's id reveals nothing)."""

    layouts = load_layouts()
    with session_scope(engine_of(engine)) as session:
        if reference:
            application = applications.find_for_citizen(session, normalise_number(reference), channel_user_id)
            if application is None:
                return None
            found = [application]
        else:
            citizen = applications.find_citizen(session, channel_user_id)
            found = applications.applications_of(session, citizen) if citizen else []
        result = []
        for application in found:
            certificate = session.execute(
                sa.select(Certificate)
                .where(Certificate.application_id == application.id)
                .order_by(Certificate.revoked_at.is_(None).desc(), Certificate.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            try:
                name = layouts.for_service(application.service_id).title
            except ValueError:
                name = Bilingual(application.service_id, application.service_id)
            result.append(
                CitizenCertificate(
                    application.reference,
                    application.service_id,
                    name,
                    application.status,
                    certificate.number if certificate else None,
                    certificate.sha256 if certificate else None,
                    bool(certificate and certificate.revoked_at),
                )
            )
        return result
