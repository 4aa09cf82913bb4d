"""Shared fixtures: real PostgreSQL and Redis, and the real assistant processes.

The assistant fixture starts the Rasa server and the action server (and the web
app) exactly as `make run` does, on free ports, with the conversation store on a
throw-away PostgreSQL database and the lock store on Redis.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, Iterator, List

import pytest
import requests

from lokseva.devtools import processes
from lokseva.settings import ROOT, Settings, load_settings

ARTIFACTS = ROOT / "test-artifacts"
# The admin connection used to create throw-away databases.
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_HOST = os.environ.get("TEST_REDIS_HOST", "127.0.0.1")


def _admin_connection():
    import psycopg2

    conn = psycopg2.connect(POSTGRES_ADMIN_URL)
    conn.autocommit = True
    return conn


@pytest.fixture(scope="session")
def postgres_database_factory():
    """Creates empty PostgreSQL databases and drops them at the end of the session."""
    created: List[str] = []

    def create() -> str:
        name = f"lokseva_test_{uuid.uuid4().hex[:10]}"
        # Not `with conn`: psycopg2 2.9 opens a transaction there even in autocommit,
        # and CREATE DATABASE cannot run inside one.
        conn = _admin_connection()
        try:
            with conn.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        created.append(name)
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
        return f"{base}/{name}"

    yield create
    conn = _admin_connection()
    with conn.cursor() as cur:
        for name in created:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()


@pytest.fixture(scope="session")
def model_path() -> Path:
    from lokseva.devtools.train import ensure_model

    return ensure_model()


@dataclass
class Assistant:
    settings: Settings
    env: Dict[str, str]
    running: List[processes.Running]

    @property
    def rasa_url(self) -> str:
        return self.settings.rasa_url

    def say(self, text: str, sender: str = "test-user") -> List[dict]:
        """Sends `text` on the REST channel and returns the bot's messages."""
        reply = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=60,
        )
        reply.raise_for_status()
        return reply.json()


@contextlib.contextmanager
def assistant_stack(
    tmp: Path, model_path: Path, new_database, name: str = "assistant", **extra: str
) -> Iterator[Assistant]:
    """The whole assistant as `make run` starts it, on free ports, on two new
    PostgreSQL databases (from `new_database`), its logs in tmp/log; `extra`
    settings on top (e.g. the directories it writes files to)."""
    overrides = {
        "LOKSEVA_ENV": "test",
        "RASA_PORT": str(processes.free_port()),
        "ACTION_PORT": str(processes.free_port()),
        "WEB_PORT": str(processes.free_port()),
        "FAKE_TWILIO_PORT": str(processes.free_port()),
        "SANDBOX_GATEWAY_PORT": str(processes.free_port()),
        "FAKE_BHASHINI_PORT": str(processes.free_port()),
        "VOICE_DIR": str(tmp / "voice"),
        "DATABASE_URL": new_database(),
        "TRACKER_STORE_URL": new_database(),
        "LOCK_STORE_TYPE": "redis",
        "REDIS_HOST": REDIS_HOST,
        "UPLOADS_DIR": str(tmp / "uploads"),
        **extra,
    }
    for key in (
        "RASA_URL",
        "ACTION_SERVER_URL",
        "PUBLIC_URL",
        "TWILIO_API_BASE",
        "SANDBOX_GATEWAY_URL",
        "BHASHINI_CONFIG_URL",
    ):
        overrides[key] = ""  # derived from the ports above
    settings = load_settings({**os.environ, **overrides})
    env = settings.as_env()
    from lokseva.db import upgrade_database

    upgrade_database(settings.database_url)  # every capability's tables, as `make run` does
    with running_services(processes.assistant_services(settings, model_path), env, tmp / "log", name) as running:
        yield Assistant(settings, env, running)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, model_path, postgres_database_factory) -> Iterator[Assistant]:
    with assistant_stack(tmp_path_factory.mktemp("assistant"), model_path, postgres_database_factory) as running:
        yield running


@contextlib.contextmanager
def running_services(
    services: Iterable[processes.Service], env: Dict[str, str], log_dir: Path, name: str
) -> Iterator[List[processes.Running]]:
    """Starts `services` and waits until each answers; stops them all at the end
    and keeps their logs as test-artifacts/<name>-<service>.log."""
    running: List[processes.Running] = []
    try:
        for service in services:
            running.append(processes.start(service, env, log_dir))
        for r in running:
            r.wait_ready()
        yield running
    finally:
        processes.stop_all(running)
        ARTIFACTS.mkdir(exist_ok=True)
        for r in running:
            if r.log_path.exists():
                (ARTIFACTS / f"{name}-{r.service.name}.log").write_bytes(r.log_path.read_bytes())
