"""What the public /verify page shows for a certificate number and the
signature from its QR code: valid, revoked, invalid (altered) or unknown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lokseva.certificates import signing
from lokseva.certificates.document import Bilingual, load_layouts
from lokseva.certificates.models import Certificate
from lokseva.certificates.service import engine_of, normalise_number
from lokseva.clock import aware
from lokseva.db import session_scope
from lokseva.settings import Settings, get_settings

# No "unknown": a number without a certificate is answered as INVALID (see verify).
VALID, INVALID, REVOKED = "valid", "invalid", "revoked"
# Layout details that name the person a certificate is about (document.details_from_application).
_SUBJECT_KEYS = ("child_name", "deceased_name")


@dataclass(frozen=True)
class Verification:
    """What the verification page shows. Only a correctly signed link shows
    the key fields: a guessed number reveals nothing about anyone."""

    status: str
    number: str
    service_name: Optional[Bilingual] = None
    applicant_name: Optional[str] = None
    subject_name: Optional[str] = None  # the child or the deceased (birth, death)
    subject_label: Optional[Bilingual] = None
    issue_date: Optional[dt.date] = None
    valid_until: Optional[dt.date] = None
    revoked_at: Optional[dt.datetime] = None
    revocation_reason: Optional[str] = None
    # Revoked and replaced by a newer certificate (re-issued). Only the fact:
    # the newer one's number and details are for its own QR code to show.
    superseded: bool = False


def verify(
    number: str, signature: Optional[str], *, engine: Optional[Engine] = None, settings: Optional[Settings] = None
) -> Verification:
    settings = settings or get_settings()
    number = normalise_number(number)[:40]
    with session_scope(engine_of(engine)) as session:
        certificate = session.execute(sa.select(Certificate).where(Certificate.number == number)).scalar_one_or_none()
        if certificate is None:
            # Answered as a bad signature, and after the same work: whoever tries
            # numbers must not learn which ones exist (certificates could be counted).
            signing.verify_certificate_signature(
                signature, number, "-", "-", dt.date(2000, 1, 1), settings.keyring("certificate")
            )
            return Verification(INVALID, number)
        if not signing.verify_certificate_signature(
            signature,
            certificate.number,
            certificate.service_id,
            certificate.applicant_name,
            certificate.issue_date,
            settings.keyring("certificate"),
            certificate.subject_name,
        ):
            return Verification(INVALID, number)
        layouts = load_layouts()
        try:
            layout = layouts.for_service(certificate.service_id)
            title = layout.title
            subject_key = next((key for key in layout.details if key in _SUBJECT_KEYS), None)
        except ValueError:
            title, subject_key = Bilingual(certificate.service_id, certificate.service_id), None
        return Verification(
            REVOKED if certificate.revoked_at else VALID,
            certificate.number,
            service_name=title,
            applicant_name=certificate.applicant_name,
            subject_name=certificate.subject_name,
            subject_label=layouts.labels[subject_key] if subject_key and certificate.subject_name else None,
            issue_date=certificate.issue_date,
            valid_until=certificate.valid_until,
            revoked_at=aware(certificate.revoked_at),
            revocation_reason=certificate.revocation_reason,
            superseded=bool(certificate.revoked_at) and _has_newer(session, certificate),
        )


def _has_newer(session, certificate: Certificate) -> bool:
    """A later certificate for the same application can only be a re-issue."""
    return session.execute(
        sa.select(
            sa.exists().where(Certificate.application_id == certificate.application_id, Certificate.id > certificate.id)
        )
    ).scalar_one()
