"""A decision after the guaranteed date needs the designated officer's reason,
which is kept for the appeal officer (lokseva.appeals.officework)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from lokseva.appeals import officework
from lokseva.applications.models import Application
from lokseva.clock import today_in_india
from lokseva.db import session_scope
from lokseva.portal import decisions
from lokseva.portal.auth import Permission, allowed
from lokseva.portal.service import PortalError, Staff, create_user
from tests.unit.portal.support import submit_application


@pytest.fixture
def officer(engine):
    with session_scope(engine) as s:
        return Staff.of(create_user(s, "officer.late", "a-Long-pass-1234", "designated_officer", "Meena", "Jhabua"))


def _due(engine, reference) -> dt.date:
    with session_scope(engine) as s:
        return s.execute(sa.select(Application.due_date).where(Application.reference == reference)).scalar_one()


def _after_due(engine, reference, days):
    due = _due(engine, reference)
    return dt.datetime.combine(due + dt.timedelta(days=days), dt.time(6, 30), tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("decide", ["approve", "reject"])
def test_deciding_late_needs_a_reason_and_keeps_it(engine, officer, decide):
    reference = submit_application(engine)
    late = _after_due(engine, reference, 4)

    def act(s, late_reason):
        if decide == "approve":
            return decisions.approve(s, reference, officer, now=late, late_reason=late_reason)
        return decisions.reject(s, reference, officer, "आय का प्रमाण संलग्न नहीं है।", now=late, late_reason=late_reason)

    with session_scope(engine) as s, pytest.raises(PortalError) as missing:
        act(s, "देर")
    assert missing.value.code == "late_reason_needed"
    with session_scope(engine) as s:
        application_id = s.execute(sa.select(Application.id).where(Application.reference == reference)).scalar_one()
        assert officework.late_decisions_of(s, application_id) == []  # nothing half-written
        assert s.get(Application, application_id).status == "paid"
    with session_scope(engine) as s:
        act(s, "तहसीलदार की रिपोर्ट चुनाव ड्यूटी के कारण देर से आई")
    with session_scope(engine) as s:
        [row] = officework.late_decisions_of(s, application_id)
        assert (row.to_status, row.days_late, row.decided_by) == (
            "approved" if decide == "approve" else "rejected",
            4,
            f"staff:{officer.id}",
        )
        assert row.reason == "तहसीलदार की रिपोर्ट चुनाव ड्यूटी के कारण देर से आई"


def test_deciding_on_time_needs_no_reason(engine, officer):
    reference = submit_application(engine)
    assert _due(engine, reference) >= today_in_india()
    with session_scope(engine) as s:
        decisions.approve(s, reference, officer)
    with session_scope(engine) as s:
        application_id = s.execute(sa.select(Application.id).where(Application.reference == reference)).scalar_one()
        assert officework.late_decisions_of(s, application_id) == []


def test_the_appeal_roles_hear_their_own_level_only():
    assert allowed("first_appeal_officer", Permission.HEAR_FIRST_APPEALS)
    assert not allowed("first_appeal_officer", Permission.HEAR_SECOND_APPEALS)
    assert allowed("second_appellate_authority", Permission.HEAR_SECOND_APPEALS)
    assert not allowed("second_appellate_authority", Permission.HEAR_FIRST_APPEALS)
    for role in ("first_appeal_officer", "second_appellate_authority"):
        assert allowed(role, Permission.VIEW_APPEALS) and not allowed(role, Permission.DECIDE_APPLICATIONS)
    assert not allowed("designated_officer", Permission.VIEW_APPEALS)
