"""Filing and deciding appeals against a real database (SQLite and PostgreSQL)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from lokseva.appeals import flows, messaging, service
from lokseva.appeals.flows import AppealRefused, InvalidDecision
from lokseva.appeals.models import Appeal
from lokseva.appeals.rules import AppealStatus, Grounds
from lokseva.db import session_scope
from tests.unit.appeals.conftest import at_noon

D = dt.date


def test_a_late_application_is_appealed_and_gets_a_numbered_receipt(engine, make_application):
    app = make_application(status="under_review", due=D(2026, 11, 20))
    options = flows.appealable(app.channel_user_id, now=at_noon(D(2026, 11, 26)), engine=engine)
    assert [(o.application_reference, o.grounds, o.level, o.days_late) for o in options] == [
        (app.reference, Grounds.LATE, 1, 6)
    ]
    view = flows.file_appeal(app.channel_user_id, app.reference, now=at_noon(D(2026, 11, 26)), engine=engine)
    assert view.reference == "JBA-A-2026-000001"
    assert (view.level, view.grounds, view.status, view.in_time) == (1, Grounds.LATE, AppealStatus.FILED, True)
    # 21 working days after Thursday 26 Nov: Sundays skipped, no Jhabua holiday in between.
    assert view.decision_due == D(2026, 12, 21) and view.decision_due_confirmed is False
    assert view.penalty_due_paise == 6 * 250_00
    text = messaging.receipt(view, "hi")
    assert "JBA-A-2026-000001" in text and "एसडीएम" in text and "लगभग 21 दिसंबर 2026" in text
    assert "₹1,500" in text


def test_the_numbers_count_per_district_without_gaps(engine, make_application):
    first = make_application(due=D(2026, 11, 20), channel_user_id="a")
    second = make_application(due=D(2026, 11, 20), channel_user_id="b")
    other = make_application(due=D(2026, 11, 20), channel_user_id="c", district="IND")
    now = at_noon(D(2026, 11, 30))
    refs = [
        flows.file_appeal(a.channel_user_id, a.reference, now=now, engine=engine).reference
        for a in (first, second, other)
    ]
    assert refs == ["JBA-A-2026-000001", "JBA-A-2026-000002", "IND-A-2026-000001"]


def test_an_application_on_time_cannot_be_appealed(engine, make_application):
    app = make_application(status="under_review", due=D(2026, 12, 10))
    with pytest.raises(AppealRefused) as refused:
        flows.file_appeal(app.channel_user_id, app.reference, now=at_noon(D(2026, 12, 10)), engine=engine)
    assert refused.value.reason == AppealRefused.NOT_APPEALABLE
    assert "अभी अपील नहीं हो सकती" in messaging.refused(refused.value, "hi")
    assert flows.appealable(app.channel_user_id, now=at_noon(D(2026, 12, 10)), engine=engine) == []


def test_another_citizens_application_is_answered_as_unknown(engine, make_application):
    app = make_application(due=D(2026, 11, 1), channel_user_id="owner")
    with pytest.raises(AppealRefused) as refused:
        flows.file_appeal("someone-else", app.reference, now=at_noon(D(2026, 11, 5)), engine=engine)
    assert refused.value.reason == AppealRefused.NOT_FOUND
    with session_scope(engine) as session:
        assert session.execute(sa.select(sa.func.count(Appeal.id))).scalar_one() == 0


def test_a_rejection_is_appealable_for_30_days_and_later_with_a_reason(engine, make_application):
    app = make_application(status="rejected", due=D(2026, 12, 20), decided_on=D(2026, 11, 1))
    option = flows.appeal_option(app.channel_user_id, app.reference, now=at_noon(D(2026, 11, 30)), engine=engine)
    assert (option.grounds, option.window.in_time, option.window.closes_on) == (Grounds.REJECTED, True, D(2026, 11, 30))
    late = flows.appeal_option(app.channel_user_id, app.reference, now=at_noon(D(2026, 12, 1)), engine=engine)
    assert late.window.in_time is False
    assert "30 दिन" in messaging.confirm_question(late, "hi")
    view = flows.file_appeal(
        app.channel_user_id,
        app.reference,
        late_cause="बीमार था, अस्पताल में भर्ती",
        now=at_noon(D(2026, 12, 1)),
        engine=engine,
    )
    assert view.in_time is False
    with session_scope(engine) as session:
        assert session.execute(sa.select(Appeal.late_cause)).scalar_one() == "बीमार था, अस्पताल में भर्ती"


def test_one_appeal_per_level_then_the_second_after_a_dismissal(engine, make_application):
    app = make_application(status="rejected", due=D(2026, 12, 20), decided_on=D(2026, 11, 10))
    first = flows.file_appeal(app.channel_user_id, app.reference, now=at_noon(D(2026, 11, 12)), engine=engine)
    with pytest.raises(AppealRefused) as pending:
        flows.file_appeal(app.channel_user_id, app.reference, now=at_noon(D(2026, 11, 13)), engine=engine)
    assert pending.value.reason == AppealRefused.PENDING
    decided = flows.decide_appeal(
        first.reference,
        AppealStatus.DISMISSED,
        "जाति का कोई रिकॉर्ड नहीं मिला",
        "staff:3",
        now=at_noon(D(2026, 11, 20)),
        engine=engine,
    )
    assert "दूसरी अपील" in messaging.decision(decided, "hi")
    second = flows.file_appeal(app.channel_user_id, app.reference, now=at_noon(D(2026, 11, 21)), engine=engine)
    assert (second.level, second.officer) == (2, "कलेक्टर")
    flows.decide_appeal(
        second.reference, AppealStatus.DISMISSED, "वही कारण", "staff:4", now=at_noon(D(2026, 11, 25)), engine=engine
    )
    with pytest.raises(AppealRefused) as exhausted:
        flows.file_appeal(app.channel_user_id, app.reference, now=at_noon(D(2026, 11, 26)), engine=engine)
    assert exhausted.value.reason == AppealRefused.EXHAUSTED
    assert "181" in messaging.refused(exhausted.value, "hi")


def test_a_first_appeal_not_decided_in_time_opens_the_second(engine, make_application):
    app = make_application(due=D(2026, 11, 1))
    first = flows.file_appeal(app.channel_user_id, app.reference, now=at_noon(D(2026, 11, 2)), engine=engine)
    with pytest.raises(AppealRefused):
        flows.appeal_option(app.channel_user_id, app.reference, now=at_noon(first.decision_due), engine=engine)
    after = first.decision_due + dt.timedelta(days=1)
    option = flows.appeal_option(app.channel_user_id, app.reference, now=at_noon(after), engine=engine)
    assert option.level == 2


def test_an_allowed_appeal_sets_the_new_date_and_the_penalty_is_capped(engine, make_application):
    app = make_application(due=D(2026, 11, 1))
    view = flows.file_appeal(app.channel_user_id, app.reference, now=at_noon(D(2026, 11, 11)), engine=engine)
    today = at_noon(D(2026, 11, 16))
    with pytest.raises(InvalidDecision, match="new date"):
        flows.decide_appeal(view.reference, AppealStatus.ALLOWED, "देरी हुई", "staff:3", now=today, engine=engine)
    with pytest.raises(InvalidDecision, match="at most"):
        flows.decide_appeal(
            view.reference,
            AppealStatus.ALLOWED,
            "देरी हुई",
            "staff:3",
            new_due_date=D(2026, 11, 20),
            penalty_paise=15 * 250_00 + 1,
            now=today,
            engine=engine,
        )
    decided = flows.decide_appeal(
        view.reference,
        AppealStatus.ALLOWED,
        "देरी हुई",
        "staff:3",
        new_due_date=D(2026, 11, 20),
        penalty_paise=15 * 250_00,
        now=today,
        engine=engine,
    )
    assert decided.new_due_date == D(2026, 11, 20) and decided.penalty_imposed_paise == 375_000
    assert "20 नवंबर 2026" in messaging.decision(decided, "hi") and "₹3,750" in messaging.decision(decided, "hi")
    with pytest.raises(InvalidDecision, match="already decided"):
        flows.decide_appeal(view.reference, AppealStatus.DISMISSED, "x", "staff:3", now=today, engine=engine)
    paid = flows.record_compensation(view.reference, 375_000, "staff:3", now=today, engine=engine)
    assert "₹3,750" in messaging.compensation(paid, "hi")
    with session_scope(engine) as session:
        assert session.execute(
            sa.text("select due_date from applications where id = :i"), {"i": app.id}
        ).scalar_one() in (D(2026, 11, 20), "2026-11-20")


def test_suo_motu_lists_late_applications_nobody_appealed(engine, make_application):
    late = make_application(due=D(2026, 11, 1), channel_user_id="x")
    appealed = make_application(due=D(2026, 11, 1), channel_user_id="y")
    make_application(due=D(2026, 12, 30), channel_user_id="z")  # on time
    flows.file_appeal("y", appealed.reference, now=at_noon(D(2026, 11, 5)), engine=engine)
    with session_scope(engine) as session:
        listed = [a.reference for a in service.late_without_appeal(session, "JBA", D(2026, 11, 10))]
    assert listed == [late.reference]
    view = flows.open_suo_motu(late.reference, "staff:9", now=at_noon(D(2026, 12, 20)), engine=engine)
    assert view.in_time is True  # the officer's own motion has no 30-day window
