"""Tables of the appeals capability (migration 0007_appeals).

An appeal hangs on its application; its number (JBA-A-2026-000012) counts per
district and year without gaps, like application ids and certificate numbers.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from lokseva.clock import now_utc
from lokseva.db import Base


class Appeal(Base):
    __tablename__ = "appeals"

    id = sa.Column(sa.Integer, primary_key=True)
    reference = sa.Column(sa.String(24), nullable=False, unique=True)  # JBA-A-2026-000012
    application_id = sa.Column(sa.Integer, sa.ForeignKey("applications.id"), nullable=False, index=True)
    district_code = sa.Column(sa.String(3), nullable=False)
    level = sa.Column(sa.Integer, nullable=False)  # 1 first appeal, 2 second
    grounds = sa.Column(sa.String(16), nullable=False)  # rules.Grounds
    status = sa.Column(sa.String(16), nullable=False, index=True)  # rules.AppealStatus
    # citizen | suo_motu | staff:<id>: a suo-motu appeal is opened by the appeal officer
    # on a late application nobody appealed (the Act's rules provide for it).
    filed_by = sa.Column(sa.String(40), nullable=False)
    filed_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    in_time = sa.Column(sa.Boolean, nullable=False)
    late_cause = sa.Column(sa.Text, nullable=False, default="")  # "sufficient cause", when late
    statement = sa.Column(sa.Text, nullable=False, default="")  # the citizen's own words, if any
    decision_due = sa.Column(sa.Date, nullable=False)
    decision_due_confirmed = sa.Column(sa.Boolean, nullable=False, default=False)
    decided_at = sa.Column(sa.DateTime(timezone=True))
    decided_by = sa.Column(sa.String(40))
    decision_reason = sa.Column(sa.Text, nullable=False, default="")
    new_due_date = sa.Column(sa.Date)  # allowed: the service's new date
    # What the appellate authority imposed on the designated officer (it may impose
    # less than the Act's maximum), and what reached the citizen as compensation.
    penalty_imposed_paise = sa.Column(sa.Integer)
    compensation_paid_paise = sa.Column(sa.Integer)
    compensation_paid_at = sa.Column(sa.DateTime(timezone=True))
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc, onupdate=now_utc)

    application = relationship("Application")

    __table_args__ = (
        # One appeal per level and application: a second try is the second appeal.
        sa.UniqueConstraint("application_id", "level", name="uq_appeals_application_level"),
        sa.CheckConstraint("level in (1, 2)", name="level"),
    )

    def __repr__(self) -> str:
        return f"<Appeal {self.reference} level {self.level} {self.status}>"


class AppealCounter(Base):
    """The last appeal serial per district and year (lokseva.db.counters)."""

    __tablename__ = "appeal_counters"

    district_code = sa.Column(sa.String(3), primary_key=True)
    year = sa.Column(sa.Integer, primary_key=True)
    last_serial = sa.Column(sa.Integer, nullable=False, default=0)


class LateDecision(Base):
    """The designated officer's reason for deciding an application after its
    guaranteed date (migration 0012_appeal_officers): recorded with the decision,
    shown to the appeal officer beside the appeal."""

    __tablename__ = "late_decisions"

    id = sa.Column(sa.Integer, primary_key=True)
    application_id = sa.Column(sa.Integer, sa.ForeignKey("applications.id"), nullable=False, index=True)
    to_status = sa.Column(sa.String(32), nullable=False)  # approved | rejected
    due_date = sa.Column(sa.Date, nullable=False)
    days_late = sa.Column(sa.Integer, nullable=False)
    reason = sa.Column(sa.Text, nullable=False)
    decided_by = sa.Column(sa.String(40), nullable=False)
    decided_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)


class OfficerDigest(Base):
    """The officers' daily digest of a district (what falls due today and
    tomorrow, what is late, the appeals waiting), prepared once a day by
    `python -m lokseva.appeals.scheduled` and shown in the portal. `body` is JSON
    of references and counts only, no personal data."""

    __tablename__ = "officer_digests"

    id = sa.Column(sa.Integer, primary_key=True)
    district_code = sa.Column(sa.String(3), nullable=False)
    day = sa.Column(sa.Date, nullable=False)
    body = sa.Column(sa.Text, nullable=False)
    prepared_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)

    __table_args__ = (sa.UniqueConstraint("district_code", "day", name="uq_officer_digests_district_day"),)
