"""The Aadhaar vault: full numbers only there, encrypted; applications keep a
reference and the last four digits. Existing encrypted numbers move into the
vault as they are (the same Fernet token: nothing is decrypted, nothing lost).

Revision ID: 0010_aadhaar_vault
Revises: 0009_notifications
Create Date: 2026-12-04
"""

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0010_aadhaar_vault"
down_revision = "0009_notifications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    vault = op.create_table(
        "aadhaar_vault",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ciphertext", sa.Text(), nullable=False),
        sa.Column("last4", sa.String(length=4), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("rotated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aadhaar_vault")),
    )
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("aadhaar_ref", sa.String(length=36), nullable=True))
    conn = op.get_bind()
    applications = sa.table(
        "applications",
        sa.column("id", sa.Integer),
        sa.column("aadhaar_encrypted", sa.Text),
        sa.column("aadhaar_last4", sa.String),
        sa.column("aadhaar_ref", sa.String),
    )
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    rows = conn.execute(
        sa.select(applications.c.id, applications.c.aadhaar_encrypted, applications.c.aadhaar_last4).where(
            applications.c.aadhaar_encrypted.isnot(None)
        )
    ).all()
    for application_id, token, last4 in rows:
        ref = str(uuid.uuid4())
        conn.execute(vault.insert().values(id=ref, ciphertext=token, last4=last4 or "", created_at=now))
        conn.execute(applications.update().where(applications.c.id == application_id).values(aadhaar_ref=ref))
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("aadhaar_encrypted")


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("aadhaar_encrypted", sa.Text(), nullable=True))
    conn = op.get_bind()
    applications = sa.table(
        "applications",
        sa.column("id", sa.Integer),
        sa.column("aadhaar_encrypted", sa.Text),
        sa.column("aadhaar_ref", sa.String),
    )
    vault = sa.table("aadhaar_vault", sa.column("id", sa.String), sa.column("ciphertext", sa.Text))
    for application_id, token in conn.execute(
        sa.select(applications.c.id, vault.c.ciphertext).select_from(
            applications.join(vault, vault.c.id == applications.c.aadhaar_ref)
        )
    ).all():
        conn.execute(applications.update().where(applications.c.id == application_id).values(aadhaar_encrypted=token))
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("aadhaar_ref")
    op.drop_table("aadhaar_vault")
