"""Domain rules for an application: the fee due and the guaranteed due date.

Plain Python on catalogue and district data; no database, no Rasa.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import FrozenSet, Mapping, Optional

from lokseva.catalogue import DelayTier, Service, TimeLimit
from lokseva.clock import to_ist
from lokseva.districts import OfficeHours

SUNDAY = 6


def is_working_day(day: dt.date, holidays: FrozenSet[dt.date]) -> bool:
    return day.weekday() != SUNDAY and day not in holidays


def office_open_on(day: dt.date, hours: OfficeHours, holidays: FrozenSet[dt.date]) -> bool:
    return day.weekday() in hours.days and is_working_day(day, holidays)


def clock_starts(at: dt.datetime, hours: OfficeHours, holidays: FrozenSet[dt.date]) -> dt.date:
    """The day from which the time limit runs, for work that became possible
    at `at` (the fee paid, or an application with nothing to pay submitted).

    The office can start work only while it is open: a moment on a working
    day before closing time counts from that day (before opening: that
    morning); after closing time, on a Sunday or a holiday, it counts from the
    next working morning. An 11 pm payment counts from the next working day.
    """
    local = to_ist(at)
    day = local.date()
    if office_open_on(day, hours, holidays) and local.time() < hours.closes:
        return day
    day += dt.timedelta(days=1)
    while not office_open_on(day, hours, holidays):
        day += dt.timedelta(days=1)
    return day


def due_date_from(at: dt.datetime, limit: TimeLimit, hours: OfficeHours, holidays: FrozenSet[dt.date]) -> dt.date:
    """The guaranteed date for work that became possible at `at`: the time
    limit counted from the day the clock starts (clock_starts)."""
    return due_date(clock_starts(at, hours, holidays), limit, holidays)


def due_date(applied_on: dt.date, limit: TimeLimit, holidays: FrozenSet[dt.date]) -> dt.date:
    """The date by which the service is guaranteed, counted from the day the
    clock starts (`applied_on`; see clock_starts).

    Working days skip Sundays and the district's holidays; the start day does
    not count. A limit of 0 days means the same working day (the next working
    day when started on a Sunday or holiday). Calendar limits count every day.
    """
    if limit.kind == "calendar":
        return applied_on + dt.timedelta(days=limit.days)
    day = applied_on
    if limit.days == 0:
        while not is_working_day(day, holidays):
            day += dt.timedelta(days=1)
        return day
    counted = 0
    while counted < limit.days:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return day


@dataclass(frozen=True)
class FeeDue:
    """What the citizen pays when applying, in paise."""

    statutory: int
    processing: int
    note: Optional[Mapping[str, str]] = None  # e.g. {"hi": "शपथ पत्र के साथ", ...}
    beyond_tiers: bool = False  # later than every tier in the catalogue

    @property
    def total(self) -> int:
        return self.statutory + self.processing


def _tier_for(delay_days: int, tiers: tuple) -> Optional[DelayTier]:
    for tier in tiers:
        if delay_days <= tier.up_to_days:
            return tier
    return None


def fee_due(service: Service, event_date: Optional[dt.date] = None, applied_on: Optional[dt.date] = None) -> FeeDue:
    """The fee due on application (home delivery is asked and paid separately).

    Birth and death registrations cost more the later one applies: the
    catalogue lists the tiers by days since the event.
    """
    fees = service.fees
    statutory, note, beyond = fees.statutory, None, False
    if fees.statutory_by_delay and event_date and applied_on:
        delay = max(0, (applied_on - event_date).days)
        tier = _tier_for(delay, fees.statutory_by_delay)
        if tier is None:
            tier, beyond = fees.statutory_by_delay[-1], True
        statutory, note = tier.paise, tier.note
    return FeeDue(statutory=statutory, processing=fees.processing, note=note, beyond_tiers=beyond)


def days_left(due: dt.date, today: dt.date) -> int:
    """Calendar days until the due date (negative when it has passed)."""
    return (due - today).days
