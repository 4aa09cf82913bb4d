"""Imports every capability's models so that Base.metadata knows all tables
(Alembic autogenerate and the tests rely on it). Add a line per capability."""
from lokseva.applications import models as applications_models  # noqa: F401
from lokseva.payments import models as payments_models  # noqa: F401
from lokseva.channels import models as channel_models  # noqa: F401,E402
