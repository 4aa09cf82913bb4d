"""Certificates and home deliveries: issued certificates (number, PDF, sha256,
signature, revocation), their per-(district, year) number counters, deliveries
by speed post and their status history.

Revision ID: 0003_certificates
Revises: 0002_payments
Create Date: 2026-01-03
"""

from alembic import op
import sqlalchemy as sa

revision = "0003_certificates"
down_revision = "0002_payments"
branch_labels = None
depends_on = None

_IN_FORCE = "revoked_at IS NULL"
_OPEN = "status IN ('dispatched', 'payment_pending', 'printed', 'requested', 'returned')"
_KNOWN = "status IN ('payment_pending', 'requested', 'printed', 'dispatched', 'delivered', 'returned', 'cancelled')"


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("applicant_name", sa.String(length=120), nullable=False),
        sa.Column("subject_name", sa.String(length=120), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("file_path", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=120), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=120), nullable=True),
        sa.Column("revocation_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(revoked_at IS NULL AND revoked_by IS NULL) OR (revoked_at IS NOT NULL AND revoked_by IS NOT NULL)",
            name=op.f("ck_certificates_revocation_complete"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_certificates_application_id_applications")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("number", name=op.f("uq_certificates_number")),
    )
    op.create_index(op.f("ix_certificates_application_id"), "certificates", ["application_id"], unique=False)
    op.create_index(
        "uq_certificates_one_in_force_per_application",
        "certificates",
        ["application_id"],
        unique=True,
        postgresql_where=sa.text(_IN_FORCE),
        sqlite_where=sa.text(_IN_FORCE),
    )
    op.create_table(
        "certificate_counters",
        sa.Column("district_code", sa.String(length=3), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_serial", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("district_code", "year", name=op.f("pk_certificate_counters")),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("village", sa.String(length=200), nullable=False),
        sa.Column("tehsil", sa.String(length=100), nullable=False),
        sa.Column("pin", sa.String(length=6), nullable=False),
        sa.Column("landmark", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("address_source", sa.String(length=16), nullable=False),
        sa.Column("fee_paise", sa.Integer(), nullable=False),
        sa.Column("payment_reference", sa.String(length=40), nullable=True),
        sa.Column("gateway_link_id", sa.String(length=64), nullable=True),
        sa.Column("payment_link_url", sa.String(length=500), nullable=True),
        sa.Column("payment_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("gateway_payment_id", sa.String(length=64), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tracking_number", sa.String(length=13), nullable=True),
        sa.Column("requested_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_KNOWN, name=op.f("ck_deliveries_status_known")),
        sa.CheckConstraint("fee_paise >= 0", name=op.f("ck_deliveries_fee_not_negative")),
        sa.CheckConstraint(
            "(status NOT IN ('dispatched', 'delivered')) OR tracking_number IS NOT NULL",
            name=op.f("ck_deliveries_dispatched_has_tracking"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_deliveries_application_id_applications")
        ),
        sa.ForeignKeyConstraint(
            ["certificate_id"], ["certificates.id"], name=op.f("fk_deliveries_certificate_id_certificates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("payment_reference", name=op.f("uq_deliveries_payment_reference")),
        sa.UniqueConstraint("gateway_link_id", name=op.f("uq_deliveries_gateway_link_id")),
        sa.UniqueConstraint("gateway_payment_id", name=op.f("uq_deliveries_gateway_payment_id")),
    )
    op.create_index(op.f("ix_deliveries_application_id"), "deliveries", ["application_id"], unique=False)
    op.create_index(op.f("ix_deliveries_certificate_id"), "deliveries", ["certificate_id"], unique=False)
    op.create_index(op.f("ix_deliveries_status"), "deliveries", ["status"], unique=False)
    op.create_index(
        "uq_deliveries_one_open_per_certificate",
        "deliveries",
        ["certificate_id"],
        unique=True,
        postgresql_where=sa.text(_OPEN),
        sqlite_where=sa.text(_OPEN),
    )
    op.create_table(
        "delivery_status_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_delivery_status_history_delivery_id_deliveries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_status_history")),
    )
    op.create_index(
        op.f("ix_delivery_status_history_delivery_id"), "delivery_status_history", ["delivery_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_delivery_status_history_delivery_id"), table_name="delivery_status_history")
    op.drop_table("delivery_status_history")
    op.drop_index("uq_deliveries_one_open_per_certificate", table_name="deliveries")
    op.drop_index(op.f("ix_deliveries_status"), table_name="deliveries")
    op.drop_index(op.f("ix_deliveries_certificate_id"), table_name="deliveries")
    op.drop_index(op.f("ix_deliveries_application_id"), table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_table("certificate_counters")
    op.drop_index("uq_certificates_one_in_force_per_application", table_name="certificates")
    op.drop_index(op.f("ix_certificates_application_id"), table_name="certificates")
    op.drop_table("certificates")
