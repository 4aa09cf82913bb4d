"""Due dates count from when the clock really starts: the fee paid (or, with
nothing to pay, the submission), inside the office's working hours."""

import datetime as dt

from lokseva.applications import flows, messaging, rules
from lokseva.applications import service as repo
from lokseva.applications.lifecycle import Status
from lokseva.catalogue import TimeLimit, load_catalogue
from lokseva.db import session_scope
from lokseva.districts import load_district

JHABUA = load_district("jhabua")
HOURS, HOLIDAYS = JHABUA.office_hours, JHABUA.holidays
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
SAME_DAY = TimeLimit(0, "working")


def at(day, hour, minute=0):
    return dt.datetime(*day, hour, minute, tzinfo=IST)


def test_inside_working_hours_the_clock_starts_that_day():
    assert rules.clock_starts(at((2026, 3, 16), 11), HOURS, HOLIDAYS) == dt.date(2026, 3, 16)  # Monday 11 am
    assert rules.clock_starts(at((2026, 3, 16), 8), HOURS, HOLIDAYS) == dt.date(2026, 3, 16), "before opening"


def test_after_hours_sundays_and_holidays_count_from_the_next_working_morning():
    assert rules.clock_starts(at((2026, 3, 16), 23), HOURS, HOLIDAYS) == dt.date(2026, 3, 17)  # 11 pm Monday
    assert rules.clock_starts(at((2026, 3, 14), 18), HOURS, HOLIDAYS) == dt.date(2026, 3, 16)  # Saturday evening
    assert rules.clock_starts(at((2026, 3, 15), 11), HOURS, HOLIDAYS) == dt.date(2026, 3, 16)  # Sunday
    assert rules.clock_starts(at((2026, 3, 3), 20), HOURS, HOLIDAYS) == dt.date(2026, 3, 5), "Holi on 4 March"


def test_a_same_day_service_submitted_at_11_pm_is_due_the_next_working_day():
    assert rules.due_date_from(at((2026, 3, 16), 23), SAME_DAY, HOURS, HOLIDAYS) == dt.date(2026, 3, 17)
    assert rules.due_date_from(at((2026, 3, 16), 23), TimeLimit(7, "working"), HOURS, HOLIDAYS) == dt.date(2026, 3, 25)


def _land_draft(engine, user, now):
    answers = {
        "applicant_name": "Ramesh Bhuriya",
        "address_village": "Pitol",
        "address_tehsil": "Jhabua",
        "address_pin": "457661",
        "land_village": "Raipuria",
        "khasra_number": "245/2",
    }
    with session_scope(engine) as session:
        citizen = repo.get_or_create_citizen(session, user, whatsapp_number="whatsapp:+919826012345")
        repo.save_draft(
            session, citizen, "land_record_copy", answers, district_code="JBA", now=now - dt.timedelta(minutes=5)
        )


def test_a_same_day_service_paid_the_next_morning_is_not_late(engine):
    """Submitted at 11 pm on Monday, paid at 10 am on Wednesday: due on Wednesday,
    so on Wednesday the citizen is not told the date has passed."""
    submitted = at((2026, 3, 16), 23)
    _land_draft(engine, "citizen-1", submitted)
    receipt = flows.submit_draft("citizen-1", now=submitted, district=JHABUA, engine=engine)
    service = load_catalogue()["land_record_copy"]
    text = messaging.receipt(receipt, service, "hi")
    assert "गिनती फीस जमा होने से शुरू होती है" in text, "the receipt says when the clock starts"
    assert "आज फीस जमा करें तो गारंटी तारीख: *17 मार्च 2026*" in text, "an 11 pm submission counts from the morning"
    paid = at((2026, 3, 18), 10)
    with session_scope(engine) as session:
        application = repo.find_by_reference(session, receipt.application.reference)
        repo.change_status(session, application, Status.PAID, by="payments", at=paid)
    view = flows.application_for("citizen-1", receipt.application.reference, engine=engine)
    assert view.due_date == dt.date(2026, 3, 18)
    status = messaging.status_detail(view, service, dt.date(2026, 3, 18), "hi")
    assert "निकल गई" not in status and "अपील" not in status and "आज आख़िरी दिन" in status


def test_a_fee_paid_on_saturday_night_counts_from_monday(engine):
    submitted = at((2026, 3, 14), 12)
    _land_draft(engine, "citizen-2", submitted)
    receipt = flows.submit_draft("citizen-2", now=submitted, district=JHABUA, engine=engine)
    assert receipt.application.due_date == dt.date(2026, 3, 14), "paid now, it would be done today"
    with session_scope(engine) as session:
        application = repo.find_by_reference(session, receipt.application.reference)
        repo.change_status(session, application, Status.PAID, by="payments", at=at((2026, 3, 14), 21))
    assert flows.application_for("citizen-2", receipt.application.reference, engine=engine).due_date == dt.date(
        2026, 3, 16
    )


def test_the_clock_starts_on_payment_or_on_a_submission_with_nothing_to_pay():
    from lokseva.applications.lifecycle import StatusChange

    moment = at((2026, 3, 16), 11)
    assert repo.starts_the_clock(StatusChange(Status.FEE_PENDING, Status.PAID, moment, "payments"))
    assert repo.starts_the_clock(StatusChange(Status.SUBMITTED, Status.UNDER_REVIEW, moment, "system"))
    assert not repo.starts_the_clock(StatusChange(Status.PAID, Status.UNDER_REVIEW, moment, "staff:1"))
    assert not repo.starts_the_clock(StatusChange(Status.MORE_INFO_NEEDED, Status.UNDER_REVIEW, moment, "staff:1"))


def test_the_status_of_an_unpaid_application_says_the_clock_waits_for_the_fee():
    view = flows.ApplicationView(
        reference="JBA-2026-000001",
        service_id="land_record_copy",
        status=Status.FEE_PENDING,
        applicant_name="R",
        submitted_on=dt.date(2026, 3, 16),
        due_date=dt.date(2026, 3, 17),
        due_date_confirmed=True,
        fee_due_paise=5000,
        statutory_fee_paise=3000,
        processing_fee_paise=2000,
    )
    text = messaging.status_detail(view, load_catalogue()["land_record_copy"], dt.date(2026, 3, 20), "hi")
    assert "फीस जमा होने के दिन से गिनी जाएगी" in text and "निकल गई" not in text
