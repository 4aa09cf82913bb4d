"""The WhatsApp channel: contacts, the inbox of webhooks, delivery statuses.

Revision ID: 0005_channel
Revises: 0004_staff
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa

revision = "0005_channel"
down_revision = "0004_staff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "whatsapp_contacts",
        sa.Column("conversation_id", sa.String(length=40), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("last_inbound_at", sa.DateTime(), nullable=True),
        sa.Column("last_buttons", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_whatsapp_contacts")),
        sa.UniqueConstraint("phone", name=op.f("uq_whatsapp_contacts_phone")),
    )
    op.create_table(
        "whatsapp_inbound_messages",
        sa.Column("message_sid", sa.String(length=64), nullable=False),
        sa.Column("conversation_id", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=40), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("processed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("message_sid", name=op.f("pk_whatsapp_inbound_messages")),
    )
    op.create_index(
        op.f("ix_whatsapp_inbound_messages_conversation_id"), "whatsapp_inbound_messages", ["conversation_id"]
    )
    op.create_index(op.f("ix_whatsapp_inbound_messages_received_at"), "whatsapp_inbound_messages", ["received_at"])
    op.create_index(op.f("ix_whatsapp_inbound_messages_status"), "whatsapp_inbound_messages", ["status"])
    op.create_table(
        "whatsapp_outbound_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_sid", sa.String(length=64), nullable=True),
        sa.Column("conversation_id", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error_code", sa.Integer(), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whatsapp_outbound_messages")),
        sa.UniqueConstraint("message_sid", name=op.f("uq_whatsapp_outbound_messages_message_sid")),
    )
    op.create_index(
        op.f("ix_whatsapp_outbound_messages_conversation_id"), "whatsapp_outbound_messages", ["conversation_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_whatsapp_outbound_messages_conversation_id"), table_name="whatsapp_outbound_messages")
    op.drop_table("whatsapp_outbound_messages")
    op.drop_index(op.f("ix_whatsapp_inbound_messages_status"), table_name="whatsapp_inbound_messages")
    op.drop_index(op.f("ix_whatsapp_inbound_messages_received_at"), table_name="whatsapp_inbound_messages")
    op.drop_index(op.f("ix_whatsapp_inbound_messages_conversation_id"), table_name="whatsapp_inbound_messages")
    op.drop_table("whatsapp_inbound_messages")
    op.drop_table("whatsapp_contacts")
