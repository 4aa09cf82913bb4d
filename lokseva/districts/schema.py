"""The shape of the district data files, checked with pydantic when they load.

`registry.yml` lists every district (names, division, code); `data/<key>.yml`
holds what is known of one district, every part optional. docs/districts.md
describes both for the district staff who fill them in.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Dict, List, Optional

from pydantic import BaseModel, Extra, validator

from lokseva.validation import Bilingual

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CLOCK = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")


class Strict(BaseModel):
    class Config:
        extra = Extra.forbid  # a misspelt key is an error, not silently ignored
        anystr_strip_whitespace = True


def parse_clock(text: str) -> dt.time:
    match = _CLOCK.match(text.strip())
    if not match:
        raise ValueError(text)
    return dt.time(int(match.group(1)), int(match.group(2)))


def parse_hours(value) -> "tuple[dt.time, dt.time]":
    """ "HH:MM-HH:MM", opening before closing."""
    try:
        opens, closes = (parse_clock(part) for part in str(value).split("-"))
    except ValueError:
        raise ValueError(f'must be "HH:MM-HH:MM" (opening before closing), not {value!r}') from None
    if opens >= closes:
        raise ValueError(f'must be "HH:MM-HH:MM" (opening before closing), not {value!r}')
    return opens, closes


class Hours(Strict):
    days: List[str]
    hours: str

    @validator("days", pre=True)
    def _weekdays(cls, days):
        if not isinstance(days, list) or not days:
            raise ValueError("must be a list of weekdays, e.g. [monday, tuesday]")
        for day in days:
            if str(day).lower() not in WEEKDAYS:
                raise ValueError(f"has {day!r}, not a weekday ({', '.join(WEEKDAYS)})")
        return [str(d).lower() for d in days]

    @validator("hours", pre=True)
    def _hours(cls, value):
        parse_hours(value)
        return str(value)


class TehsilEntry(Strict):
    en: str
    hi: str
    also: List[str] = []


class KendraEntry(Strict):
    name: Bilingual
    serves: List[str] = []  # tehsils (their `en` names); empty: the whole district
    confirmed: bool = True  # false: seen as likely only; the assistant says so


class JanSunwaiEntry(Strict):
    venue: Optional[Bilingual] = None
    day: Optional[str] = None
    hours: Optional[str] = None

    @validator("day")
    def _day(cls, day):
        if day is not None and day.lower() not in WEEKDAYS:
            raise ValueError(f"{day!r} is not a weekday")
        return day and day.lower()

    @validator("hours")
    def _hours(cls, value):
        if value is not None:
            parse_hours(value)
        return value


class OfficerEntry(Strict):
    designated_officer: Optional[Bilingual] = None
    appellate_officer: Optional[Bilingual] = None


class DistrictFile(Strict):
    """data/<key>.yml: what is known of one district. Everything is optional."""

    headquarters: Optional[Bilingual] = None
    collectorate: Optional[Bilingual] = None
    lok_seva_kendra: Optional[Bilingual] = None
    office_hours: Optional[Hours] = None
    jan_sunwai: Optional[JanSunwaiEntry] = None
    tehsils: List[TehsilEntry] = []
    kendras: List[KendraEntry] = []
    holidays: List[dt.date] = []
    officers: Dict[str, OfficerEntry] = {}  # service id -> the district's own officers

    @validator("kendras")
    def _kendras_serve_known_tehsils(cls, kendras, values):
        names = {t.en for t in values.get("tehsils") or []}
        for kendra in kendras:
            unknown = [t for t in kendra.serves if t not in names]
            if unknown:
                raise ValueError(f"{kendra.name.en} serves {', '.join(unknown)}, not a tehsil of this file")
        return kendras


class RegistryEntry(Strict):
    key: str
    code: str
    en: str
    hi: str
    division: str
    also: List[str] = []

    @validator("key")
    def _key(cls, key):
        if not re.fullmatch(r"[a-z]+(_[a-z]+)*", key):
            raise ValueError(f"must be lower-case English with underscores, not {key!r}")
        return key

    @validator("code")
    def _code(cls, code):
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise ValueError(f"must be three capital letters, not {code!r}")
        return code


class StateDefaults(Strict):
    name: Bilingual
    jan_sunwai: JanSunwaiEntry
    holidays: List[dt.date] = []
    callback_hours: Hours


class RegistryFile(Strict):
    state: StateDefaults
    divisions: Dict[str, Bilingual]
    districts: List[RegistryEntry]

    @validator("districts")
    def _unique(cls, districts, values):
        for attribute in ("key", "code"):
            seen: Dict[str, str] = {}
            for entry in districts:
                value = getattr(entry, attribute)
                if value in seen:
                    raise ValueError(f"{attribute} {value} is used by both {seen[value]} and {entry.key}")
                seen[value] = entry.key
        divisions = values.get("divisions") or {}
        for entry in districts:
            if entry.division not in divisions:
                raise ValueError(f"{entry.key}: division {entry.division!r} is not in 'divisions'")
        return districts
