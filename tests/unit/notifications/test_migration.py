"""Migration 0009_notifications runs up and down, and matches the model."""

import sqlalchemy as sa
from alembic import command

from lokseva.db.core import alembic_config, upgrade_database
from tests.unit.migrations import differences


def test_up_down_and_the_model_matches(tmp_path, postgres_database_factory):
    for url in (f"sqlite:///{tmp_path / 'm.db'}", postgres_database_factory()):
        upgrade_database(url)
        engine = sa.create_engine(url)
        try:
            assert "notifications" in sa.inspect(engine).get_table_names()
            assert differences(engine, ["notifications"]) == []
            command.downgrade(alembic_config(url), "0008_whatsapp_content")
            assert "notifications" not in sa.inspect(engine).get_table_names()
            upgrade_database(url)
            assert "notifications" in sa.inspect(engine).get_table_names()
        finally:
            engine.dispose()
