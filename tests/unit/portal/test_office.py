"""When the office calls back, and what the citizen is told."""

import datetime as dt

import pytest

from lokseva.districts import OfficeHours, load_district
from lokseva.portal import messaging
from lokseva.portal.office import IST, callback_window as office_callback_window

HOLIDAYS = frozenset({dt.date(2026, 8, 15)})
JHABUA_HOURS = load_district("jhabua").office_hours
# Another district's office: Monday to Friday, 09:30 to 18:00.
WEEKDAY_HOURS = OfficeHours(frozenset(range(5)), dt.time(9, 30), dt.time(18, 0))


def callback_window(now, holidays, hours=JHABUA_HOURS):
    return office_callback_window(now, hours, holidays)


def at(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=IST)


@pytest.mark.parametrize(
    "now, day, same_day",
    [
        (at(2026, 3, 2, 9, 0), dt.date(2026, 3, 2), True),  # Monday before opening
        (at(2026, 3, 2, 15, 59), dt.date(2026, 3, 2), True),  # an hour and a minute left
        (at(2026, 3, 2, 16, 30), dt.date(2026, 3, 3), False),  # too late: Tuesday
        (at(2026, 3, 7, 18, 0), dt.date(2026, 3, 9), False),  # Saturday evening: Monday (Sunday closed)
        (at(2026, 3, 8, 11, 0), dt.date(2026, 3, 9), False),  # Sunday
        (at(2026, 8, 14, 20, 0), dt.date(2026, 8, 17), False),  # Friday night, holiday Saturday, Sunday
    ],
)
def test_callback_window(now, day, same_day):
    window = callback_window(now, HOLIDAYS)
    assert window.day == day and window.same_day is same_day
    assert window.ends.time() == dt.time(17, 0) and window.ends.tzinfo is not None
    assert window.starts <= window.ends


def test_works_from_utc_time():
    # 04:00 UTC is 09:30 in India.
    window = callback_window(dt.datetime(2026, 3, 2, 4, 0, tzinfo=dt.timezone.utc), frozenset())
    assert window.same_day and window.day == dt.date(2026, 3, 2)


def test_the_citizen_is_told_when_in_hindi():
    window = callback_window(at(2026, 3, 2, 16, 30), HOLIDAYS)
    text = messaging.callback_promised(window, dt.date(2026, 3, 2), "कलेक्टर कार्यालय, झाबुआ", 12, "hi", False)
    assert "कल, 3 मार्च को सुबह 10 से शाम 5 बजे के बीच" in text
    assert "कलेक्टर कार्यालय, झाबुआ" in text and "अनुरोध नंबर: 12" in text
    assert "181" in text
    same_day = callback_window(at(2026, 3, 2, 11, 0), HOLIDAYS)
    assert "आज शाम 5 बजे तक" in messaging.callback_promised(same_day, dt.date(2026, 3, 2), "X", 1, "hi", False)


def test_weekday_named_beyond_tomorrow_and_english_variant():
    window = callback_window(at(2026, 3, 7, 18, 0), HOLIDAYS)  # Saturday evening -> Monday
    hindi = messaging.callback_promised(window, dt.date(2026, 3, 7), "X", 3, "hi", True)
    assert "सोमवार, 9 मार्च" in hindi and "पहले से दर्ज" in hindi
    english = messaging.callback_promised(window, dt.date(2026, 3, 7), "Collectorate, Jhabua", 3, "en", False)
    assert "on Monday, 9 March, between 10 am and 5 pm" in english
    assert "Collectorate, Jhabua" in english
    assert all(len(line) < 120 for line in hindi.splitlines()), "short lines for a small screen"


def test_jhabua_office_hours_come_from_the_district_file():
    assert OfficeHours(frozenset(range(6)), dt.time(10, 0), dt.time(17, 0)) == JHABUA_HOURS


@pytest.mark.parametrize(
    "now, day, same_day, starts",
    [
        (at(2026, 3, 2, 9, 0), dt.date(2026, 3, 2), True, dt.time(9, 30)),  # Monday before opening
        (at(2026, 3, 2, 16, 30), dt.date(2026, 3, 2), True, dt.time(16, 30)),  # open until 18:00 there
        (at(2026, 3, 6, 17, 30), dt.date(2026, 3, 9), False, dt.time(9, 30)),  # Friday evening: Monday
        (at(2026, 3, 7, 11, 0), dt.date(2026, 3, 9), False, dt.time(9, 30)),  # Saturday is closed there
    ],
)
def test_other_office_hours_move_the_window(now, day, same_day, starts):
    window = callback_window(now, HOLIDAYS, WEEKDAY_HOURS)
    assert (window.day, window.same_day, window.starts.time()) == (day, same_day, starts)
    assert window.ends.time() == dt.time(18, 0)


def test_the_citizen_is_told_the_district_hours():
    window = callback_window(at(2026, 3, 6, 17, 30), HOLIDAYS, WEEKDAY_HOURS)  # Friday -> Monday
    hindi = messaging.callback_promised(window, dt.date(2026, 3, 6), "X", 4, "hi", False)
    assert "सोमवार, 9 मार्च को सुबह 9:30 से शाम 6 बजे के बीच" in hindi
    english = messaging.callback_promised(window, dt.date(2026, 3, 6), "X", 4, "en", False)
    assert "on Monday, 9 March, between 9:30 am and 6 pm" in english
    same_day = callback_window(at(2026, 3, 2, 16, 30), HOLIDAYS, WEEKDAY_HOURS)
    assert "today by 6 pm" in messaging.callback_promised(same_day, dt.date(2026, 3, 2), "X", 1, "en", False)


def test_when_the_request_fails_the_citizen_gets_the_office_hours():
    assert "(सोमवार से शनिवार, सुबह 10 से शाम 5 बजे)" in messaging.callback_failed(JHABUA_HOURS, "hi")
    assert "(10 am to 5 pm, Monday to Saturday)" in messaging.callback_failed(JHABUA_HOURS, "en")
    assert "(9:30 am to 6 pm, Monday to Friday)" in messaging.callback_failed(WEEKDAY_HOURS, "en")
    odd_days = OfficeHours(frozenset({0, 2, 4}), dt.time(10, 0), dt.time(13, 0))
    assert "(सोमवार, बुधवार, शुक्रवार, सुबह 10 से दोपहर 1 बजे)" in messaging.callback_failed(odd_days, "hi")
