"""Fixtures for the applications tests: a migrated database (SQLite and
PostgreSQL), settings pointing at it, and valid Aadhaar numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from lokseva.db import create_engine_for, upgrade_database
from lokseva.privacy.aadhaar import verhoeff_check_digit
from lokseva.settings import get_settings


def valid_aadhaar(first_eleven: str = "23456789012") -> str:
    return first_eleven + verhoeff_check_digit(first_eleven)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'applications.db'}"
    upgrade_database(url)
    return url


@pytest.fixture
def postgres_url(postgres_database_factory) -> str:
    url = postgres_database_factory()
    upgrade_database(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str:
    """The same test on SQLite (development) and PostgreSQL (tests, production)."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture
def engine(database_url):
    engine = create_engine_for(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def settings_database(monkeypatch, sqlite_url):
    """Points lokseva.settings (and so the actions) at a fresh SQLite database."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("LOKSEVA_ENV", "test")
    get_settings.cache_clear()
    yield sqlite_url
    get_settings.cache_clear()


@pytest.fixture
def actions(settings_database):
    """The action modules, imported with the settings pointing at the test database."""
    import actions.applications
    import actions.data_rights
    import actions.forms
    import actions.information
    import actions.status

    return actions


@pytest.fixture
def db(settings_database):
    engine = create_engine_for(settings_database)
    yield engine
    engine.dispose()
