"""Migration 0008_whatsapp_content on SQLite and PostgreSQL: it creates exactly
what the model describes, and goes down and up again."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from lokseva.db import create_engine_for
from lokseva.db.core import alembic_config
from tests.unit.migrations import differences


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path, postgres_database_factory):
    return f"sqlite:///{tmp_path / 'm.db'}" if request.param == "sqlite" else postgres_database_factory()


def test_the_content_cache_table_matches_its_model_and_goes_down_and_up(url):
    config = alembic_config(url)
    command.upgrade(config, "0008_whatsapp_content")
    engine = create_engine_for(url)
    try:
        assert "whatsapp_content" in sa.inspect(engine).get_table_names()
        assert differences(engine, {"whatsapp_content"}) == []
        command.downgrade(config, "0007_appeals")
        left = set(sa.inspect(engine).get_table_names())
        assert "whatsapp_content" not in left and "whatsapp_outbox" in left
        command.upgrade(config, "0008_whatsapp_content")
        assert "whatsapp_content" in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
