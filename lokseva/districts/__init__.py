"""District data (code, names, offices, office hours, Jan Sunwai, holidays), one YAML file each.

Nothing district-specific is written in code: `DISTRICT=jhabua` selects
`jhabua.yml` beside this module.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, Optional, Tuple

import yaml

DATA_DIR = Path(__file__).parent


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class DistrictDataError(ValueError):
    """A district file is missing or malformed."""


@dataclass(frozen=True)
class OfficeHours:
    """When the Lok Seva Kendra works (कार्यालय समय), India time, on working days
    that are not holidays."""

    days: FrozenSet[int]   # weekday numbers, Monday is 0
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True)
class Tehsil:
    """A tehsil (तहसील). `en` is the name stored on applications, deliveries and
    staff accounts; citizens write either name, or a spelling in `also`
    (lokseva.applications.parsing)."""

    en: str
    hi: str
    also: Tuple[str, ...] = ()

    @property
    def spellings(self) -> Tuple[str, ...]:
        return (self.en, self.hi, *self.also)

    def text(self, language: str) -> str:
        return self.en if language == "en" else self.hi


@dataclass(frozen=True)
class District:
    key: str
    code: str
    name: Dict[str, str]
    state: Dict[str, str]
    collectorate: Dict[str, str]
    lok_seva_kendra: Dict[str, str]
    office_hours: OfficeHours
    jan_sunwai: Dict
    tehsils: Tuple[Tehsil, ...]
    holidays: FrozenSet[dt.date]

    @property
    def tehsil_names(self) -> Tuple[str, ...]:
        """The names stored on applications (English)."""
        return tuple(t.en for t in self.tehsils)

    def text(self, field: str, language: str) -> str:
        """A bilingual field in the citizen's language (Hindi when unknown)."""
        value = getattr(self, field)
        return value.get(language) or value["hi"]


def _require(data: dict, key: str, where: str):
    if key not in data or data[key] in (None, ""):
        raise DistrictDataError(f"{where}: field '{key}' is missing")
    return data[key]


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    if len(minutes) != 2:
        raise ValueError(text)
    return dt.time(int(hours), int(minutes))


def _tehsils(data: dict, where: str) -> Tuple[Tehsil, ...]:
    entries = _require(data, "tehsils", where)
    if not isinstance(entries, list):
        raise DistrictDataError(f"{where}: field 'tehsils' must be a list of {{en: ..., hi: ...}}")
    tehsils = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) and entry[k] for k in ("en", "hi")):
            raise DistrictDataError(f"{where}: field 'tehsils' entry {number} ({entry!r}) needs both 'en' and 'hi'")
        also = entry.get("also") or []
        if not isinstance(also, list) or not all(isinstance(a, str) and a for a in also):
            raise DistrictDataError(f"{where}: field 'tehsils' entry {number}: 'also' must be a list of spellings")
        tehsils.append(Tehsil(en=entry["en"], hi=entry["hi"], also=tuple(also)))
    return tuple(tehsils)


def _office_hours(data: dict, where: str) -> OfficeHours:
    value = _require(data, "office_hours", where)
    if not isinstance(value, dict):
        raise DistrictDataError(f"{where}: field 'office_hours' needs 'days' and 'hours'")
    for key in ("days", "hours"):
        if value.get(key) in (None, "", []):
            raise DistrictDataError(f"{where}: field 'office_hours.{key}' is missing")
    days, hours = value["days"], value["hours"]
    if not isinstance(days, list):
        raise DistrictDataError(f"{where}: field 'office_hours.days' must be a list of weekdays, e.g. [monday, tuesday]")
    for day in days:
        if str(day).lower() not in WEEKDAYS:
            raise DistrictDataError(
                f"{where}: field 'office_hours.days' has {day!r}, not a weekday ({', '.join(WEEKDAYS)})"
            )
    try:
        opens: Optional[dt.time]
        closes: Optional[dt.time]
        opens, closes = (_clock(part.strip()) for part in str(hours).split("-"))
    except ValueError:
        opens = closes = None
    if opens is None or closes is None or opens >= closes:
        raise DistrictDataError(
            f"{where}: field 'office_hours.hours' must be \"HH:MM-HH:MM\" (opening before closing), not {hours!r}"
        )
    return OfficeHours(frozenset(WEEKDAYS.index(str(d).lower()) for d in days), opens, closes)


@functools.lru_cache(maxsize=None)
def load_district(key: str) -> District:
    path = DATA_DIR / f"{key}.yml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in DATA_DIR.glob("*.yml")))
        raise DistrictDataError(f"no district file {path.name}; known districts: {known}")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    where = path.name
    code = str(_require(data, "code", where))
    if not (code.isascii() and code.isalpha() and code.isupper() and len(code) == 3):
        raise DistrictDataError(f"{where}: field 'code' must be three capital letters, not {code!r}")
    for field in ("name", "state", "collectorate", "lok_seva_kendra"):
        value = _require(data, field, where)
        if not isinstance(value, dict) or "hi" not in value or "en" not in value:
            raise DistrictDataError(f"{where}: field '{field}' needs both 'hi' and 'en'")
    holidays = []
    for day in data.get("holidays") or []:
        if not isinstance(day, dt.date):
            raise DistrictDataError(f"{where}: holiday {day!r} is not a date (YYYY-MM-DD)")
        holidays.append(day)
    return District(
        key=key,
        code=code,
        name=data["name"],
        state=data["state"],
        collectorate=data["collectorate"],
        lok_seva_kendra=data["lok_seva_kendra"],
        office_hours=_office_hours(data, where),
        jan_sunwai=_require(data, "jan_sunwai", where),
        tehsils=_tehsils(data, where),
        holidays=frozenset(holidays),
    )


def current_district() -> District:
    from lokseva.settings import get_settings

    return load_district(get_settings().district)
