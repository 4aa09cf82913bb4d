"""The notification outbox table (migration 0009_notifications).

status: pending -> sent (the channel took it) | failed (given up: staff see it
in the portal and may send it again) | withdrawn (no longer true before it went,
e.g. a payment link already paid). `id` is the order: a citizen's notifications
go out in id order. A pending row is sent by whoever holds its lease (owner,
lease_until), taken by a conditional UPDATE (lokseva/db/leases.py); `not_before`
spaces out the retries after a failed attempt.
"""

from __future__ import annotations

import sqlalchemy as sa

from lokseva.clock import now_utc
from lokseva.db import Base

PENDING, SENT, FAILED, WITHDRAWN = "pending", "sent", "failed", "withdrawn"
STATUSES = (PENDING, SENT, FAILED, WITHDRAWN)


class Notification(Base):
    __tablename__ = "notifications"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    citizen_id = sa.Column(sa.Integer, sa.ForeignKey("citizens.id", ondelete="CASCADE"), nullable=False, index=True)
    key = sa.Column(sa.String(64), nullable=False)  # the message: a key of notifications.yml
    variables = sa.Column(sa.JSON, nullable=False, default=dict)  # its values, as strings
    language = sa.Column(sa.String(2), nullable=True)  # None: the conversation's language
    # A file made fresh when sent (links to it expire): {"certificate": number}
    # or {"payment_receipt": reference}, in the variable named by the message.
    attachment = sa.Column(sa.JSON, nullable=True)
    # What it is about, for staff ("application:JBA-2026-000123") and for
    # withdrawing the notifications a later change makes untrue.
    subject = sa.Column(sa.String(80), nullable=True, index=True)
    # At most one notification per dedupe key (e.g. "payment:12:receipt"): a
    # change recorded twice (webhook and reconciliation) tells the citizen once.
    dedupe_key = sa.Column(sa.String(120), nullable=True, unique=True)
    status = sa.Column(sa.String(16), nullable=False, default=PENDING, index=True)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    owner = sa.Column(sa.String(40), nullable=True)
    lease_until = sa.Column(sa.DateTime(timezone=True), nullable=True)
    not_before = sa.Column(sa.DateTime(timezone=True), nullable=True)
    last_error = sa.Column(sa.Text, nullable=True)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    sent_at = sa.Column(sa.DateTime(timezone=True), nullable=True)

    __table_args__ = (
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed', 'withdrawn')", name="status_known"),
        sa.Index("ix_notifications_status_citizen", "status", "citizen_id", "id"),
    )

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.key} {self.status}>"
