"""Migration 0004_staff runs up and down on SQLite and PostgreSQL."""

import pytest
import sqlalchemy as sa
from alembic import command

from lokseva.db.core import alembic_config, upgrade_database

TABLES = {
    "staff_users",
    "staff_sessions",
    "staff_login_attempts",
    "staff_audit_log",
    "callback_requests",
    "trainer_labels",
}


def check_up_down(url):
    upgrade_database(url)
    engine = sa.create_engine(url)
    try:
        assert set(sa.inspect(engine).get_table_names()) >= TABLES
        command.downgrade(alembic_config(url), "0003_certificates")
        assert not TABLES & set(sa.inspect(engine).get_table_names())
        upgrade_database(url)
        assert set(sa.inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def test_sqlite(tmp_path):
    check_up_down(f"sqlite:///{tmp_path / 'm.db'}")


def test_models_match_the_migration(tmp_path):
    """Autogenerate finds nothing to add for the portal's tables."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from lokseva.db import Base
    from lokseva.db import registry  # noqa: F401

    url = f"sqlite:///{tmp_path / 'c.db'}"
    upgrade_database(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    ours = [d for d in diff if any(t in repr(d) for t in TABLES)]
    assert ours == []


@pytest.mark.postgres
def test_postgresql(postgres_database_factory):
    check_up_down(postgres_database_factory())
