"""Tables of the certificates capability (migration 0003_certificates).

- certificates: one row per issued certificate (प्रमाण पत्र): its number, the
  application, the PDF's place and sha256, the signature printed in its QR code,
  and its revocation. The database guarantees that an application has at most
  one certificate in force (partial unique index where revoked_at is null).
- certificate_counters: the last serial per district and year, so numbers
  (JBA-C-2026-000123) have no gaps and no duplicates.
"""

from __future__ import annotations


import sqlalchemy as sa
from sqlalchemy.orm import relationship

from lokseva.clock import now_utc
from lokseva.db import Base


_IN_FORCE = "revoked_at IS NULL"


class Certificate(Base):
    __tablename__ = "certificates"

    id = sa.Column(sa.Integer, primary_key=True)
    number = sa.Column(sa.String(32), nullable=False, unique=True)
    application_id = sa.Column(sa.Integer, sa.ForeignKey("applications.id"), nullable=False, index=True)
    service_id = sa.Column(sa.String(64), nullable=False)
    # The key fields exactly as signed (lokseva.certificates.signing).
    applicant_name = sa.Column(sa.String(120), nullable=False)
    # Birth and death certificates: the child or the deceased, also signed.
    subject_name = sa.Column(sa.String(120), nullable=True)
    issue_date = sa.Column(sa.Date, nullable=False)
    valid_until = sa.Column(sa.Date, nullable=True)
    signature = sa.Column(sa.String(64), nullable=False)
    # The PDF, relative to settings.certificates_dir, and its fingerprint.
    file_path = sa.Column(sa.String(500), nullable=False)
    sha256 = sa.Column(sa.String(64), nullable=False)
    size_bytes = sa.Column(sa.Integer, nullable=False)
    issued_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    issued_by = sa.Column(sa.String(120), nullable=False)  # staff:<id> | system
    revoked_at = sa.Column(sa.DateTime(timezone=True), nullable=True)
    revoked_by = sa.Column(sa.String(120), nullable=True)
    # Shown on the public verification page: staff write it for the public.
    revocation_reason = sa.Column(sa.Text, nullable=True)

    application = relationship("Application")

    __table_args__ = (
        sa.Index(
            "uq_certificates_one_in_force_per_application",
            "application_id",
            unique=True,
            postgresql_where=sa.text(_IN_FORCE),
            sqlite_where=sa.text(_IN_FORCE),
        ),
        sa.CheckConstraint(
            "(revoked_at IS NULL AND revoked_by IS NULL) OR (revoked_at IS NOT NULL AND revoked_by IS NOT NULL)",
            name="revocation_complete",
        ),
    )

    @property
    def in_force(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<Certificate {self.number} {self.service_id}{' revoked' if self.revoked_at else ''}>"


class CertificateCounter(Base):
    """The last certificate serial per district and year, taken in the issuing
    transaction (a rolled-back issue releases its number)."""

    __tablename__ = "certificate_counters"

    district_code = sa.Column(sa.String(3), primary_key=True)
    year = sa.Column(sa.Integer, primary_key=True)
    last_serial = sa.Column(sa.Integer, nullable=False, default=0)
