"""A database with the applications and certificates tables, approved
applications to issue, and settings pointing certificates at a temp dir."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from types import SimpleNamespace

import pytest

from lokseva.applications.models import Application, Citizen, StatusHistory
from lokseva.certificates.samples import SAMPLE_APPLICATIONS
from lokseva.db import Base, create_engine_for, session_scope, upgrade_database
from lokseva.settings import load_settings

_serial = itertools.count(1)


@pytest.fixture
def settings(tmp_path):
    return load_settings(
        {
            **os.environ,
            "LOKSEVA_ENV": "test",
            "SIGNING_KEY": "test-signing-key-certificates",
            "PUBLIC_URL": "https://lokseva.test",
            "CERTIFICATES_DIR": str(tmp_path / "certificates"),
            "MEDIA_URL_TTL_SECONDS": "300",
        }
    )


def _create_tables(engine):
    if "0002_payments" in _known_revisions():
        upgrade_database(str(engine.url))
    else:  # until the payments branch is merged, the migration chain stops at 0001
        tables = [
            t for name, t in Base.metadata.tables.items() if name not in ("deliveries", "delivery_status_history")
        ]
        Base.metadata.create_all(engine, tables=tables)


def _known_revisions():
    from lokseva.settings import ROOT

    return {p.stem.split("_", 1)[1] for p in (ROOT / "migrations" / "versions").glob("*.py")}


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path, postgres_database_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = postgres_database_factory()
    engine = create_engine_for(url)
    _create_tables(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def make_application(engine):
    """Creates a submitted application of `service` in `status` for a citizen."""

    def make(
        service="income_certificate",
        status="approved",
        channel_user_id="wa-citizen-1",
        phone="+919800000001",
        **overrides,
    ):
        fields = {**SAMPLE_APPLICATIONS[service], **overrides}
        serial = next(_serial)
        with session_scope(engine) as session:
            citizen = session.query(Citizen).filter_by(channel_user_id=channel_user_id).one_or_none()
            if citizen is None:
                citizen = Citizen(channel_user_id=channel_user_id, whatsapp_number=phone, language="hi")
                session.add(citizen)
                session.flush()
            application = Application(
                reference=f"JBA-2026-{serial:06d}",
                district_code="JBA",
                citizen_id=citizen.id,
                service_id=service,
                status=status,
                language="hi",
                submitted_at=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc),
                **fields,
            )
            application.history.append(
                StatusHistory(from_status="under_review", to_status=status, changed_by="staff:7", reason="")
            )
            session.add(application)
            session.flush()
            return SimpleNamespace(
                id=application.id, reference=application.reference, channel_user_id=channel_user_id, phone=phone
            )

    return make
