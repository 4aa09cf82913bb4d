"""Tables of the payments capability (migration 0002_payments).

- payments: the one ledger of every fee, one row per payment link (an
  application may need several: one expired, a new one sent). Each row has a
  purpose and a subject (purposes.py): the application fee of an application,
  the postage of a home delivery, any later fee. Amounts in paise (integers).
  The database itself guarantees what must never happen:
    * a gateway payment is recorded once (unique gateway_payment_id),
    * a subject is paid at most once (partial unique index on purpose and
      subject_id where status = 'paid'),
    * a subject has at most one link that can still be paid (partial unique
      index on purpose and subject_id where status in ('pending', 'open')),
    * amounts are positive and the currency is INR (check constraints).
- payment_events: the status history and what happened on the way (failed
  attempts, refused webhooks), who/what caused it, with the gateway's ids.
- payment_notices: no longer written. The messages a payment owes the citizen
  are in the notification outbox (lokseva.notifications); the rows an older
  version left unsent are carried over to it by the reconciliation job
  (notices.carry_over_unsent), so none is lost across the upgrade.
"""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from lokseva.clock import now_utc
from lokseva.db import Base
from lokseva.payments import lifecycle
from lokseva.payments.purposes import APPLICATION_FEE


_OPEN = "status IN ('pending', 'open')"


def _subject_of_application_fee(context) -> Optional[int]:
    """An application fee's subject is its application (the default when none is given)."""
    values = context.get_current_parameters()
    if values.get("purpose", APPLICATION_FEE) == APPLICATION_FEE:
        return values.get("application_id")
    return None


_PAID = "status = 'paid'"


class Payment(Base):
    __tablename__ = "payments"

    id = sa.Column(sa.Integer, primary_key=True)
    # The application the fee belongs to (every fee so far is a citizen's, for one application).
    application_id = sa.Column(sa.Integer, sa.ForeignKey("applications.id"), nullable=False, index=True)
    # What it pays for (purposes.APPLICATION_FEE, purposes.POSTAGE, …) and the id of
    # that thing in its own capability: the application's id, the delivery's id.
    purpose = sa.Column(sa.String(24), nullable=False, default=APPLICATION_FEE, server_default=APPLICATION_FEE)
    subject_id = sa.Column(sa.Integer, nullable=False, default=_subject_of_application_fee)
    # Ours, sent to the gateway as reference_id: JBA-2026-000123-P01 (the receipt
    # number), JBA-2026-000123-D01 for a postage fee.
    reference = sa.Column(sa.String(40), nullable=False, unique=True)
    attempt = sa.Column(sa.Integer, nullable=False)
    amount_paise = sa.Column(sa.BigInteger, nullable=False)
    currency = sa.Column(sa.String(3), nullable=False, default="INR")
    # Fee lines at the time the link was made: [{"kind": "processing", "paise": 2000}, …]
    fee_lines = sa.Column(sa.JSON, nullable=False, default=list)
    status = sa.Column(sa.String(16), nullable=False, index=True)
    gateway = sa.Column(sa.String(16), nullable=False)  # sandbox | razorpay
    gateway_link_id = sa.Column(sa.String(64), nullable=True, unique=True)
    gateway_order_id = sa.Column(sa.String(64), nullable=True, index=True)
    gateway_payment_id = sa.Column(sa.String(64), nullable=True, unique=True)
    link_url = sa.Column(sa.String(500), nullable=True)
    expires_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    method = sa.Column(sa.String(32), nullable=True)  # upi | card | …
    paid_at = sa.Column(sa.DateTime(timezone=True), nullable=True)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc, onupdate=now_utc)

    application = relationship("Application")
    events = relationship("PaymentEvent", back_populates="payment", order_by="PaymentEvent.id")

    __table_args__ = (
        sa.CheckConstraint("amount_paise > 0", name="amount_positive"),
        sa.CheckConstraint("currency = 'INR'", name="currency_inr"),
        sa.CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in lifecycle.STATUSES) + ")", name="status_known"),
        sa.UniqueConstraint("purpose", "subject_id", "attempt", name="uq_payments_subject_attempt"),
        sa.Index("ix_payments_purpose_subject", "purpose", "subject_id"),
        sa.Index(
            "uq_payments_one_paid_per_subject",
            "purpose",
            "subject_id",
            unique=True,
            postgresql_where=sa.text(_PAID),
            sqlite_where=sa.text(_PAID),
        ),
        sa.Index(
            "uq_payments_one_open_per_subject",
            "purpose",
            "subject_id",
            unique=True,
            postgresql_where=sa.text(_OPEN),
            sqlite_where=sa.text(_OPEN),
        ),
    )

    def __repr__(self) -> str:
        return f"<Payment {self.reference} {self.purpose} {self.amount_paise}p {self.status}>"


class PaymentEvent(Base):
    """One line of a payment's history."""

    __tablename__ = "payment_events"

    id = sa.Column(sa.Integer, primary_key=True)
    payment_id = sa.Column(sa.Integer, sa.ForeignKey("payments.id", ondelete="CASCADE"), nullable=False, index=True)
    # status (a transition) | attempt_failed | refused | notified
    kind = sa.Column(sa.String(24), nullable=False)
    from_status = sa.Column(sa.String(16), nullable=True)
    to_status = sa.Column(sa.String(16), nullable=True)
    source = sa.Column(sa.String(24), nullable=False)  # chat | webhook | reconcile | callback | system
    # The gateway's id behind the event (payment or event id): with `kind`, unique,
    # so a webhook delivered twice leaves one line.
    gateway_ref = sa.Column(sa.String(64), nullable=True)
    note = sa.Column(sa.Text, nullable=False, default="")
    at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)

    payment = relationship("Payment", back_populates="events")

    __table_args__ = (sa.UniqueConstraint("kind", "gateway_ref", name="uq_payment_events_kind_gateway_ref"),)


class PaymentNotice(Base):
    """A message owed because of a payment, as an older version wrote it; read
    once by notices.carry_over_unsent (the notification outbox replaced it)."""

    __tablename__ = "payment_notices"

    id = sa.Column(sa.Integer, primary_key=True)
    payment_id = sa.Column(sa.Integer, sa.ForeignKey("payments.id", ondelete="CASCADE"), nullable=False, index=True)
    # link | link_replaced | receipt | attempt_failed:<gateway payment id> | refund_due
    kind = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    # A sender claims a notice until this time; another may take it after.
    claimed_until = sa.Column(sa.DateTime(timezone=True), nullable=True)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    sent_at = sa.Column(sa.DateTime(timezone=True), nullable=True, index=True)
    last_error = sa.Column(sa.Text, nullable=True)

    payment = relationship("Payment")

    __table_args__ = (sa.UniqueConstraint("payment_id", "kind", name="uq_payment_notices_payment_kind"),)
