"""Migrations 0008_whatsapp_content and 0014_voice_preference on SQLite and PostgreSQL: they create exactly
what the model describes, and go down and up again."""

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


def test_the_spoken_replies_setting_keeps_existing_contacts_and_goes_down_and_up(url):
    """0014_voice_preference: every citizen starts with written replies only, not yet offered."""
    config = alembic_config(url)
    command.upgrade(config, "0013_payments_ledger")
    engine = create_engine_for(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO whatsapp_contacts (conversation_id, phone, created_at) "
                    "VALUES ('wa-1', '+919826012345', '2026-11-01 10:00:00')"
                )
            )
        command.upgrade(config, "0014_voice_preference")
        assert differences(engine, {"whatsapp_contacts"}) == []
        with engine.connect() as conn:
            row = conn.execute(sa.text("SELECT * FROM whatsapp_contacts")).mappings().one()
        assert not row["speak_replies"] and row["voice_offered_at"] is None and row["phone"] == "+919826012345"
        command.downgrade(config, "0013_payments_ledger")
        columns = {c["name"] for c in sa.inspect(engine).get_columns("whatsapp_contacts")}
        assert "speak_replies" not in columns and "voice_offered_at" not in columns
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT phone FROM whatsapp_contacts")).scalar_one() == "+919826012345"
        command.upgrade(config, "0014_voice_preference")
    finally:
        engine.dispose()
