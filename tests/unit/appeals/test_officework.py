"""The officers' side of time limits on a real database (SQLite and PostgreSQL):
what falls due, the late decision's reason, the daily digest and the
performance figures, with the clock moved by passing the day."""

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from lokseva.appeals import flows, officework
from lokseva.appeals.models import OfficerDigest
from lokseva.appeals.rules import AppealStatus
from lokseva.applications.models import Application, StatusHistory
from lokseva.db import session_scope
from tests.unit.appeals.conftest import at_noon

D = dt.date


def _decide(engine, reference, status, on, by="staff:7"):
    with session_scope(engine) as session:
        application = session.execute(sa.select(Application).where(Application.reference == reference)).scalar_one()
        application.history.append(
            StatusHistory(
                from_status=application.status, to_status=status, changed_by=by, changed_at=at_noon(on), reason=""
            )
        )
        application.status = status


def test_due_today_and_tomorrow_then_late_with_the_acts_penalty(engine, make_application):
    today = make_application(due=D(2026, 12, 4), channel_user_id="a")
    tomorrow = make_application(due=D(2026, 12, 5), channel_user_id="b")
    make_application(due=D(2026, 12, 6), channel_user_id="c")  # the day after: not yet
    make_application(due=D(2026, 12, 4), status="approved", channel_user_id="d")  # decided
    other = make_application(due=D(2026, 12, 4), channel_user_id="e", district="IND")
    with session_scope(engine) as session:
        due = officework.falling_due(session, "JBA", D(2026, 12, 4))
        assert [(r.reference, r.days_left, r.penalty_paise) for r in due] == [
            (today.reference, 0, 0),
            (tomorrow.reference, 1, 0),
        ]
        assert other.reference in [r.reference for r in officework.falling_due(session, None, D(2026, 12, 4))]
        # The clock moves on: 7 days after, then 40 days after (capped at ₹5,000).
        late = officework.late_undecided(session, "JBA", D(2026, 12, 11))
        assert [(r.reference, r.days_left, r.penalty_paise) for r in late][:2] == [
            (today.reference, -7, 7 * 250_00),
            (tomorrow.reference, -6, 6 * 250_00),
        ]
        assert officework.late_undecided(session, "JBA", D(2027, 1, 13))[0].penalty_paise == 5_000_00


def test_a_late_decision_needs_its_reason_and_keeps_it(engine, make_application):
    app = make_application(due=D(2026, 11, 20))
    with session_scope(engine) as session:
        application = session.get(Application, app.id)
        assert (
            officework.record_late_decision(session, application, "approved", "", "staff:7", at_noon(D(2026, 11, 20)))
            is None
        )  # on the day: in time
        with pytest.raises(officework.LateReasonNeeded):
            officework.record_late_decision(
                session, application, "approved", "late", "staff:7", at_noon(D(2026, 11, 23))
            )
        officework.record_late_decision(
            session, application, "approved", "  पटवारी की रिपोर्ट   देर से आई ", "staff:7", at_noon(D(2026, 11, 23))
        )
    with session_scope(engine) as session:
        [row] = officework.late_decisions_of(session, app.id)
        assert (row.reason, row.days_late, row.to_status, row.decided_by) == (
            "पटवारी की रिपोर्ट देर से आई",
            3,
            "approved",
            "staff:7",
        )


def test_the_digest_is_prepared_once_a_day_per_district(engine, make_application):
    due = make_application(due=D(2026, 12, 4), channel_user_id="a")
    late = make_application(due=D(2026, 12, 1), channel_user_id="b")
    make_application(due=D(2026, 12, 5), channel_user_id="c", district="IND")
    flows.file_appeal("b", late.reference, now=at_noon(D(2026, 12, 3)), engine=engine)
    morning = dt.datetime(2026, 12, 4, 1, 0, tzinfo=dt.timezone.utc)  # 06:30 in India
    assert officework.prepare_digests(engine, morning) == 2
    assert officework.prepare_digests(engine, morning + dt.timedelta(hours=3)) == 0  # again, same day
    with session_scope(engine) as session:
        [jhabua] = officework.digests_of(session, "JBA")
        assert jhabua.day == D(2026, 12, 4)
        assert jhabua.body["due_today"] == [due.reference] and jhabua.body["late"] == 1
        assert jhabua.body["late_without_appeal"] == 0 and jhabua.body["penalty_so_far_paise"] == 3 * 250_00
        assert jhabua.body["appeals_pending"] == {"1": 1, "2": 0}
        assert "सीता" not in json.dumps(jhabua.body, ensure_ascii=False)  # references, no names
    assert officework.prepare_digests(engine, morning + dt.timedelta(days=1)) == 2
    with session_scope(engine) as session:
        assert session.execute(sa.select(sa.func.count(OfficerDigest.id))).scalar_one() == 4


def test_performance_per_service_officer_and_district_and_its_csv(engine, make_application):
    in_time = make_application(due=D(2026, 11, 20), status="submitted", channel_user_id="a")
    _decide(engine, in_time.reference, "approved", D(2026, 11, 19))
    decided_late = make_application(due=D(2026, 11, 20), status="submitted", channel_user_id="b")
    _decide(engine, decided_late.reference, "approved", D(2026, 11, 25))
    undecided = make_application(due=D(2026, 11, 20), channel_user_id="c")
    view = flows.file_appeal("c", undecided.reference, now=at_noon(D(2026, 11, 22)), engine=engine)
    flows.decide_appeal(
        view.reference,
        AppealStatus.ALLOWED,
        "देरी का कारण नहीं",
        "staff:9",
        new_due_date=D(2026, 11, 30),
        penalty_paise=500_00,
        now=at_noon(D(2026, 11, 24)),
        engine=engine,
    )
    flows.record_compensation(view.reference, 500_00, "staff:9", now=at_noon(D(2026, 11, 24)), engine=engine)
    with session_scope(engine) as session:
        rows = officework.performance(session, "JBA", D(2026, 11, 24))
    by_officer = {r.officer: r for r in rows}
    assert (by_officer["staff:7"].decided_in_time, by_officer["staff:7"].decided_late) == (1, 1)
    assert by_officer["staff:7"].penalty_due_paise == 5 * 250_00  # decided 5 days late
    assert by_officer["staff:7"].in_time_share == 0.5
    # Allowed with a new date (30 Nov): on 24 Nov it is no longer late.
    assert (by_officer[""].undecided_late, by_officer[""].appealed) == (0, 1)
    assert (by_officer[""].penalty_imposed_paise, by_officer[""].compensation_paid_paise) == (500_00, 500_00)
    table = officework.csv_rows(rows, {"staff:7": "meena"})
    assert table[0] == list(officework.CSV_COLUMNS)
    assert ["JBA", "income_certificate", "meena", "2", "1", "1", "0", "0", "1250", "0", "0"] in table
    with session_scope(engine) as session:
        assert officework.performance(session, "IND", D(2026, 11, 24)) == []
        # Counted by the guaranteed date: the allowed appeal's new date (30 Nov) is after the 21st.
        assert [r.officer for r in officework.performance(session, "JBA", D(2026, 11, 24), since=D(2026, 11, 21))] == [
            ""
        ]
        assert officework.performance(session, "JBA", D(2026, 11, 24), until=D(2026, 11, 19)) == []
