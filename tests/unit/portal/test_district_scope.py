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
            "jhabua": Staff.of(
                create_user(s, "do.jhabua", "a-Long-pass-1234", "designated_officer", "Meena", district_code="JBA")
            ),
            "indore": Staff.of(
                create_user(s, "do.indore", "a-Long-pass-1234", "designated_officer", "Ravi", district_code="IND")
            ),
            "state": Staff.of(create_user(s, "state.officer", "a-Long-pass-1234", "designated_officer", "Asha")),
        }


@pytest.fixture
def both(engine):
    return {
        "jhabua": submit_application(engine, phone="+919000000011", tehsil="Thandla", name="Kalu Bhabor"),
        "indore": submit_application(
            engine, phone="+919000000012", tehsil="Mhow", name="Sita Verma", district="indore"
        ),
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


# --- callback requests, home deliveries and conversations, by district ---------------


def _citizen_district(engine, channel_user_id, code):
    from lokseva.applications import service as applications

    with session_scope(engine) as s:
        applications.get_or_create_citizen(s, channel_user_id, language="hi").district_code = code


def _callback(engine, sender, application_id=None):
    import datetime as dt

    from lokseva.portal import callbacks

    call_by = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=2)
    with session_scope(engine) as s:
        return callbacks.request_callback(
            s, sender, ["kisi se baat karni hai"], "hi", call_by, application_id=application_id
        )[0].id


def test_callback_requests_are_scoped_to_the_citizens_district(engine, staff, both):
    from lokseva.portal import callbacks

    _citizen_district(engine, "wa-jhabua-citizen", "JBA")
    _citizen_district(engine, "wa-indore-citizen", "IND")
    jhabua = _callback(engine, "wa-jhabua-citizen")
    indore = _callback(engine, "wa-indore-citizen")
    # No district on record, but the application named is Indore's.
    by_application = _callback(engine, "wa-no-district", application_id=both["indore"])
    unknown = _callback(engine, "wa-nobody")
    with session_scope(engine) as s:
        assert [r.id for r, _ in callbacks.list_callbacks(s, district="IND")] == [indore, by_application]
        assert [r.id for r, _ in callbacks.list_callbacks(s, district="JBA")] == [jhabua]
        everything = dict((r.id, code) for r, code in callbacks.list_callbacks(s))
        assert everything == {jhabua: "JBA", indore: "IND", by_application: "IND", unknown: None}, (
            "state staff see all, each with its district (none when not known)"
        )
        assert callbacks.count_open_callbacks(s, "IND") == 2 and callbacks.count_open_callbacks(s) == 4
        with pytest.raises(PortalError) as error:
            callbacks.get_callback(s, jhabua, staff["indore"])
        assert error.value.code == "other_district"
        with pytest.raises(PortalError):
            callbacks.get_callback(s, unknown, staff["indore"])
        assert callbacks.get_callback(s, unknown, staff["state"]).id == unknown
    with session_scope(engine) as s, pytest.raises(PortalError):
        callbacks.update_callback(s, jhabua, "called", staff["indore"])
    with session_scope(engine) as s:
        callbacks.update_callback(s, jhabua, "called", staff["jhabua"])
        assert callbacks.count_open_callbacks(s, "JBA") == 0


@pytest.fixture
def two_deliveries(engine, tmp_path, database_url, staff):
    """A home delivery requested in Jhabua and one in Indore."""
    import sqlalchemy as sa

    from lokseva.certificates.models import Certificate
    from lokseva.certificates.service import issue_certificate
    from lokseva.delivery.models import Delivery
    from lokseva.settings import load_settings

    settings = load_settings(
        {"DATABASE_URL": database_url, "CERTIFICATES_DIR": str(tmp_path / "c"), "LOKSEVA_ENV": "test"}
    )
    found = {}
    for name, district, tehsil in (("jhabua", "jhabua", "Jhabua"), ("indore", "indore", "Mhow")):
        reference = submit_application(
            engine, phone=f"+91982600{len(found)}{len(found)}01", tehsil=tehsil, district=district
        )
        with session_scope(engine) as s:
            application_id = decisions.approve(s, reference, staff[name]).id
        certificate = issue_certificate(application_id, by="staff:1", engine=engine, settings=settings, notify=False)
        with session_scope(engine) as s:
            cert_id = s.execute(sa.select(Certificate.id).where(Certificate.number == certificate.number)).scalar_one()
            delivery = Delivery(
                certificate_id=cert_id,
                application_id=application_id,
                status="requested",
                village="Pitol",
                tehsil=tehsil,
                pin="457661",
                address_source="application",
                fee_paise=2000,
                requested_by="citizen",
            )
            s.add(delivery)
            s.flush()
            found[name] = (reference, delivery.id)
    return found


def test_the_delivery_board_shows_a_district_its_own_letters(engine, staff, two_deliveries):
    from lokseva.portal import deliveries

    with session_scope(engine) as s:
        assert [c.reference for c in deliveries.board(s, district="IND")] == [two_deliveries["indore"][0]]
        assert len(deliveries.board(s)) == 2, "the state sees every district"
        assert deliveries.counts(s, "JBA") == {"requested": 1} and deliveries.counts(s) == {"requested": 2}
        assert all("*" in c.phone and "2600" not in c.phone for c in deliveries.board(s)), "numbers masked"
    with session_scope(engine) as s, pytest.raises(PortalError) as error:
        deliveries.move(s, two_deliveries["jhabua"][1], "printed", staff["indore"])
    assert error.value.code == "other_district"
    with session_scope(engine) as s:
        deliveries.move(s, two_deliveries["indore"][1], "printed", staff["indore"])
        deliveries.move(s, two_deliveries["jhabua"][1], "printed", staff["state"])
        assert deliveries.counts(s) == {"printed": 2}


def test_conversations_are_filtered_to_the_district_of_the_citizen(engine, tracker_url, tracker_engine):
    import time

    from lokseva.portal import conversations, directory
    from lokseva.portal.conversations import ConversationFilter
    from tests.unit.portal.support import store_conversations

    now = time.time()
    store_conversations(
        tracker_url,
        [
            ("wa-jhabua-citizen", [("user", "aay praman patra chahiye", "apply_service", 0.9)], now - 300),
            ("wa-indore-citizen", [("user", "mool niwasi banwana hai", "apply_service", 0.9)], now - 200),
            ("wa-nobody", [("user", "namaste", "greet", 0.99)], now - 100),
        ],
    )
    _citizen_district(engine, "wa-jhabua-citizen", "JBA")
    _citizen_district(engine, "wa-indore-citizen", "IND")
    with session_scope(engine) as s:
        indore = directory.senders_in_district(s, "IND")
        assert directory.district_of_sender(s, "wa-jhabua-citizen") == "JBA"
        assert directory.district_of_sender(s, "wa-nobody") is None
    found, total = conversations.search(tracker_engine, ConversationFilter(district="IND", district_senders=indore))
    assert total == 1 and [c.sender_id for c in found] == ["wa-indore-citizen"]
    assert conversations.search(tracker_engine, ConversationFilter(district="DHR", district_senders=[]))[1] == 0
    assert conversations.search(tracker_engine, ConversationFilter())[1] == 3, "the state sees every conversation"
