"""Tables of home delivery (migrations 0003_certificates, 0013_payments_ledger).

- deliveries: one row per request for a printed copy by speed post: the
  address, the postage fee it costs, the state (lifecycle.DeliveryStatus) and
  the tracking number. The fee's payment is in the payments ledger (purpose
  "postage", subject the delivery's id; migration 0013_payments_ledger).
  The database guarantees at most one open delivery per certificate
  (partial unique index), only known states, and no dispatch without tracking.
- delivery_status_history: who moved it, when, and why.
"""

from __future__ import annotations


import sqlalchemy as sa
from sqlalchemy.orm import relationship

from lokseva.clock import now_utc
from lokseva.db import Base
from lokseva.delivery.lifecycle import OPEN_STATES, DeliveryStatus


_OPEN = "status IN (" + ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATES)) + ")"
_KNOWN = "status IN (" + ", ".join(f"'{s.value}'" for s in DeliveryStatus) + ")"


class Delivery(Base):
    __tablename__ = "deliveries"

    id = sa.Column(sa.Integer, primary_key=True)
    certificate_id = sa.Column(sa.Integer, sa.ForeignKey("certificates.id"), nullable=False, index=True)
    application_id = sa.Column(sa.Integer, sa.ForeignKey("applications.id"), nullable=False, index=True)
    status = sa.Column(sa.String(24), nullable=False, index=True)
    # Address (पता): village or ward, tehsil, PIN; a WhatsApp location pin adds coordinates.
    village = sa.Column(sa.String(200), nullable=False)
    tehsil = sa.Column(sa.String(100), nullable=False)
    pin = sa.Column(sa.String(6), nullable=False)
    landmark = sa.Column(sa.String(200), nullable=False, default="")
    latitude = sa.Column(sa.Float, nullable=True)
    longitude = sa.Column(sa.Float, nullable=True)
    address_source = sa.Column(sa.String(16), nullable=False)  # application | typed | location
    # The postage fee (0: none). Its payment, when there is a fee, is in the payments
    # ledger: reference JBA-2026-000123-D01, link, gateway ids (lokseva.delivery.fees).
    fee_paise = sa.Column(sa.Integer, nullable=False)
    tracking_number = sa.Column(sa.String(13), nullable=True)
    requested_by = sa.Column(sa.String(120), nullable=False)  # citizen | staff:<id>
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc, onupdate=now_utc)

    certificate = relationship("Certificate")
    application = relationship("Application")
    history = relationship(
        "DeliveryStatusHistory",
        back_populates="delivery",
        order_by="DeliveryStatusHistory.id",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        sa.CheckConstraint(_KNOWN, name="status_known"),
        sa.CheckConstraint("fee_paise >= 0", name="fee_not_negative"),
        sa.CheckConstraint(
            "(status NOT IN ('dispatched', 'delivered')) OR tracking_number IS NOT NULL",
            name="dispatched_has_tracking",
        ),
        sa.Index(
            "uq_deliveries_one_open_per_certificate",
            "certificate_id",
            unique=True,
            postgresql_where=sa.text(_OPEN),
            sqlite_where=sa.text(_OPEN),
        ),
    )

    def __repr__(self) -> str:
        return f"<Delivery {self.id} {self.status}>"


class DeliveryStatusHistory(Base):
    __tablename__ = "delivery_status_history"

    id = sa.Column(sa.Integer, primary_key=True)
    delivery_id = sa.Column(sa.Integer, sa.ForeignKey("deliveries.id", ondelete="CASCADE"), nullable=False, index=True)
    from_status = sa.Column(sa.String(24), nullable=True)
    to_status = sa.Column(sa.String(24), nullable=False)
    changed_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=now_utc)
    changed_by = sa.Column(sa.String(120), nullable=False)
    note = sa.Column(sa.Text, nullable=False, default="")

    delivery = relationship("Delivery", back_populates="history")
