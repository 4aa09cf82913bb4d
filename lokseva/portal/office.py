"""When the district office works, and so when it can call a citizen back.

Plain Python (no database): the office works on the days and hours of the
district's data file (`office_hours`), India time, except on the district's
holidays. A callback asked for with at least an hour of office time left is
promised for the same day; otherwise for the next working day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import FrozenSet

from lokseva.clock import IST
from lokseva.districts import OfficeHours


MIN_NOTICE = dt.timedelta(hours=1)


@dataclass(frozen=True)
class CallbackWindow:
    day: dt.date
    starts: dt.datetime  # IST
    ends: dt.datetime  # IST
    same_day: bool


def is_office_day(day: dt.date, hours: OfficeHours, holidays: FrozenSet[dt.date]) -> bool:
    return day.weekday() in hours.days and day not in holidays


def callback_window(now: dt.datetime, hours: OfficeHours, holidays: FrozenSet[dt.date]) -> CallbackWindow:
    """The window in which the office will call a citizen who asks at `now`."""
    local = now.astimezone(IST)
    today = local.date()
    closes_today = dt.datetime.combine(today, hours.closes, IST)
    if is_office_day(today, hours, holidays) and local + MIN_NOTICE <= closes_today:
        starts = max(local, dt.datetime.combine(today, hours.opens, IST))
        return CallbackWindow(today, starts, closes_today, same_day=True)
    day = today + dt.timedelta(days=1)
    while not is_office_day(day, hours, holidays):  # the district file has at least one office day
        day += dt.timedelta(days=1)
    return CallbackWindow(
        day,
        dt.datetime.combine(day, hours.opens, IST),
        dt.datetime.combine(day, hours.closes, IST),
        same_day=False,
    )
