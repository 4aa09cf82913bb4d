"""Appeal officers in the portal: two staff roles (first appeal officer, second
appellate authority), the designated officer's reason for a late decision, and
the officers' daily digest.

Revision ID: 0012_appeal_officers
Revises: 0011_districts
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa

revision = "0012_appeal_officers"
down_revision = "0011_districts"
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('operator', 'designated_officer', 'trainer', 'admin')"
NEW_ROLES = (
    "role IN ('operator', 'designated_officer', 'trainer', 'admin', 'first_appeal_officer', "
    "'second_appellate_authority')"
)


def _roles(check: str) -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_constraint(op.f("ck_staff_users_role"), type_="check")
        batch.create_check_constraint(op.f("ck_staff_users_role"), check)


def upgrade() -> None:
    _roles(NEW_ROLES)
    op.create_table(
        "late_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("days_late", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=40), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_late_decisions_application_id_applications")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_late_decisions")),
    )
    op.create_index(op.f("ix_late_decisions_application_id"), "late_decisions", ["application_id"])
    op.create_table(
        "officer_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_code", sa.String(length=3), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("prepared_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer_digests")),
        sa.UniqueConstraint("district_code", "day", name="uq_officer_digests_district_day"),
    )


def downgrade() -> None:
    op.drop_table("officer_digests")
    op.drop_index(op.f("ix_late_decisions_application_id"), table_name="late_decisions")
    op.drop_table("late_decisions")
    # Accounts of the two appeal roles cannot stay under the old constraint: they are
    # deactivated designated officers afterwards (kept for the audit log's names).
    op.execute(
        sa.text(
            "UPDATE staff_users SET role = 'designated_officer', is_active = :no "
            "WHERE role IN ('first_appeal_officer', 'second_appellate_authority')"
        ).bindparams(no=False)
    )
    _roles(OLD_ROLES)
