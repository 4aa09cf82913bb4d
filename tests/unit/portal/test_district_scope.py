"""Staff scoped by district: a district's officers see and decide only their
district's applications; state staff see every district, side by side."""
import pytest

from lokseva.clock import today_in_india
from lokseva.db import session_scope
from lokseva.portal import analytics, decisions
from lokseva.portal.decisions import QueueFilter
from lokseva.portal.service import PortalError, Staff, create_user
from tests.unit.portal.support import submit_application

TODAY = today_in_india()


@pytest.fixture
def staff(engine):
    with session_scope(engine) as s:
        return {
            "jhabua": Staff.of(create_user(s, "do.jhabua", "a-Long-pass-1234", "designated_officer", "Meena",
                                           district_code="JBA")),
            "indore": Staff.of(create_user(s, "do.indore", "a-Long-pass-1234", "designated_officer", "Ravi",
                                           district_code="IND")),
            "state": Staff.of(create_user(s, "state.officer", "a-Long-pass-1234", "designated_officer", "Asha")),
        }


@pytest.fixture
def both(engine):
    return {
        "jhabua": submit_application(engine, phone="+919000000011", tehsil="Thandla", name="Kalu Bhabor"),
        "indore": submit_application(engine, phone="+919000000012", tehsil="Mhow", name="Sita Verma",
                                     district="indore"),
    }


def test_ids_carry_each_district_code(both):
    assert both["jhabua"].startswith("JBA-") and both["indore"].startswith("IND-")
    assert both["indore"].endswith("-000001"), "each district counts from one"


def test_a_district_officer_sees_and_decides_only_their_district(engine, staff, both):
    with session_scope(engine) as s:
        rows, total = decisions.queue(s, QueueFilter(status="all", district="IND"), TODAY)
        assert [r.reference for r in rows] == [both["indore"]] and total == 1
        application = decisions.get(s, both["jhabua"])
        with pytest.raises(PortalError) as error:
            decisions.check_district(staff["indore"], application)
        assert error.value.code == "other_district"
        decisions.check_district(staff["jhabua"], application)
        decisions.check_district(staff["state"], application)
    with session_scope(engine) as s, pytest.raises(PortalError) as error:
        decisions.approve(s, both["jhabua"], staff["indore"])
    assert error.value.code == "other_district"
    with session_scope(engine) as s:
        decisions.approve(s, both["indore"], staff["indore"])
        assert decisions.get(s, both["indore"]).status == "approved"


def test_state_staff_see_every_district_and_filter_by_one(engine, both):
    with session_scope(engine) as s:
        _, total = decisions.queue(s, QueueFilter(status="all"), TODAY)
        assert total == 2
        assert decisions.counts_by_status(s, district="JBA") == {"paid": 1}
        assert decisions.overdue_count(s, TODAY, district="IND") == 0


def test_the_league_table_puts_districts_side_by_side(engine, staff, both):
    with session_scope(engine) as s:
        decisions.approve(s, both["indore"], staff["indore"])
    with session_scope(engine) as s:
        league = analytics.district_league(s, 30)
        jhabua_only = analytics.application_stats(s, 30, district="JBA")
    assert [r.code for r in league] == ["IND", "JBA"], "a district with decisions in time first"
    assert league[0].decided == 1 and league[0].share_in_time == 1.0 and league[1].decided == 0
    assert sum(n for _, n in jhabua_only.by_service) == 1


def test_an_unknown_district_code_is_refused_for_an_account(engine):
    with session_scope(engine) as s, pytest.raises(PortalError) as error:
        create_user(s, "x.y", "a-Long-pass-1234", "operator", "X", district_code="ZZZ")
    assert error.value.code == "bad_district"
