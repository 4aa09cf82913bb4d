"""Migration 0012_appeal_officers on SQLite and PostgreSQL: the two appeal roles,
late-decision reasons and the daily digest match the models; down and up again
keeps every account."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import IntegrityError

from lokseva.db import create_engine_for
from lokseva.db.core import alembic_config
from tests.unit.migrations import differences

OURS = {"late_decisions", "officer_digests", "staff_users"}
ACCOUNT = (
    "INSERT INTO staff_users (username, full_name, role, password_hash, is_active, created_at, "
    "password_changed_at) VALUES (:u, 'SDM', :r, 'x', :yes, '2026-12-01 10:00:00', '2026-12-01 10:00:00')"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path, postgres_database_factory):
    return f"sqlite:///{tmp_path / 'm.db'}" if request.param == "sqlite" else postgres_database_factory()


def test_the_appeal_roles_and_tables_come_and_go(url):
    config = alembic_config(url)
    command.upgrade(config, "0012_appeal_officers")
    engine = create_engine_for(url)
    try:
        assert set(sa.inspect(engine).get_table_names()) >= OURS
        assert differences(engine, OURS) == []
        with engine.begin() as conn:
            conn.execute(sa.text(ACCOUNT), {"u": "sdm.jba", "r": "first_appeal_officer", "yes": True})
            conn.execute(sa.text(ACCOUNT), {"u": "collector.jba", "r": "second_appellate_authority", "yes": True})
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(sa.text(ACCOUNT), {"u": "x", "r": "appeal_clerk", "yes": True})
        command.downgrade(config, "0011_districts")
        tables = set(sa.inspect(engine).get_table_names())
        assert not tables & {"late_decisions", "officer_digests"} and "staff_users" in tables
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT username, role, is_active FROM staff_users ORDER BY username")).all()
        # Kept (the audit log names them), as inactive designated officers.
        assert [(u, r, bool(a)) for u, r, a in rows] == [
            ("collector.jba", "designated_officer", False),
            ("sdm.jba", "designated_officer", False),
        ]
        command.upgrade(config, "0012_appeal_officers")
        assert differences(engine, OURS) == []
    finally:
        engine.dispose()
