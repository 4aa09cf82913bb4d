"""Imports every capability's models so that Base.metadata knows all tables
(Alembic autogenerate and the tests rely on it). Add a line per capability."""
import lokseva.portal.models  # noqa: F401,E402  staff, sessions, audit log, callbacks, trainer labels
