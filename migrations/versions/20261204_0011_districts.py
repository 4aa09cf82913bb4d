"""Every district of MP: the citizen's district and the staff member's.

Until now the deployment served Jhabua alone, so every citizen and every staff
account it holds is Jhabua's (code JBA, lokseva/districts/registry.yml); their
applications already carry district_code JBA. A staff account without a
district is state-wide (sees every district).

A district code in registry.yml never changes once used; renaming one is a
migration like this one that rewrites applications.district_code,
application_counters, certificate_counters, citizens and staff_users together.

Revision ID: 0011_districts
Revises: 0010_aadhaar_vault
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa

revision = "0011_districts"
down_revision = "0010_aadhaar_vault"
branch_labels = None
depends_on = None

JHABUA = "JBA"


def upgrade() -> None:
    op.add_column("citizens", sa.Column("district_code", sa.String(length=3), nullable=True))
    op.add_column("staff_users", sa.Column("district_code", sa.String(length=3), nullable=True))
    op.create_index(op.f("ix_applications_district_code"), "applications", ["district_code"])
    op.execute(sa.text("UPDATE citizens SET district_code = :code").bindparams(code=JHABUA))
    op.execute(sa.text("UPDATE staff_users SET district_code = :code").bindparams(code=JHABUA))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # SQLite drops columns by copying the table; the applications that point at
        # citizens would fail the copy's DROP TABLE. The copy keeps every row and id,
        # so the keys hold again afterwards (Alembic runs SQLite DDL outside a transaction).
        op.execute("PRAGMA foreign_keys = OFF")
    op.drop_index(op.f("ix_applications_district_code"), table_name="applications")
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("district_code")
    with op.batch_alter_table("citizens") as batch:
        batch.drop_column("district_code")
    if sqlite:
        op.execute("PRAGMA foreign_keys = ON")
