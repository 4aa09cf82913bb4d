"""Database core shared by every capability: engine, sessions, the declarative
base, and the unit of work. Each capability keeps its tables in its own
`models.py`; Alembic migrations (migrations/) create them.

SQLAlchemy 1.4 written in 2.0 style (`future=True` engines and sessions,
`select()`), so the upgrade to 2.0 is a version bump.
"""

from lokseva.db.core import Base, create_engine_for, get_engine, session_scope, upgrade_database

__all__ = ["Base", "create_engine_for", "get_engine", "session_scope", "upgrade_database"]
