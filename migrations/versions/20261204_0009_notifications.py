"""The notification outbox: what the assistant tells a citizen on its own.

Revision ID: 0009_notifications
Revises: 0008_whatsapp_content
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa

revision = "0009_notifications"
down_revision = "0008_whatsapp_content"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("variables", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("attachment", sa.JSON(), nullable=True),
        sa.Column("subject", sa.String(length=80), nullable=True),
        sa.Column("dedupe_key", sa.String(length=120), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=40), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed', 'withdrawn')", name=op.f("ck_notifications_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["citizens.id"], ondelete="CASCADE", name=op.f("fk_notifications_citizen_id_citizens")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_notifications_dedupe_key")),
    )
    op.create_index(op.f("ix_notifications_citizen_id"), "notifications", ["citizen_id"])
    op.create_index(op.f("ix_notifications_status"), "notifications", ["status"])
    op.create_index(op.f("ix_notifications_subject"), "notifications", ["subject"])
    op.create_index("ix_notifications_status_citizen", "notifications", ["status", "citizen_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_notifications_status_citizen", table_name="notifications")
    op.drop_index(op.f("ix_notifications_subject"), table_name="notifications")
    op.drop_index(op.f("ix_notifications_status"), table_name="notifications")
    op.drop_index(op.f("ix_notifications_citizen_id"), table_name="notifications")
    op.drop_table("notifications")
