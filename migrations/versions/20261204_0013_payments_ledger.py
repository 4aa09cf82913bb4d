"""One payments ledger for every fee: payments get a purpose and a subject, and
the postage fees of home deliveries move from their columns on deliveries into
payment rows (purpose "postage", subject the delivery's id).

Upgrade: every existing payment is an application fee of its application.
Each delivery that had a postage fee (a payment reference) becomes one payment
row with its reference, link, gateway ids, amount and dates: paid when the
gateway's payment id was recorded, open while the delivery waits with a link,
pending while it waits without one, else expired or cancelled (its link's time
had run out or not). Its history line says it came from the delivery.

Downgrade: the newest postage payment of each delivery goes back into the
delivery's columns (a payment that was refund_due is not a payment of the
delivery and is lost with the ledger's postage rows), and the postage rows and
their history are deleted.

Revision ID: 0013_payments_ledger
Revises: 0012_appeal_officers
Create Date: 2026-12-04
"""

from __future__ import annotations

import datetime as dt
import os

import sqlalchemy as sa
from alembic import op

revision = "0013_payments_ledger"
down_revision = "0012_appeal_officers"
branch_labels = None
depends_on = None

_PAID = "status = 'paid'"
_OPEN = "status IN ('pending', 'open')"
_DELIVERY_OPEN = "status IN ('dispatched', 'payment_pending', 'printed', 'requested', 'returned')"
_COLUMNS = (
    "payment_reference",
    "gateway_link_id",
    "payment_link_url",
    "payment_expires_at",
    "gateway_payment_id",
    "paid_at",
)


def _aware(value):
    """A timestamp as SQLite returns it (text, naive) or PostgreSQL (aware)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _foreign_keys(on: bool) -> None:
    # SQLite changes a table's columns by copying it; the rows that point at it
    # would fail the copy's DROP TABLE. The copy keeps every row and id.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def upgrade() -> None:
    _foreign_keys(False)
    op.drop_index("uq_payments_one_paid_per_application", table_name="payments")
    op.drop_index("uq_payments_one_open_per_application", table_name="payments")
    op.add_column(
        "payments", sa.Column("purpose", sa.String(length=24), nullable=False, server_default="application_fee")
    )
    op.add_column("payments", sa.Column("subject_id", sa.Integer(), nullable=True))
    op.execute("UPDATE payments SET subject_id = application_id")
    with op.batch_alter_table("payments") as batch:
        batch.alter_column("subject_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_constraint("uq_payments_application_attempt", type_="unique")
        batch.create_unique_constraint("uq_payments_subject_attempt", ["purpose", "subject_id", "attempt"])
    op.create_index("ix_payments_purpose_subject", "payments", ["purpose", "subject_id"])
    op.create_index(
        "uq_payments_one_paid_per_subject",
        "payments",
        ["purpose", "subject_id"],
        unique=True,
        postgresql_where=sa.text(_PAID),
        sqlite_where=sa.text(_PAID),
    )
    op.create_index(
        "uq_payments_one_open_per_subject",
        "payments",
        ["purpose", "subject_id"],
        unique=True,
        postgresql_where=sa.text(_OPEN),
        sqlite_where=sa.text(_OPEN),
    )

    _move_postage_into_the_ledger()

    op.drop_index("uq_deliveries_one_open_per_certificate", table_name="deliveries")
    with op.batch_alter_table("deliveries") as batch:
        for column in ("payment_reference", "gateway_link_id", "gateway_payment_id"):
            batch.drop_constraint(f"uq_deliveries_{column}", type_="unique")
        for column in _COLUMNS:
            batch.drop_column(column)
    op.create_index(
        "uq_deliveries_one_open_per_certificate",
        "deliveries",
        ["certificate_id"],
        unique=True,
        postgresql_where=sa.text(_DELIVERY_OPEN),
        sqlite_where=sa.text(_DELIVERY_OPEN),
    )
    _foreign_keys(True)


def _move_postage_into_the_ledger() -> None:
    bind = op.get_bind()
    now = dt.datetime.now(dt.timezone.utc)
    known = bind.execute(sa.text("SELECT gateway FROM payments ORDER BY id DESC LIMIT 1")).scalar()
    gateway = known or os.environ.get("PAYMENT_GATEWAY", "sandbox")
    payments = sa.table(
        "payments",
        sa.column("application_id", sa.Integer),
        sa.column("purpose", sa.String),
        sa.column("subject_id", sa.Integer),
        sa.column("reference", sa.String),
        sa.column("attempt", sa.Integer),
        sa.column("amount_paise", sa.BigInteger),
        sa.column("currency", sa.String),
        sa.column("fee_lines", sa.JSON),
        sa.column("status", sa.String),
        sa.column("gateway", sa.String),
        sa.column("gateway_link_id", sa.String),
        sa.column("gateway_payment_id", sa.String),
        sa.column("link_url", sa.String),
        sa.column("expires_at", sa.DateTime(timezone=True)),
        sa.column("paid_at", sa.DateTime(timezone=True)),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    events = sa.table(
        "payment_events",
        sa.column("payment_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("from_status", sa.String),
        sa.column("to_status", sa.String),
        sa.column("source", sa.String),
        sa.column("note", sa.Text),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    rows = (
        bind.execute(
            sa.text(
                "SELECT id, application_id, status, fee_paise, payment_reference, gateway_link_id, payment_link_url, "
                "payment_expires_at, gateway_payment_id, paid_at, created_at, updated_at FROM deliveries "
                "WHERE payment_reference IS NOT NULL ORDER BY id"
            )
        )
        .mappings()
        .all()
    )
    for row in rows:
        expires = _aware(row["payment_expires_at"]) or _aware(row["created_at"])
        if row["gateway_payment_id"]:
            status = "paid"
        elif row["status"] == "payment_pending":
            status = "open" if row["gateway_link_id"] else "pending"
        else:
            status = "expired" if expires <= now else "cancelled"
        bind.execute(
            payments.insert().values(
                application_id=row["application_id"],
                purpose="postage",
                subject_id=row["id"],
                reference=row["payment_reference"],
                attempt=1,
                amount_paise=row["fee_paise"],
                currency="INR",
                fee_lines=[{"kind": "home_delivery", "paise": row["fee_paise"]}],
                status=status,
                gateway=gateway,
                gateway_link_id=row["gateway_link_id"],
                gateway_payment_id=row["gateway_payment_id"],
                link_url=row["payment_link_url"],
                expires_at=expires,
                paid_at=_aware(row["paid_at"]),
                created_at=_aware(row["created_at"]),
                updated_at=_aware(row["updated_at"]),
            )
        )
        payment_id = bind.execute(
            sa.text("SELECT id FROM payments WHERE reference = :r"), {"r": row["payment_reference"]}
        ).scalar_one()
        bind.execute(
            events.insert().values(
                payment_id=payment_id,
                kind="status",
                from_status=None,
                to_status=status,
                source="system",
                note=f"postage of delivery {row['id']}, moved from the delivery into the ledger (0012)",
                at=now,
            )
        )


def downgrade() -> None:
    _foreign_keys(False)
    op.drop_index("uq_deliveries_one_open_per_certificate", table_name="deliveries")
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("payment_reference", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("gateway_link_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("payment_link_url", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("payment_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("gateway_payment_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True))
        for column in ("payment_reference", "gateway_link_id", "gateway_payment_id"):
            batch.create_unique_constraint(f"uq_deliveries_{column}", [column])
    op.create_index(
        "uq_deliveries_one_open_per_certificate",
        "deliveries",
        ["certificate_id"],
        unique=True,
        postgresql_where=sa.text(_DELIVERY_OPEN),
        sqlite_where=sa.text(_DELIVERY_OPEN),
    )

    bind = op.get_bind()
    rows = (
        bind.execute(
            sa.text(
                "SELECT id, subject_id, reference, gateway_link_id, link_url, expires_at, gateway_payment_id, paid_at "
                "FROM payments WHERE purpose = 'postage' AND status != 'refund_due' ORDER BY id"
            )
        )
        .mappings()
        .all()
    )
    for row in rows:  # the newest payment of a delivery is written last; a link's expiry only with a link
        bind.execute(
            sa.text(
                "UPDATE deliveries SET payment_reference = :reference, gateway_link_id = :link, payment_link_url = :url, "
                "payment_expires_at = :expires, gateway_payment_id = :paid_id, paid_at = :paid_at WHERE id = :id"
            ),
            {
                "reference": row["reference"],
                "link": row["gateway_link_id"],
                "url": row["link_url"],
                "expires": _aware(row["expires_at"]) if row["gateway_link_id"] else None,
                "paid_id": row["gateway_payment_id"],
                "paid_at": _aware(row["paid_at"]),
                "id": row["subject_id"],
            },
        )
    postage = "SELECT id FROM payments WHERE purpose = 'postage'"
    op.execute(f"DELETE FROM payment_events WHERE payment_id IN ({postage})")
    op.execute(f"DELETE FROM payment_notices WHERE payment_id IN ({postage})")
    op.execute("DELETE FROM payments WHERE purpose = 'postage'")

    op.drop_index("uq_payments_one_open_per_subject", table_name="payments")
    op.drop_index("uq_payments_one_paid_per_subject", table_name="payments")
    op.drop_index("ix_payments_purpose_subject", table_name="payments")
    with op.batch_alter_table("payments") as batch:
        batch.drop_constraint("uq_payments_subject_attempt", type_="unique")
        batch.create_unique_constraint("uq_payments_application_attempt", ["application_id", "attempt"])
        batch.drop_column("subject_id")
        batch.drop_column("purpose")
    op.create_index(
        "uq_payments_one_paid_per_application",
        "payments",
        ["application_id"],
        unique=True,
        postgresql_where=sa.text(_PAID),
        sqlite_where=sa.text(_PAID),
    )
    op.create_index(
        "uq_payments_one_open_per_application",
        "payments",
        ["application_id"],
        unique=True,
        postgresql_where=sa.text(_OPEN),
        sqlite_where=sa.text(_OPEN),
    )
    _foreign_keys(True)
