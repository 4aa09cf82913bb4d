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
