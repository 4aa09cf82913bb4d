"""Tables of the applications capability (migration 0001_applications).

Later capabilities hang their own tables on `applications.id` (payments,
certificates, deliveries); fee amounts live on the application in paise so
that they can check what is owed without the catalogue of the day.
"""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from lokseva.applications.lifecycle import StatusChange as DomainStatusChange
from lokseva.clock import now_utc
from lokseva.db import Base
from lokseva.privacy import mask_phone


class Citizen(Base):
    """A citizen, known by the channel's user id (on WhatsApp a stable
    pseudonymous id of the phone number; on the REST channel the sender)."""

    __tablename__ = "citizens"

    id = sa.Column(sa.Integer, primary_key=True)
    channel_user_id = sa.Column(sa.String(255), nullable=False, unique=True)
    # Full number, for sending; shown masked everywhere else (masked_whatsapp_number).
    whatsapp_number = sa.Column(sa.String(32), nullable=True)
    language = sa.Column(sa.String(2), nullable=False, default="hi")
    # The district the citizen lives in (its code in lokseva/districts/registry.yml),
    # remembered across conversations; empty until they say.
    district_code = sa.Column(sa.String(3), nullable=True)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)

    applications = relationship("Application", back_populates="citizen")

    @property
    def masked_whatsapp_number(self) -> str:
        return mask_phone(self.whatsapp_number)

    def __repr__(self) -> str:  # never the full number
        return f"<Citizen {self.id} {self.masked_whatsapp_number or '-'}>"


class ApplicationCounter(Base):
    """The last serial used per district and year. Incremented inside the
    transaction that submits an application, so ids have no gaps: a rolled
    back submission releases its number."""

    __tablename__ = "application_counters"

    district_code = sa.Column(sa.String(3), primary_key=True)
    year = sa.Column(sa.Integer, primary_key=True)
    last_serial = sa.Column(sa.Integer, nullable=False, default=0)


class Application(Base):
    """An application (आवेदन) for one catalogue service. A draft has no
    reference yet; the reference (JBA-2026-000123) is given on submission."""

    __tablename__ = "applications"

    id = sa.Column(sa.Integer, primary_key=True)
    reference = sa.Column(sa.String(20), nullable=True, unique=True)
    district_code = sa.Column(sa.String(3), nullable=False, index=True)
    citizen_id = sa.Column(sa.Integer, sa.ForeignKey("citizens.id"), nullable=False, index=True)
    service_id = sa.Column(sa.String(64), nullable=False)
    status = sa.Column(sa.String(32), nullable=False, index=True)
    language = sa.Column(sa.String(2), nullable=False, default="hi")

    # Applicant (आवेदक)
    applicant_name = sa.Column(sa.String(120))
    relative_name = sa.Column(sa.String(120))
    relative_relation = sa.Column(sa.String(16))  # father | husband
    gender = sa.Column(sa.String(16))  # male | female | other
    date_of_birth = sa.Column(sa.Date)
    address_village = sa.Column(sa.String(120))
    address_tehsil = sa.Column(sa.String(120))
    address_pin = sa.Column(sa.String(6))
    # Aadhaar: a reference into the vault (lokseva.privacy.vault, encrypted
    # there); only the last four digits are kept here, to be shown.
    aadhaar_ref = sa.Column(sa.String(36))
    aadhaar_last4 = sa.Column(sa.String(4))
    # The service's own answers (annual_income in paise, caste_category, ...).
    details = sa.Column(sa.JSON, nullable=False, default=dict)

    # Money in paise, fixed at submission.
    statutory_fee_paise = sa.Column(sa.Integer, nullable=False, default=0)
    processing_fee_paise = sa.Column(sa.Integer, nullable=False, default=0)
    fee_due_paise = sa.Column(sa.Integer, nullable=False, default=0)

    submitted_at = sa.Column(sa.DateTime(timezone=True))
    due_date = sa.Column(sa.Date)  # guaranteed date (Lok Seva Guarantee Act)
    due_date_confirmed = sa.Column(sa.Boolean, nullable=False, default=True)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc, onupdate=now_utc)

    citizen = relationship("Citizen", back_populates="applications")
    history = relationship(
        "StatusHistory", back_populates="application", order_by="StatusHistory.id", cascade="all, delete-orphan"
    )
    documents = relationship(
        "ApplicationDocument",
        back_populates="application",
        order_by="ApplicationDocument.id",
        cascade="all, delete-orphan",
    )

    __table_args__ = (sa.Index("ix_applications_citizen_status", "citizen_id", "status"),)

    @property
    def aadhaar_masked(self) -> Optional[str]:
        return f"XXXX XXXX {self.aadhaar_last4}" if self.aadhaar_last4 else None

    def record(self, change: DomainStatusChange) -> "StatusHistory":
        """Stores a lifecycle transition's history entry with the application."""
        row = StatusHistory(
            from_status=change.from_status.value if change.from_status else None,
            to_status=change.to_status.value,
            changed_at=change.changed_at,
            changed_by=change.changed_by,
            reason=change.reason,
        )
        self.history.append(row)
        return row

    def __repr__(self) -> str:
        return f"<Application {self.reference or f'draft#{self.id}'} {self.service_id} {self.status}>"


class StatusHistory(Base):
    """Who changed an application's status, when and why."""

    __tablename__ = "application_status_history"

    id = sa.Column(sa.Integer, primary_key=True)
    application_id = sa.Column(
        sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_status = sa.Column(sa.String(32))
    to_status = sa.Column(sa.String(32), nullable=False)
    changed_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    changed_by = sa.Column(sa.String(120), nullable=False)  # citizen | system | staff:<id>
    reason = sa.Column(sa.Text, nullable=False, default="")

    application = relationship("Application", back_populates="history")


class ApplicationDocument(Base):
    """A file the citizen sent for an application (metadata; the bytes live in
    the document store the WhatsApp channel writes to)."""

    __tablename__ = "application_documents"

    id = sa.Column(sa.Integer, primary_key=True)
    application_id = sa.Column(
        sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = sa.Column(sa.String(64), nullable=False, default="other")  # e.g. identity_proof, photo
    filename = sa.Column(sa.String(255), nullable=False)
    content_type = sa.Column(sa.String(100), nullable=False)
    size_bytes = sa.Column(sa.Integer, nullable=False)
    sha256 = sa.Column(sa.String(64), nullable=False)
    storage_key = sa.Column(sa.String(500), nullable=False)
    source = sa.Column(sa.String(32), nullable=False, default="whatsapp")
    uploaded_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)

    application = relationship("Application", back_populates="documents")
