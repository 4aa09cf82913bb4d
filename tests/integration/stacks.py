"""What the payment and certificate integration stacks share: the web app and
the sandbox payment gateway as real processes on free ports, started with the
test's settings in the environment (so the test process, which plays the chat
and the staff, reads the same settings), and a few ways to look at the result.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional

import sqlalchemy as sa

from lokseva.devtools import processes
from lokseva.settings import Settings, get_settings
from tests.conftest import running_services


@dataclass
class WebStack:
    settings: Settings
    running: List[processes.Running]

    # How long wait_for waits by default, and how often it looks.
    wait_timeout = 15.0
    wait_interval = 0.1

    @property
    def web_url(self) -> str:
        return f"http://{self.settings.host}:{self.settings.web_port}"

    def web_log(self) -> str:
        return next(r for r in self.running if r.service.name == "web").log_path.read_text(errors="replace")

    def engine(self):
        from lokseva.db import get_engine

        return get_engine(self.settings.database_url)

    def query(self, sql: str, **params) -> List[dict]:
        with self.engine().connect() as conn:
            return [dict(row._mapping) for row in conn.execute(sa.text(sql), params)]

    def wait_for(self, condition: Callable[[], object], timeout: Optional[float] = None, what: str = "condition"):
        deadline = time.monotonic() + (self.wait_timeout if timeout is None else timeout)
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(self.wait_interval)
        raise AssertionError(f"timed out waiting for {what}")


@contextlib.contextmanager
def web_and_gateway(
    tmp: Path, name: str, overrides: Dict[str, str], caches: Iterable[Callable] = ()
) -> Iterator[tuple]:
    """(settings, running): the sandbox gateway and the web app on free ports,
    with `overrides` in os.environ (and the settings and the given lru caches
    cleared) until the end; the application database migrated first."""
    overrides = {
        "LOKSEVA_ENV": "test",
        "WEB_PORT": str(processes.free_port()),
        "SANDBOX_GATEWAY_PORT": str(processes.free_port()),
        "PAYMENT_GATEWAY": "sandbox",
        "PUBLIC_URL": "",
        "SANDBOX_GATEWAY_URL": "",
        **overrides,
    }
    caches = [get_settings, *caches]
    saved = {key: os.environ.get(key) for key in overrides}
    os.environ.update(overrides)
    for cache in caches:
        cache.cache_clear()
    try:
        settings = get_settings()
        services = [
            s
            for s in processes.assistant_services(settings, Path("unused-model.tar.gz"))
            if s.name in ("gateway", "web")
        ]
        from lokseva.applications import service as repo

        repo.engine()  # migrations, before any process touches the database
        with running_services(services, settings.as_env(), tmp / "log", name) as running:
            yield settings, running
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        for cache in caches:
            cache.cache_clear()
