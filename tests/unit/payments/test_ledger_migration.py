"""Migration 0013_payments_ledger on SQLite and PostgreSQL, with data present:
the postage fees of home deliveries move from their columns on deliveries into
payment rows (purpose postage), application fees become the application_fee
purpose, the schema is what the models describe, and the downgrade puts every
postage fee back on its delivery."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from lokseva.db import create_engine_for
from lokseva.db.core import alembic_config, upgrade_database
from tests.unit.migrations import differences

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone.utc)
PAST = dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.timezone.utc)
FUTURE = dt.datetime(2099, 1, 1, tzinfo=dt.timezone.utc)
DELIVERY_COLUMNS = (
    "payment_reference",
    "gateway_link_id",
    "payment_link_url",
    "payment_expires_at",
    "gateway_payment_id",
    "paid_at",
)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path, postgres_database_factory):
    return f"sqlite:///{tmp_path / 'm.db'}" if request.param == "sqlite" else postgres_database_factory()


def _seed(conn) -> dict:
    """Before 0012: one application paid by its fee, with four deliveries of its
    certificate over time: paid, cancelled unpaid (link expired), free, and one
    waiting for its fee on an open link; and a second application whose
    delivery waits without a link (the gateway did not answer)."""

    def insert(table, **values):
        columns = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        return conn.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)

    insert(
        "citizens",
        channel_user_id="wa-1",
        whatsapp_number="+919826012345",
        language="hi",
        created_at=NOW,
        district_code="JBA",
    )
    citizen = conn.execute(sa.text("SELECT id FROM citizens")).scalar()
    ids = {}
    for reference in ("JBA-2026-000001", "JBA-2026-000002"):
        insert(
            "applications",
            reference=reference,
            district_code="JBA",
            citizen_id=citizen,
            service_id="income_certificate",
            status="certificate_issued",
            language="hi",
            details="{}",
            statutory_fee_paise=0,
            processing_fee_paise=2000,
            fee_due_paise=2000,
            due_date_confirmed=True,
            created_at=NOW,
            updated_at=NOW,
        )
        application = conn.execute(
            sa.text("SELECT id FROM applications WHERE reference = :r"), {"r": reference}
        ).scalar()
        insert(
            "certificates",
            number=f"C-{reference}",
            application_id=application,
            service_id="income_certificate",
            applicant_name="सीता",
            issue_date=NOW.date(),
            signature="s" * 64,
            file_path="x.pdf",
            sha256="0" * 64,
            size_bytes=1,
            issued_at=NOW,
            issued_by="system",
        )
        ids[reference] = (
            application,
            conn.execute(sa.text("SELECT id FROM certificates WHERE application_id = :a"), {"a": application}).scalar(),
        )
    first, certificate = ids["JBA-2026-000001"]
    insert(
        "payments",
        application_id=first,
        reference="JBA-2026-000001-P01",
        attempt=1,
        amount_paise=2000,
        currency="INR",
        fee_lines='[{"kind": "processing", "paise": 2000}]',
        status="paid",
        gateway="sandbox",
        gateway_link_id="plink_app1",
        gateway_payment_id="pay_app1",
        link_url="https://g/i/app1",
        expires_at=FUTURE,
        method="upi",
        paid_at=NOW,
        created_at=NOW,
        updated_at=NOW,
    )

    def delivery(status, application, certificate, fee, **payment):
        insert(
            "deliveries",
            certificate_id=certificate,
            application_id=application,
            status=status,
            village="Pitol",
            tehsil="Jhabua",
            pin="457661",
            landmark="",
            address_source="typed",
            fee_paise=fee,
            tracking_number="EE123456785IN" if status == "delivered" else None,
            requested_by="citizen",
            created_at=NOW,
            updated_at=NOW,
            **payment,
        )
        return conn.execute(sa.text("SELECT max(id) FROM deliveries")).scalar()

    return {
        "paid": delivery(
            "delivered",
            first,
            certificate,
            2000,
            payment_reference="JBA-2026-000001-D01",
            gateway_link_id="plink_d1",
            payment_link_url="https://g/i/d1",
            payment_expires_at=FUTURE,
            gateway_payment_id="pay_d1",
            paid_at=NOW,
        ),
        "expired": delivery(
            "cancelled",
            first,
            certificate,
            2000,
            payment_reference="JBA-2026-000001-D02",
            gateway_link_id="plink_d2",
            payment_link_url="https://g/i/d2",
            payment_expires_at=PAST,
        ),
        "free": delivery("cancelled", first, certificate, 0),
        "open": delivery(
            "payment_pending",
            first,
            certificate,
            2000,
            payment_reference="JBA-2026-000001-D04",
            gateway_link_id="plink_d4",
            payment_link_url="https://g/i/d4",
            payment_expires_at=FUTURE,
        ),
        "no_link": delivery("payment_pending", *ids["JBA-2026-000002"], 2000, payment_reference="JBA-2026-000002-D01"),
        "applications": (first, ids["JBA-2026-000002"][0]),
    }


def test_postage_moves_into_the_ledger_and_back(url):
    config = alembic_config(url)
    previous = ScriptDirectory.from_config(config).get_revision("0013_payments_ledger").down_revision
    command.upgrade(config, previous)
    engine = create_engine_for(url)
    try:
        with engine.begin() as conn:
            seeded = _seed(conn)
            before = conn.execute(
                sa.text(f"SELECT id, {', '.join(DELIVERY_COLUMNS)} FROM deliveries ORDER BY id")
            ).all()
        upgrade_database(url)
        assert differences(engine, {"payments", "deliveries"}) == []
        with engine.connect() as conn:
            rows = {
                r["subject_id"]: r
                for r in conn.execute(sa.text("SELECT * FROM payments WHERE purpose = 'postage'")).mappings()
            }
            [fee] = conn.execute(sa.text("SELECT * FROM payments WHERE purpose = 'application_fee'")).mappings()
            events = conn.execute(sa.text("SELECT payment_id, to_status, note FROM payment_events")).all()
            left = {c["name"] for c in sa.inspect(conn).get_columns("deliveries")}
        assert not left & set(DELIVERY_COLUMNS) and "fee_paise" in left
        assert (fee["reference"], fee["subject_id"], fee["status"]) == (
            "JBA-2026-000001-P01",
            seeded["applications"][0],
            "paid",
        )
        assert set(rows) == {seeded[k] for k in ("paid", "expired", "open", "no_link")}, "a free delivery has no fee"
        paid, expired, open_, no_link = (rows[seeded[k]] for k in ("paid", "expired", "open", "no_link"))
        assert (
            paid["reference"],
            paid["status"],
            paid["gateway_payment_id"],
            paid["gateway_link_id"],
            paid["amount_paise"],
            paid["application_id"],
        ) == ("JBA-2026-000001-D01", "paid", "pay_d1", "plink_d1", 2000, seeded["applications"][0])
        assert paid["paid_at"] is not None and paid["link_url"] == "https://g/i/d1"
        assert (expired["status"], open_["status"], no_link["status"]) == ("expired", "open", "pending")
        assert no_link["application_id"] == seeded["applications"][1] and no_link["gateway_link_id"] is None
        assert {e.payment_id for e in events if "moved from the delivery" in e.note} == {r["id"] for r in rows.values()}

        # The ledger's guarantees hold for postage too: one payable link per delivery.
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO payments (application_id, purpose, subject_id, reference, attempt, amount_paise, currency, "
                    "fee_lines, status, gateway, expires_at, created_at, updated_at) VALUES (:a, 'postage', :d, 'X-D09', 2, "
                    "2000, 'INR', '[]', 'open', 'sandbox', :t, :t, :t)"
                ),
                {"a": seeded["applications"][0], "d": seeded["open"], "t": NOW},
            )

        command.downgrade(config, previous)
        with engine.connect() as conn:
            after = conn.execute(sa.text(f"SELECT id, {', '.join(DELIVERY_COLUMNS)} FROM deliveries ORDER BY id")).all()
            payments = conn.execute(sa.text("SELECT reference, status FROM payments")).all()
            columns = {c["name"] for c in sa.inspect(conn).get_columns("payments")}
        assert [(r[0], r[1], r[2], r[3], r[5]) for r in after] == [(r[0], r[1], r[2], r[3], r[5]) for r in before]
        for was, now in zip(before, after):
            for index in (4, 6):  # the timestamps, as each database returns them
                assert (was[index] is None) == (now[index] is None)
        assert payments == [("JBA-2026-000001-P01", "paid")]
        assert "purpose" not in columns and "subject_id" not in columns
        command.upgrade(config, "head")
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM payments WHERE purpose = 'postage'")).scalar() == 4
    finally:
        engine.dispose()
