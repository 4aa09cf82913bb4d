"""Appeals and time limits in the portal: a real web process on PostgreSQL, with
applications submitted through the applications capability and appeals filed
through lokseva.appeals.flows, as the chat files them."""

import datetime as dt
import re
import uuid

import pytest

from lokseva.appeals import flows
from lokseva.appeals.rules import AppealStatus, penalty_paise
from lokseva.clock import today_in_india
from lokseva.db import create_engine_for
from lokseva.devtools import processes
from lokseva.money import format_rupees
from tests.unit.portal.support import make_staff, start_portal_web, submit_application

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


@pytest.fixture(scope="module")
def web(tmp_path_factory, postgres_database_factory):
    started = start_portal_web(tmp_path_factory.mktemp("portal-appeals"), postgres_database_factory)
    engine = create_engine_for(started.settings.database_url)
    past = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=45)
    started.citizen = f"citizen-appeal-{uuid.uuid4().hex[:6]}"
    started.late = submit_application(
        engine, phone="+919826055501", channel_user_id=started.citizen, status="under_review", now=past, name="Sita Bai"
    )
    started.nobody = submit_application(
        engine, phone="+919826055502", status="under_review", now=past, name="Kalu Damor"
    )
    started.indore = submit_application(
        engine, phone="+919826055503", status="under_review", now=past, district="indore", name="Ravi Verma"
    )
    started.appeal = flows.file_appeal(started.citizen, started.late, engine=engine).reference
    engine.dispose()
    for user, role, district in (
        ("sdm.jba", "first_appeal_officer", "JBA"),
        ("collector.jba", "second_appellate_authority", "JBA"),
        ("sdm.ind", "first_appeal_officer", "IND"),
        ("do.jba", "designated_officer", "JBA"),
    ):
        make_staff(started.settings.database_url, user, role, district_code=district)
    yield started
    processes.stop_all(started.running)


def _signed_in(web, username):
    client = web.client()
    assert client.login(username, "a-Long-pass-1234").status_code == 303
    client.get("/portal/")  # the session's CSRF token
    return client


def _days_late(web, reference):
    due = web.query("SELECT due_date FROM applications WHERE reference = :r", r=reference)[0].due_date
    return (today_in_india() - due).days


def test_officers_see_late_applications_with_the_acts_penalty(web):
    officer = _signed_in(web, "do.jba")
    page = officer.get("/portal/time-limits").text
    days = _days_late(web, web.nobody)
    assert days > 0 and web.nobody in page and web.indore not in page
    assert format_rupees(penalty_paise(days)) in page
    assert "+919826055502" not in page and "Kalu Damor" not in page
    assert officer.get("/portal/appeals").status_code == 403  # not an appeal officer


def test_a_late_approval_needs_the_reason_which_the_appeal_officer_reads(web):
    reference = submit_application(
        create_engine_for(web.settings.database_url),
        phone="+919826055504",
        status="under_review",
        now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=45),
    )
    officer = _signed_in(web, "do.jba")
    assert "late_reason" in officer.get(f"/portal/applications/{reference}").text
    refused = officer.post(f"/portal/applications/{reference}/approve", {"late_reason": "x"})
    assert refused.status_code == 400 and "देरी का कारण लिखें" in refused.text
    done = officer.post(
        f"/portal/applications/{reference}/approve", {"late_reason": "पटवारी की रिपोर्ट बाढ़ के कारण देर से आई"}
    )
    assert done.status_code == 303
    [row] = web.query(
        "SELECT l.reason, l.days_late FROM late_decisions l JOIN applications a "
        "ON a.id = l.application_id WHERE a.reference = :r",
        r=reference,
    )
    assert row.reason == "पटवारी की रिपोर्ट बाढ़ के कारण देर से आई" and row.days_late == _days_late(web, reference)


def test_the_first_appeal_officer_decides_in_their_district_only(web):
    sdm = _signed_in(web, "sdm.jba")
    queue = sdm.get("/portal/appeals").text
    assert web.appeal in queue and web.nobody in queue  # the queue, and the suo-motu list
    assert web.indore not in queue
    other = _signed_in(web, "sdm.ind")
    assert other.get(f"/portal/appeals/{web.appeal}").status_code == 403
    assert web.appeal not in other.get("/portal/appeals").text
    collector = _signed_in(web, "collector.jba")
    assert web.appeal not in collector.get("/portal/appeals?level=1").text  # second appeals only
    assert (
        collector.post(
            f"/portal/appeals/{web.appeal}/decide", {"outcome": "dismissed", "reason": "कोई कारण"}
        ).status_code
        == 403
    )
    view = sdm.get(f"/portal/appeals/{web.appeal}").text
    days = _days_late(web, web.late)
    assert format_rupees(penalty_paise(days)) in view and web.late in view
    assert "+919826055501" not in view
    no_date = sdm.post(f"/portal/appeals/{web.appeal}/decide", {"outcome": "allowed", "reason": "देरी हुई"})
    assert no_date.status_code == 400 and "नई तारीख" in no_date.text
    new_date = (today_in_india() + dt.timedelta(days=7)).isoformat()
    too_much = sdm.post(
        f"/portal/appeals/{web.appeal}/decide",
        {
            "outcome": "allowed",
            "reason": "देरी हुई",
            "new_due_date": new_date,
            "penalty": str(penalty_paise(days) // 100 + 1),
        },
    )
    assert too_much.status_code == 400
    decided = sdm.post(
        f"/portal/appeals/{web.appeal}/decide",
        {
            "outcome": "allowed",
            "reason": "पदाभिहित अधिकारी ने कारण नहीं बताया",
            "new_due_date": new_date,
            "penalty": str(penalty_paise(days) // 100),
        },
    )
    assert decided.status_code == 303 and decided.headers["Location"].endswith("msg=appeal_allowed")
    told = web.query(
        "SELECT n.key FROM notifications n JOIN applications a ON a.citizen_id = n.citizen_id "
        "WHERE a.reference = :r ORDER BY n.id",
        r=web.late,
    )
    assert "appeal_allowed" in [t.key for t in told]
    paid = sdm.post(f"/portal/appeals/{web.appeal}/compensation", {"amount": str(penalty_paise(days) // 100)})
    assert paid.status_code == 303
    page = sdm.get(f"/portal/appeals/{web.appeal}").text
    assert re.search(r'data-test="compensation-paid">₹[\d,]+', page)


def test_suo_motu_and_the_performance_export(web):
    sdm = _signed_in(web, "sdm.jba")
    opened = sdm.post(f"/portal/appeals/suo-motu/{web.nobody}")
    assert opened.status_code == 303 and "msg=suo_motu_opened" in opened.headers["Location"]
    reference = opened.headers["Location"].split("/portal/appeals/")[1].split("?")[0]
    assert reference.startswith("JBA-A-") and reference in sdm.get("/portal/appeals").text
    assert sdm.post(f"/portal/appeals/suo-motu/{web.indore}").status_code == 403
    page = sdm.get("/portal/time-limits/performance")
    assert page.status_code == 200 and 'data-test="performance"' in page.text
    export = sdm.get("/portal/time-limits/performance.csv")
    assert export.status_code == 200 and export.headers["Content-Type"].startswith("text/csv")
    lines = export.text.strip().splitlines()
    assert lines[0].startswith("district,service,officer,applications,decided_in_time")
    assert all(line.startswith("JBA,") for line in lines[1:]) and len(lines) > 1
    assert "Sita" not in export.text and "+91" not in export.text


def test_a_second_appeal_goes_to_the_second_appellate_authority(web):
    engine = create_engine_for(web.settings.database_url)
    citizen = f"citizen-second-{uuid.uuid4().hex[:6]}"
    reference = submit_application(
        engine,
        phone="+919826055505",
        channel_user_id=citizen,
        status="under_review",
        now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=45),
    )
    first = flows.file_appeal(citizen, reference, engine=engine).reference
    flows.decide_appeal(first, AppealStatus.DISMISSED, "तहसील से रिपोर्ट आ गई है", "staff:1", engine=engine)
    second = flows.file_appeal(citizen, reference, engine=engine).reference
    engine.dispose()
    collector = _signed_in(web, "collector.jba")
    assert second in collector.get("/portal/appeals?level=2").text
    sdm = _signed_in(web, "sdm.jba")
    assert (
        sdm.post(f"/portal/appeals/{second}/decide", {"outcome": "dismissed", "reason": "कोई कारण"}).status_code == 403
    )
    page = collector.get(f"/portal/appeals/{second}").text
    assert first in page and "तहसील से रिपोर्ट आ गई है" in page  # the first appeal's decision, beside it
    decided = collector.post(
        f"/portal/appeals/{second}/decide",
        {"outcome": "dismissed", "reason": "पहली अपील का फ़ैसला सही है", "penalty": "0"},
    )
    assert decided.status_code == 303 and decided.headers["Location"].endswith("msg=appeal_dismissed")
    told = web.query(
        "SELECT n.key FROM notifications n JOIN applications a ON a.citizen_id = n.citizen_id WHERE a.reference = :r",
        r=reference,
    )
    assert [t.key for t in told].count("appeal_dismissed") == 2
