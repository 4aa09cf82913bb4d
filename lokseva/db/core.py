from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import Iterator, Optional

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from lokseva.settings import ROOT, get_settings

# Constraint names that Alembic can refer to on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=sa.MetaData(naming_convention=NAMING_CONVENTION))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine_for(url: str, pool_size: Optional[int] = None) -> Engine:
    """An engine for `url` with the settings this project relies on. `pool_size`:
    the connections kept open (PostgreSQL; SQLAlchemy's default is 5, and the
    overflow beyond it is connected and disconnected again for each use), for a
    process with that many threads using the database at once."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, future=True, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    sizes = {} if pool_size is None else {"pool_size": pool_size, "max_overflow": 4}
    return sa.create_engine(url, future=True, pool_pre_ping=True, **sizes)


@functools.lru_cache(maxsize=None)
def get_engine(url: Optional[str] = None) -> Engine:
    return create_engine_for(url or get_settings().database_url)


@functools.lru_cache(maxsize=None)
def _session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


@contextlib.contextmanager
def session_scope(engine: Optional[Engine] = None) -> Iterator[Session]:
    """A unit of work: commits when the block ends, rolls back on any error,
    so nothing is ever half-written."""
    session = _session_factory(engine or get_engine())()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: Optional[str] = None):
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url or get_settings().database_url)
    return config


def upgrade_database(url: Optional[str] = None) -> None:
    """Brings the database at `url` to the newest migration."""
    from alembic import command

    # "heads": until the lead chains every branch's migration (0005_channel still
    # has down_revision None), there may be more than one head.
    command.upgrade(alembic_config(url), "heads")
