"""Appeals under the Lok Seva Guarantee Act, and their gap-free numbers.

Revision ID: 0007_appeals
Revises: 0006_whatsapp_outbox
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa

revision = "0007_appeals"
down_revision = "0006_whatsapp_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("district_code", sa.String(length=3), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("grounds", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filed_by", sa.String(length=40), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("in_time", sa.Boolean(), nullable=False),
        sa.Column("late_cause", sa.Text(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("decision_due", sa.Date(), nullable=False),
        sa.Column("decision_due_confirmed", sa.Boolean(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=40), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("new_due_date", sa.Date(), nullable=True),
        sa.Column("penalty_imposed_paise", sa.Integer(), nullable=True),
        sa.Column("compensation_paid_paise", sa.Integer(), nullable=True),
        sa.Column("compensation_paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level in (1, 2)", name=op.f("ck_appeals_level")),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_appeals_application_id_applications")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
        sa.UniqueConstraint("reference", name=op.f("uq_appeals_reference")),
        sa.UniqueConstraint("application_id", "level", name="uq_appeals_application_level"),
    )
    op.create_index(op.f("ix_appeals_application_id"), "appeals", ["application_id"])
    op.create_index(op.f("ix_appeals_status"), "appeals", ["status"])
    op.create_table(
        "appeal_counters",
        sa.Column("district_code", sa.String(length=3), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_serial", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("district_code", "year", name=op.f("pk_appeal_counters")),
    )


def downgrade() -> None:
    op.drop_table("appeal_counters")
    op.drop_index(op.f("ix_appeals_status"), table_name="appeals")
    op.drop_index(op.f("ix_appeals_application_id"), table_name="appeals")
    op.drop_table("appeals")
