"""The WhatsApp channel's contents (reply buttons, lists) made with Twilio's Content API.

Revision ID: 0008_whatsapp_content
Revises: 0007_appeals
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa

revision = "0008_whatsapp_content"
down_revision = "0007_appeals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "whatsapp_content",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("content_sid", sa.String(length=34), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_whatsapp_content")),
    )


def downgrade() -> None:
    op.drop_table("whatsapp_content")
