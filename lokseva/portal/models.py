"""Tables of the staff portal: staff accounts and their sessions, login attempts
(for the lockout), the audit log, citizens' callback requests and the trainer's
labels on conversation messages.

The applications, payments and certificates the staff work on belong to those
capabilities; the portal only refers to them by id.
"""

from __future__ import annotations


import sqlalchemy as sa

from lokseva.clock import now_utc
from lokseva.db import Base


# Kept in step with lokseva.portal.auth.ROLES (the check constraint lists them).
ROLE_VALUES = (
    "operator",
    "designated_officer",
    "trainer",
    "admin",
    "first_appeal_officer",
    "second_appellate_authority",
)


class StaffUser(Base):
    """A member of the district staff who signs in to the portal."""

    __tablename__ = "staff_users"

    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(64), nullable=False, unique=True)
    full_name = sa.Column(sa.String(120), nullable=False, default="")
    role = sa.Column(sa.String(32), nullable=False)
    # A designated officer (पदाभिहित अधिकारी) usually decides for one tehsil; empty = all.
    tehsil = sa.Column(sa.String(64), nullable=True)
    # The district the account works for (its code, lokseva/districts/registry.yml);
    # empty = the state: every district.
    district_code = sa.Column(sa.String(3), nullable=True)
    password_hash = sa.Column(sa.String(255), nullable=False)
    is_active = sa.Column(sa.Boolean, nullable=False, default=True)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    password_changed_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    last_login_at = sa.Column(sa.DateTime(timezone=True), nullable=True)

    __table_args__ = (
        sa.CheckConstraint(
            "role IN ('operator', 'designated_officer', 'trainer', 'admin', 'first_appeal_officer', "
            "'second_appellate_authority')",
            name="role",
        ),
    )


class StaffSession(Base):
    """A server-side session. The cookie carries a random token; only its SHA-256
    is stored, so a copy of this table cannot be replayed as cookies.
    Anonymous sessions (user_id empty) exist only to hold the login form's CSRF token."""

    __tablename__ = "staff_sessions"

    id = sa.Column(sa.String(64), primary_key=True)  # sha256 hex of the cookie token
    user_id = sa.Column(sa.Integer, sa.ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=True, index=True)
    csrf_token = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    last_seen_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    expires_at = sa.Column(sa.DateTime(timezone=True), nullable=False, index=True)
    absolute_expires_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    ended_at = sa.Column(sa.DateTime(timezone=True), nullable=True)
    ip = sa.Column(sa.String(45), nullable=True)
    user_agent = sa.Column(sa.String(200), nullable=True)


class LoginAttempt(Base):
    """Every sign-in attempt, kept for the lockout rule and for the audit."""

    __tablename__ = "staff_login_attempts"

    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(64), nullable=False, index=True)
    ip = sa.Column(sa.String(45), nullable=True, index=True)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc, index=True)
    # succeeded | bad_password | unknown_user | inactive | locked
    outcome = sa.Column(sa.String(16), nullable=False)


class AuditEntry(Base):
    """Who did what, when, to which record, from which address."""

    __tablename__ = "staff_audit_log"

    id = sa.Column(sa.Integer, primary_key=True)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc, index=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True, index=True)
    username = sa.Column(sa.String(64), nullable=False)  # kept even if the account goes
    action = sa.Column(sa.String(64), nullable=False, index=True)
    target_type = sa.Column(sa.String(32), nullable=True)
    target_id = sa.Column(sa.String(64), nullable=True, index=True)
    ip = sa.Column(sa.String(45), nullable=True)
    details = sa.Column(sa.Text, nullable=True)  # JSON, never personal data in clear


class CallbackRequest(Base):
    """A citizen asked to talk to a person (intent request_human)."""

    __tablename__ = "callback_requests"

    id = sa.Column(sa.Integer, primary_key=True)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc, index=True)
    # The conversation's id in the tracker store (the WhatsApp number on that channel):
    # needed to link the transcript and, on an audited request, to call back.
    sender_id = sa.Column(sa.String(255), nullable=False, index=True)
    phone_masked = sa.Column(sa.String(32), nullable=False)
    # JSON list of the citizen's last messages, personal numbers masked.
    last_messages = sa.Column(sa.Text, nullable=False, default="[]")
    language = sa.Column(sa.String(2), nullable=False, default="hi")
    application_id = sa.Column(sa.String(32), nullable=True)
    # When the office promised to call (end of the promised window).
    call_by = sa.Column(sa.DateTime(timezone=True), nullable=False)
    status = sa.Column(sa.String(16), nullable=False, default="open", index=True)  # open | called | closed
    handled_by = sa.Column(sa.Integer, sa.ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True)
    handled_at = sa.Column(sa.DateTime(timezone=True), nullable=True)
    note = sa.Column(sa.Text, nullable=True)

    __table_args__ = (sa.CheckConstraint("status IN ('open', 'called', 'closed')", name="status"),)


class TrainerLabel(Base):
    """A trainer's decision on a message from the inbox: an intent (and entities,
    written inline in Rasa's annotation format) or a dismissal."""

    __tablename__ = "trainer_labels"

    id = sa.Column(sa.Integer, primary_key=True)
    # Rasa's message_id of the user event (or "event:<id>"): one decision per message.
    message_key = sa.Column(sa.String(64), nullable=False, unique=True)
    tracker_event_id = sa.Column(sa.Integer, nullable=True)
    text = sa.Column(sa.Text, nullable=False)  # the message as received, personal numbers masked
    example = sa.Column(sa.Text, nullable=True)  # the training example, with annotations
    intent = sa.Column(sa.String(64), nullable=True)
    predicted_intent = sa.Column(sa.String(64), nullable=True)
    confidence = sa.Column(sa.Float, nullable=True)
    # labelled | dismissed | exported | duplicate | conflict
    status = sa.Column(sa.String(16), nullable=False, index=True)
    note = sa.Column(sa.Text, nullable=True)
    labelled_by = sa.Column(sa.Integer, sa.ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True)
    labelled_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    exported_at = sa.Column(sa.DateTime(timezone=True), nullable=True)

    __table_args__ = (
        sa.CheckConstraint("status IN ('labelled', 'dismissed', 'exported', 'duplicate', 'conflict')", name="status"),
    )
