"""Time as the database keeps it and as India reads it.

Every timestamp is stored in UTC. SQLite gives naive datetimes back (it keeps
no time zone), PostgreSQL aware ones; `aware` makes both the same. Citizens and
staff read India Standard Time (IST, UTC+5:30, no daylight saving).
"""

from __future__ import annotations

import datetime as dt
from typing import Optional, overload

IST = dt.timezone(dt.timedelta(hours=5, minutes=30), "IST")


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@overload
def aware(moment: dt.datetime) -> dt.datetime: ...


@overload
def aware(moment: None) -> None: ...


def aware(moment: Optional[dt.datetime]) -> Optional[dt.datetime]:
    """`moment` with its time zone; a naive one (from SQLite) was stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment


def to_ist(moment: dt.datetime) -> dt.datetime:
    return aware(moment).astimezone(IST)


def today_in_india(now: Optional[dt.datetime] = None) -> dt.date:
    """The calendar date in India now (or at `now`): due dates and receipts use it."""
    return to_ist(now or now_utc()).date()


def spoken_time(time: dt.time, language: str) -> str:
    """ "10 am", "5:30 pm" / "सुबह 10", "शाम 5:30" (add "बजे" after the last one)."""
    hour12 = time.hour % 12 or 12
    minutes = f":{time.minute:02d}" if time.minute else ""
    if language == "en":
        return f"{hour12}{minutes} {'am' if time.hour < 12 else 'pm'}"
    part = "सुबह" if 4 <= time.hour < 12 else "दोपहर" if time.hour < 16 else "शाम" if time.hour < 19 else "रात"
    return f"{part} {hour12}{minutes}"


def spoken_hours(opens: dt.time, closes: dt.time, language: str) -> str:
    """ "सुबह 11 से दोपहर 1 बजे" / "11 am to 1 pm": how a villager says a time span."""
    if language == "en":
        return f"{spoken_time(opens, language)} to {spoken_time(closes, language)}"
    return f"{spoken_time(opens, language)} से {spoken_time(closes, language)} बजे"
