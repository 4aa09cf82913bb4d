"""Migration 0007_appeals on SQLite and PostgreSQL: it creates exactly what the
models describe, and goes down and up again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from lokseva.db import create_engine_for
from lokseva.db.core import alembic_config
from tests.unit.migrations import differences

OURS = {"appeals", "appeal_counters"}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path, postgres_database_factory):
    return f"sqlite:///{tmp_path / 'm.db'}" if request.param == "sqlite" else postgres_database_factory()


def _differences(engine):
    return differences(engine, OURS)


def test_upgrade_matches_the_models_and_downgrade_removes_only_ours(url):
    config = alembic_config(url)
    command.upgrade(config, "0007_appeals")
    engine = create_engine_for(url)
    try:
        assert set(sa.inspect(engine).get_table_names()) >= OURS
        assert _differences(engine) == []
        command.downgrade(config, "0006_whatsapp_outbox")
        left = set(sa.inspect(engine).get_table_names())
        assert not left & OURS and "applications" in left
        command.upgrade(config, "0007_appeals")
        assert set(sa.inspect(engine).get_table_names()) >= OURS
    finally:
        engine.dispose()
