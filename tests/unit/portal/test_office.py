"""When the office calls back, and what the citizen is told."""
import datetime as dt

import pytest

from lokseva.portal import messaging
from lokseva.portal.office import IST, callback_window

HOLIDAYS = frozenset({dt.date(2026, 8, 15)})


def at(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=IST)


@pytest.mark.parametrize("now, day, same_day", [
    (at(2026, 3, 2, 9, 0), dt.date(2026, 3, 2), True),      # Monday before opening
    (at(2026, 3, 2, 15, 59), dt.date(2026, 3, 2), True),    # an hour and a minute left
    (at(2026, 3, 2, 16, 30), dt.date(2026, 3, 3), False),   # too late: Tuesday
    (at(2026, 3, 7, 18, 0), dt.date(2026, 3, 9), False),    # Saturday evening: Monday (Sunday closed)
    (at(2026, 3, 8, 11, 0), dt.date(2026, 3, 9), False),    # Sunday
    (at(2026, 8, 14, 20, 0), dt.date(2026, 8, 17), False),  # Friday night, holiday Saturday, Sunday
])
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
    window = callback_window(at(2026, 3, 7, 18, 0), HOLIDAYS)   # Saturday evening -> Monday
    hindi = messaging.callback_promised(window, dt.date(2026, 3, 7), "X", 3, "hi", True)
    assert "सोमवार, 9 मार्च" in hindi and "पहले से दर्ज" in hindi
    english = messaging.callback_promised(window, dt.date(2026, 3, 7), "Collectorate, Jhabua", 3, "en", False)
    assert "on Monday, 9 March, between 10 am and 5 pm" in english
    assert "Collectorate, Jhabua" in english
    assert all(len(line) < 120 for line in hindi.splitlines()), "short lines for a small screen"
