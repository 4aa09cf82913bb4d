"""What the migration tests of every capability share."""

from __future__ import annotations

from typing import Iterable, List

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine

from lokseva.db import Base


def differences(engine: Engine, tables: Iterable[str]) -> List[tuple]:
    """What autogenerate would still change in `tables` (other capabilities'
    tables are theirs to check)."""
    tables = set(tables)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    return [d for d in diffs if any(f"'{table}'" in repr(d) or f"<{table}>" in repr(d) for table in tables)]
