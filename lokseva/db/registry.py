"""Imports every capability's models so that Base.metadata knows all tables
(Alembic autogenerate and the tests rely on it). Add a line per capability."""

from lokseva.applications import models as applications_models  # noqa: F401
from lokseva.payments import models as payments_models  # noqa: F401
from lokseva.certificates import models as certificates_models  # noqa: F401
from lokseva.delivery import models as delivery_models  # noqa: F401
from lokseva.portal import models as portal_models  # noqa: F401  staff, sessions, audit log, callbacks, trainer labels
from lokseva.channels import models as channel_models  # noqa: F401
from lokseva.notifications import models as notifications_models  # noqa: F401
from lokseva.privacy import models as privacy_models  # noqa: F401  the Aadhaar vault
from lokseva.appeals import models as appeals_models  # noqa: F401
