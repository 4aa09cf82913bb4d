"""The purge of abandoned drafts, as cron and `make run` run it, on PostgreSQL."""

import datetime as dt
import os
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from lokseva.applications import service as repo
from lokseva.db import create_engine_for, session_scope, upgrade_database
from lokseva.devtools import processes
from lokseva.settings import load_settings
from tests.unit.applications.conftest import valid_aadhaar

pytestmark = pytest.mark.integration


@pytest.fixture
def database(postgres_database_factory):
    url = postgres_database_factory()
    upgrade_database(url)
    engine = create_engine_for(url)
    yield url, engine
    engine.dispose()


def draft(engine, user, age):
    with session_scope(engine) as session:
        citizen = repo.get_or_create_citizen(session, user, whatsapp_number="whatsapp:+919826012345")
        repo.save_draft(
            session,
            citizen,
            "income_certificate",
            {"applicant_name": "Sita"},
            aadhaar_digits=valid_aadhaar(),
            district_code="JBA",
            now=dt.datetime.now(dt.timezone.utc) - age,
        )


def drafts_of(engine):
    with engine.connect() as conn:
        return sorted(
            conn.execute(
                sa.text(
                    "SELECT c.channel_user_id FROM applications a JOIN citizens c ON c.id = a.citizen_id "
                    "WHERE a.status = 'draft'"
                )
            ).scalars()
        )


def env_for(url):
    return {**os.environ, **load_settings({**os.environ, "DATABASE_URL": url}).as_env()}


def test_the_purge_command_deletes_only_drafts_abandoned_for_a_day(database):
    url, engine = database
    draft(engine, "abandoned", dt.timedelta(hours=25))
    draft(engine, "still-filling", dt.timedelta(hours=23))
    run = subprocess.run(
        [sys.executable, "-m", "lokseva.applications.scheduled"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env_for(url),
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "{'expired_drafts_purged': 1}"
    assert drafts_of(engine) == ["still-filling"]


def test_make_run_purges_periodically_and_stops_on_sigterm(database, tmp_path):
    url, engine = database
    draft(engine, "abandoned", dt.timedelta(days=3))
    settings = load_settings({**os.environ, "DATABASE_URL": url, "DRAFT_PURGE_INTERVAL_S": "5"})
    [purge] = [s for s in processes.application_jobs(settings) if s.name == "purge"]
    running = processes.start(purge, settings.as_env(), tmp_path / "log")
    try:
        running.wait_ready()
        deadline = time.monotonic() + 60
        while drafts_of(engine) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert drafts_of(engine) == [], processes.tail(running.log_path)
        draft(engine, "abandoned-later", dt.timedelta(days=2))  # the next run takes it too
        deadline = time.monotonic() + 60
        while drafts_of(engine) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert drafts_of(engine) == [], processes.tail(running.log_path)
        assert running.process.poll() is None, "still running between runs"
    finally:
        running.stop()
    assert running.process.returncode == 0, processes.tail(running.log_path)
    assert "purged 1 expired drafts" in running.log_path.read_text()
