"""A citizen's choice to hear every reply as a voice note too ("हमेशा बोलकर जवाब दो"),
and when the channel offered it (once, after the citizen's first voice note).

Revision ID: 0014_voice_preference
Revises: 0011_districts
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa

revision = "0014_voice_preference"
down_revision = "0013_payments_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("whatsapp_contacts") as batch:
        batch.add_column(sa.Column("speak_replies", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("voice_offered_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("whatsapp_contacts") as batch:
        batch.drop_column("voice_offered_at")
        batch.drop_column("speak_replies")
