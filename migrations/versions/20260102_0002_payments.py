"""Payments: payment links and their status history, and the notices owed to
citizens (lokseva/payments/models.py).

Revision ID: 0002_payments
Revises: 0001_applications
Create Date: 2026-01-02
"""

from alembic import op
import sqlalchemy as sa

revision = "0002_payments"
down_revision = "0001_applications"
branch_labels = None
depends_on = None

_STATUSES = ("pending", "open", "paid", "expired", "cancelled", "refund_due")
_PAID = "status = 'paid'"
_OPEN = "status IN ('pending', 'open')"


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("amount_paise", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("fee_lines", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("gateway", sa.String(length=16), nullable=False),
        sa.Column("gateway_link_id", sa.String(length=64), nullable=True),
        sa.Column("gateway_order_id", sa.String(length=64), nullable=True),
        sa.Column("gateway_payment_id", sa.String(length=64), nullable=True),
        sa.Column("link_url", sa.String(length=500), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_paise > 0", name=op.f("ck_payments_amount_positive")),
        sa.CheckConstraint("currency = 'INR'", name=op.f("ck_payments_currency_inr")),
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in _STATUSES) + ")", name=op.f("ck_payments_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_payments_application_id_applications")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("reference", name=op.f("uq_payments_reference")),
        sa.UniqueConstraint("gateway_link_id", name=op.f("uq_payments_gateway_link_id")),
        sa.UniqueConstraint("gateway_payment_id", name=op.f("uq_payments_gateway_payment_id")),
        sa.UniqueConstraint("application_id", "attempt", name="uq_payments_application_attempt"),
    )
    op.create_index(op.f("ix_payments_application_id"), "payments", ["application_id"])
    op.create_index(op.f("ix_payments_status"), "payments", ["status"])
    op.create_index(op.f("ix_payments_gateway_order_id"), "payments", ["gateway_order_id"])
    op.create_index(
        "uq_payments_one_paid_per_application",
        "payments",
        ["application_id"],
        unique=True,
        postgresql_where=sa.text(_PAID),
        sqlite_where=sa.text(_PAID),
    )
    op.create_index(
        "uq_payments_one_open_per_application",
        "payments",
        ["application_id"],
        unique=True,
        postgresql_where=sa.text(_OPEN),
        sqlite_where=sa.text(_OPEN),
    )

    op.create_table(
        "payment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=True),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("gateway_ref", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_payment_events_payment_id_payments"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_events")),
        sa.UniqueConstraint("kind", "gateway_ref", name="uq_payment_events_kind_gateway_ref"),
    )
    op.create_index(op.f("ix_payment_events_payment_id"), "payment_events", ["payment_id"])

    op.create_table(
        "payment_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_payment_notices_payment_id_payments"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_notices")),
        sa.UniqueConstraint("payment_id", "kind", name="uq_payment_notices_payment_kind"),
    )
    op.create_index(op.f("ix_payment_notices_payment_id"), "payment_notices", ["payment_id"])
    op.create_index(op.f("ix_payment_notices_sent_at"), "payment_notices", ["sent_at"])


def downgrade() -> None:
    op.drop_table("payment_notices")
    op.drop_table("payment_events")
    op.drop_index("uq_payments_one_open_per_application", table_name="payments")
    op.drop_index("uq_payments_one_paid_per_application", table_name="payments")
    op.drop_table("payments")
