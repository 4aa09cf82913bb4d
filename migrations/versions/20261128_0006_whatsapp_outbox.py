"""The WhatsApp channel's outbox: replies written before they are sent.

Revision ID: 0006_whatsapp_outbox
Revises: 0005_channel
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa

revision = "0006_whatsapp_outbox"
down_revision = "0005_channel"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "whatsapp_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=40), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_sid", sa.String(length=64), nullable=True),
        sa.Column("error_code", sa.Integer(), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whatsapp_outbox")),
    )
    op.create_index(op.f("ix_whatsapp_outbox_conversation_id"), "whatsapp_outbox", ["conversation_id"])
    op.create_index(op.f("ix_whatsapp_outbox_status"), "whatsapp_outbox", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_whatsapp_outbox_status"), table_name="whatsapp_outbox")
    op.drop_index(op.f("ix_whatsapp_outbox_conversation_id"), table_name="whatsapp_outbox")
    op.drop_table("whatsapp_outbox")
