"""The Act's rules on appeals and penalties, as plain Python (no database).

MP Lok Seva Guarantee Act 2010 and its 2010 rules (docs/facts/scheme-facts.md, A):
- A citizen may appeal when the service was not given by the guaranteed date
  (late) or was refused (rejected): the first appeal within 30 days after the
  time limit expired or after the rejection. Later, the appeal officer may still
  admit it for "sufficient cause" (पर्याप्त कारण): the assistant takes it, with the
  citizen's reason, and the officer decides.
- The second appeal lies against the first appeal's decision (or when the first
  appeal officer does not decide in time).
- The designated officer who is late pays ₹250 for each day of delay, at most
  ₹5,000, to the applicant as compensation (प्रतिकर).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import FrozenSet, Optional

from lokseva.applications.lifecycle import OFFICE_IS_RESPONSIBLE, Status
from lokseva.applications.rules import is_working_day

PENALTY_PER_DAY_PAISE = 250_00
PENALTY_CAP_PAISE = 5_000_00


class Grounds(str, enum.Enum):
    LATE = "late"  # not decided by the guaranteed date (समय सीमा निकल गई)
    REJECTED = "rejected"  # refused (आवेदन निरस्त)

    def __str__(self) -> str:
        return self.value


def days_late(due: Optional[dt.date], decided_or_today: dt.date) -> int:
    """Calendar days after the guaranteed date (0 when on time or no date)."""
    if due is None:
        return 0
    return max(0, (decided_or_today - due).days)


def penalty_paise(days: int) -> int:
    """The designated officer's penalty for `days` of delay: ₹250 a day, at most ₹5,000."""
    return min(max(0, days) * PENALTY_PER_DAY_PAISE, PENALTY_CAP_PAISE)


def grounds_for(status: Status, due: Optional[dt.date], today: dt.date) -> Optional[Grounds]:
    """Why this application may be appealed today, or None."""
    if status == Status.REJECTED:
        return Grounds.REJECTED
    if status in OFFICE_IS_RESPONSIBLE and due is not None and today > due:
        return Grounds.LATE
    return None


@dataclass(frozen=True)
class Window:
    """Until when an appeal is in time."""

    opened_on: dt.date  # the day after the guaranteed date, or the day of the rejection
    closes_on: dt.date  # the last day in time
    in_time: bool  # False: late, needs "sufficient cause"

    def days_left(self, today: dt.date) -> int:
        return (self.closes_on - today).days


def first_appeal_window(
    grounds: Grounds, due: Optional[dt.date], rejected_on: Optional[dt.date], today: dt.date, window_days: int = 30
) -> Window:
    if grounds == Grounds.LATE:
        if due is None:
            raise ValueError("a late application needs its guaranteed date")
        opened = due + dt.timedelta(days=1)
    else:
        if rejected_on is None:
            raise ValueError("a rejected application needs the date of the rejection")
        opened = rejected_on
    closes = opened + dt.timedelta(days=window_days - 1)
    return Window(opened, closes, today <= closes)


def second_appeal_window(first_decided_on: dt.date, today: dt.date, window_days: int) -> Window:
    closes = first_decided_on + dt.timedelta(days=window_days - 1)
    return Window(first_decided_on, closes, today <= closes)


def decision_due(filed_on: dt.date, days: int, kind: str, holidays: FrozenSet[dt.date]) -> dt.date:
    """The date by which the appeal officer decides: `days` after filing, working
    days skipping Sundays and the district's holidays, or calendar days."""
    if kind == "calendar":
        return filed_on + dt.timedelta(days=days)
    day, counted = filed_on, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return day


class AppealStatus(str, enum.Enum):
    FILED = "filed"  # with the appeal officer (सुनवाई बाकी)
    ALLOWED = "allowed"  # the officer ordered the service, with a new date
    DISMISSED = "dismissed"  # the officer refused the appeal, with a reason

    def __str__(self) -> str:
        return self.value


DECIDED = frozenset({AppealStatus.ALLOWED, AppealStatus.DISMISSED})
