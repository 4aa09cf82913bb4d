"""What the benchmarks share: throw-away PostgreSQL databases and percentiles."""

from __future__ import annotations

import os
import uuid
from typing import List, Sequence

ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile `q` (0..1) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class ScratchDatabases:
    """Creates databases on the local PostgreSQL server and drops them all at the end
    (connections still open are closed first)."""

    def __init__(self, admin_url: str = ADMIN_URL):
        self.admin_url = admin_url
        self.names: List[str] = []

    def _execute(self, *statements: tuple) -> None:
        import psycopg2

        conn = psycopg2.connect(self.admin_url)
        conn.autocommit = True  # CREATE/DROP DATABASE cannot run inside a transaction
        try:
            with conn.cursor() as cur:
                for sql, params in statements:
                    cur.execute(sql, params)
        finally:
            conn.close()

    def create(self) -> str:
        """A new empty database; returns its URL."""
        name = f"lokseva_bench_{uuid.uuid4().hex[:8]}"
        self._execute((f'CREATE DATABASE "{name}"', None))
        self.names.append(name)
        return self.admin_url.rsplit("/", 1)[0] + "/" + name

    def drop(self) -> None:
        for name in self.names:
            self._execute(
                ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)),
                (f'DROP DATABASE IF EXISTS "{name}"', None),
            )
        self.names.clear()
