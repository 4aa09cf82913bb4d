"""lokseva.clock: UTC as stored, IST as read."""

import datetime as dt

from lokseva.clock import IST, aware, now_utc, to_ist


def test_a_naive_moment_from_sqlite_is_read_as_utc():
    naive = dt.datetime(2026, 3, 12, 18, 45)
    assert aware(naive) == dt.datetime(2026, 3, 12, 18, 45, tzinfo=dt.timezone.utc)
    assert aware(None) is None


def test_an_aware_moment_keeps_its_zone():
    moment = dt.datetime(2026, 3, 12, 10, 0, tzinfo=IST)
    assert aware(moment) is moment


def test_india_is_five_and_a_half_hours_ahead_across_midnight():
    local = to_ist(dt.datetime(2026, 3, 12, 18, 45))  # stored UTC, no zone
    assert (local.date(), local.hour, local.minute) == (dt.date(2026, 3, 13), 0, 15)
    assert local.tzname() == "IST"


def test_now_is_aware_utc():
    assert now_utc().utcoffset() == dt.timedelta(0)
