"""Fixtures of the portal's unit tests: a real database migrated by Alembic
(SQLite: migrated once, copied per test) and a tracker store written by Rasa."""

from __future__ import annotations

import shutil

import pytest

from lokseva.db import create_engine_for, upgrade_database


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("portal-template") / "template.db"
    upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture
def database_url(tmp_path, migrated_template) -> str:
    path = tmp_path / "app.db"
    shutil.copy(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(database_url):
    engine = create_engine_for(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def tracker_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'tracker.db'}"


@pytest.fixture
def tracker_engine(tracker_url):
    engine = create_engine_for(tracker_url)
    yield engine
    engine.dispose()


@pytest.fixture
def staff(engine):
    """A trainer and an admin, as views see them."""
    from lokseva.db import session_scope
    from lokseva.portal import service

    with session_scope(engine) as session:
        trainer = service.create_user(session, "trainer1", "a-Long-pass-1234", "trainer", "Asha")
        admin = service.create_user(session, "admin1", "a-Long-pass-1234", "admin", "Ravi")
        return {"trainer": service.Staff.of(trainer), "admin": service.Staff.of(admin)}
