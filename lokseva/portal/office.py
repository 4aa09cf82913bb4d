"""When the district office works, and so when it can call a citizen back.

Plain Python (no database): the office is open Monday to Saturday, 10:00 to
17:00 India time, except on the district's holidays (from the district's data
file). A callback asked for with at least an hour of office time left is
promised for the same day; otherwise for the next working day.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import FrozenSet

from lokseva.clock import IST


# The Lok Seva Kendra's hours, as the assistant already tells citizens (domain/core.yml).
# TODO(district data): move to the district file when a district works other hours.
OPENS = dt.time(10, 0)
CLOSES = dt.time(17, 0)
MIN_NOTICE = dt.timedelta(hours=1)


@dataclass(frozen=True)
class CallbackWindow:
    day: dt.date
    starts: dt.datetime   # IST
    ends: dt.datetime     # IST
    same_day: bool


def is_working_day(day: dt.date, holidays: FrozenSet[dt.date]) -> bool:
    return day.weekday() != 6 and day not in holidays   # Sunday is 6


def callback_window(now: dt.datetime, holidays: FrozenSet[dt.date]) -> CallbackWindow:
    """The window in which the office will call a citizen who asks at `now`."""
    local = now.astimezone(IST)
    today = local.date()
    closes_today = dt.datetime.combine(today, CLOSES, IST)
    if is_working_day(today, holidays) and local + MIN_NOTICE <= closes_today:
        starts = max(local, dt.datetime.combine(today, OPENS, IST))
        return CallbackWindow(today, starts, closes_today, same_day=True)
    day = today + dt.timedelta(days=1)
    while not is_working_day(day, holidays):
        day += dt.timedelta(days=1)
    return CallbackWindow(
        day, dt.datetime.combine(day, OPENS, IST), dt.datetime.combine(day, CLOSES, IST), same_day=False
    )
