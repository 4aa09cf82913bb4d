"""Migration 0003_certificates on SQLite and PostgreSQL: it creates exactly what
the models describe, and goes down and up again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from lokseva.db import create_engine_for
from lokseva.db.core import alembic_config
from tests.unit.migrations import differences

OURS = {"certificates", "certificate_counters", "deliveries", "delivery_status_history"}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path, postgres_database_factory):
    return f"sqlite:///{tmp_path / 'm.db'}" if request.param == "sqlite" else postgres_database_factory()


def _differences(engine):
    return differences(engine, OURS)


def test_upgrade_matches_the_models_and_downgrade_removes_only_ours(url):
    config = alembic_config(url)
    command.upgrade(config, "0003_certificates")
    engine = create_engine_for(url)
    try:
        assert set(sa.inspect(engine).get_table_names()) >= OURS
        # The postage columns of deliveries moved to the payments ledger in 0012: the
        # deliveries table matches its model from there on (checked at the end).
        assert differences(engine, OURS - {"deliveries"}) == []
        indexes = {i["name"] for i in sa.inspect(engine).get_indexes("certificates")}
        assert "uq_certificates_one_in_force_per_application" in indexes
        command.downgrade(config, "0002_payments")
        left = set(sa.inspect(engine).get_table_names())
        assert not OURS & left and {"applications", "payments"} <= left
        command.upgrade(config, "0003_certificates")
        assert set(sa.inspect(engine).get_table_names()) >= OURS
        command.upgrade(config, "head")
        assert _differences(engine) == []
    finally:
        engine.dispose()
