"""Fixtures for the appeals tests: a migrated database (SQLite and PostgreSQL) and
submitted applications in a chosen state."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest

from lokseva.applications.models import Application, Citizen, StatusHistory
from lokseva.db import create_engine_for, session_scope, upgrade_database

_serial = itertools.count(1)
IST_NOON = dt.time(6, 30, tzinfo=dt.timezone.utc)  # 12:00 in India


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'appeals.db'}"
    else:
        url = request.getfixturevalue("postgres_database_factory")()
    upgrade_database(url)
    engine = create_engine_for(url)
    yield engine
    engine.dispose()


@pytest.fixture
def make_application(engine):
    """A submitted application in `status`, due on `due`; `decided_on` dates the
    officer's decision (approved or rejected)."""

    def make(
        status="under_review",
        due=dt.date(2026, 11, 20),
        decided_on=None,
        channel_user_id="wa-citizen-1",
        service="income_certificate",
        district="JBA",
    ):
        serial = next(_serial)
        with session_scope(engine) as session:
            citizen = session.query(Citizen).filter_by(channel_user_id=channel_user_id).one_or_none()
            if citizen is None:
                citizen = Citizen(channel_user_id=channel_user_id, whatsapp_number="+919800000001", language="hi")
                session.add(citizen)
                session.flush()
            application = Application(
                reference=f"{district}-2026-{serial:06d}",
                district_code=district,
                citizen_id=citizen.id,
                service_id=service,
                status=status,
                language="hi",
                applicant_name="सीता बाई",
                submitted_at=dt.datetime(2026, 11, 2, 6, 30, tzinfo=dt.timezone.utc),
                due_date=due,
            )
            application.history.append(
                StatusHistory(
                    from_status="draft",
                    to_status="submitted",
                    changed_by="citizen",
                    changed_at=dt.datetime(2026, 11, 2, 6, 30, tzinfo=dt.timezone.utc),
                )
            )
            if status != "submitted":
                at = (
                    dt.datetime.combine(decided_on, IST_NOON)
                    if decided_on
                    else dt.datetime(2026, 11, 3, 6, 30, tzinfo=dt.timezone.utc)
                )
                application.history.append(
                    StatusHistory(
                        from_status="under_review",
                        to_status=status,
                        changed_by="staff:7",
                        changed_at=at,
                        reason="papers incomplete" if status == "rejected" else "",
                    )
                )
            session.add(application)
            session.flush()
            return SimpleNamespace(id=application.id, reference=application.reference, channel_user_id=channel_user_id)

    return make


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, IST_NOON)
