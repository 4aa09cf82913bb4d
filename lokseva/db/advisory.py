"""One winner among several instances of a periodic job: a PostgreSQL advisory lock.

Every replica of the assistant may run the same jobs (a CronJob started twice, two
`--every` loops); the lock makes one of them do a run while the others skip it. It
is held by a connection, so a process that dies releases it. SQLite (one machine,
`make run`) needs none.
"""

from __future__ import annotations

import contextlib
import hashlib
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Engine


def lock_key(name: str) -> int:
    """The 64-bit key of a job's lock, from its name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def only_one(engine: Engine, name: str) -> Iterator[bool]:
    """True inside the block for the one instance that holds `name`'s lock, else False."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    key = lock_key(name)
    with engine.connect() as conn:
        won = bool(conn.execute(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
        conn.commit()  # the lock is the session's, not the transaction's: hold no transaction open meanwhile
        try:
            yield won
        finally:
            if won:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                conn.commit()
