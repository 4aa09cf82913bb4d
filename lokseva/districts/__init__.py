"""The districts of Madhya Pradesh: each one's code, names and what is known of it.

`registry.yml` lists all 55 districts (names in both scripts, division, the
three-letter code of application ids); `data/<key>.yml` adds what is known of
a district (tehsils, Lok Seva Kendras, office hours, Jan Sunwai, holidays,
officers). Both are checked by the pydantic models of `schema.py` and
described in docs/districts.md. Nothing district-specific is written in code.

A district with no file, or a short one, still takes applications: what is
not known is None or empty here, and the assistant says it does not know.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, FrozenSet, Mapping, Optional, Tuple

import yaml
from pydantic import ValidationError

from lokseva.districts import schema
from lokseva.districts.schema import WEEKDAYS
from lokseva.validation import Bilingual

PACKAGE_DIR = Path(__file__).parent
REGISTRY = PACKAGE_DIR / "registry.yml"
DATA_DIR = PACKAGE_DIR / "data"


class DistrictDataError(ValueError):
    """A district file is missing or malformed."""


@dataclass(frozen=True)
class OfficeHours:
    """When an office works, India time, on working days that are not holidays."""

    days: FrozenSet[int]  # weekday numbers, Monday is 0
    opens: dt.time
    closes: dt.time

    @classmethod
    def of(cls, entry: schema.Hours) -> "OfficeHours":
        opens, closes = schema.parse_hours(entry.hours)
        return cls(frozenset(WEEKDAYS.index(d) for d in entry.days), opens, closes)


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
class Kendra:
    """A Lok Seva Kendra and the tehsils it serves (none listed: the whole district)."""

    name: Dict[str, str]
    serves: Tuple[str, ...]
    confirmed: bool = True

    def text(self, language: str) -> str:
        return self.name.get(language) or self.name["hi"]


@dataclass(frozen=True)
class District:
    key: str  # canonical name: the NLU entity value, e.g. agar_malwa
    code: str  # in application ids: IND-2026-000123
    name: Dict[str, str]
    division: Dict[str, str]
    also: Tuple[str, ...]  # other names and spellings citizens use
    state: Dict[str, str]
    collectorate: Dict[str, str]
    lok_seva_kendra: Dict[str, str]  # the office named on certificates and notices
    jan_sunwai: Dict
    tehsils: Tuple[Tehsil, ...]  # empty: not known, the form takes the tehsil as written
    kendras: Tuple[Kendra, ...]  # empty: not known
    holidays: FrozenSet[dt.date]
    callback_hours: OfficeHours  # the deployment's call-back desk
    office_hours: Optional[OfficeHours] = None  # None: not known
    headquarters: Optional[Dict[str, str]] = None
    officers: Mapping[str, Mapping[str, Dict[str, str]]] = field(default_factory=dict)

    def __hash__(self) -> int:  # the key names the district
        return hash(self.key)

    @property
    def tehsil_names(self) -> Tuple[str, ...]:
        """The names stored on applications (English)."""
        return tuple(t.en for t in self.tehsils)

    @property
    def spellings(self) -> Tuple[str, ...]:
        return (self.name["en"], self.name["hi"], *self.also)

    @property
    def working_hours(self) -> OfficeHours:
        """When the district's offices work: its own hours, or the deployment's
        default (the call-back desk's) where its file does not say."""
        return self.office_hours or self.callback_hours

    @property
    def hours_for_callbacks(self) -> OfficeHours:
        """The district office's hours, or the deployment's call-back desk's."""
        return self.office_hours or self.callback_hours

    def text(self, field: str, language: str) -> str:
        """A bilingual field in the citizen's language (Hindi when unknown)."""
        value = getattr(self, field)
        return value.get(language) or value["hi"]

    def kendra_for(self, tehsil: Optional[str]) -> Optional[Kendra]:
        """The Lok Seva Kendra serving this tehsil (its `en` name), if known."""
        wanted = (tehsil or "").lower()
        for kendra in self.kendras:
            if wanted and wanted in (t.lower() for t in kendra.serves):
                return kendra
        whole = [k for k in self.kendras if not k.serves]
        return whole[0] if whole else None

    def officer(self, service_id: str, role: str) -> Optional[Dict[str, str]]:
        """The district's own designated or appellate officer of a service, if its file names one."""
        return ((self.officers or {}).get(service_id) or {}).get(role)


def _errors(error: ValidationError) -> str:
    return "; ".join(
        "field '" + ".".join(str(p) for p in e["loc"] if p != "__root__") + "' " + e["msg"] for e in error.errors()
    )


def _read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise DistrictDataError(f"{path.name}: not valid YAML ({error})") from None


@functools.lru_cache(maxsize=None)
def registry() -> schema.RegistryFile:
    try:
        return schema.RegistryFile.parse_obj(_read_yaml(REGISTRY))
    except ValidationError as error:
        raise DistrictDataError(f"{REGISTRY.name}: {_errors(error)}") from None


def read_district_file(path: Path) -> schema.DistrictFile:
    """One data/<key>.yml, checked (the error names the file and the field)."""
    try:
        return schema.DistrictFile.parse_obj(_read_yaml(path))
    except ValidationError as error:
        raise DistrictDataError(f"{path.name}: {_errors(error)}") from None


def _bi(value: Bilingual) -> Dict[str, str]:
    return value.as_dict()


def _maybe(value: Optional[Bilingual]) -> Optional[Dict[str, str]]:
    return _bi(value) if value else None


def _build(entry: schema.RegistryEntry, details: schema.DistrictFile) -> District:
    state = registry().state
    name = {"hi": entry.hi, "en": entry.en}
    jan = details.jan_sunwai or schema.JanSunwaiEntry()
    collectorate = _maybe(details.collectorate) or {
        "hi": f"कलेक्टर कार्यालय, {entry.hi}",
        "en": f"Collectorate, {entry.en}",
    }
    return District(
        key=entry.key,
        code=entry.code,
        name=name,
        division=_bi(registry().divisions[entry.division]),
        also=tuple(entry.also),
        state=_bi(state.name),
        collectorate=collectorate,
        lok_seva_kendra=_maybe(details.lok_seva_kendra)
        or {"hi": f"लोक सेवा केंद्र, ज़िला {entry.hi}", "en": f"Lok Seva Kendra, {entry.en} district"},
        jan_sunwai={
            # the state's rule: at the Collectorate and in every government office
            "venue": _maybe(jan.venue)
            or {
                "hi": f"{collectorate['hi']} और सभी सरकारी दफ़्तर",
                "en": f"{collectorate['en']}, and every government office",
            },
            "day": jan.day or state.jan_sunwai.day,
            "hours": jan.hours or state.jan_sunwai.hours,
        },
        tehsils=tuple(Tehsil(t.en, t.hi, tuple(t.also)) for t in details.tehsils),
        kendras=tuple(Kendra(_bi(k.name), tuple(k.serves), k.confirmed) for k in details.kendras),
        holidays=frozenset(state.holidays) | frozenset(details.holidays),
        office_hours=OfficeHours.of(details.office_hours) if details.office_hours else None,
        callback_hours=OfficeHours.of(state.callback_hours),
        headquarters=_maybe(details.headquarters),
        officers={
            service: {
                role: _bi(getattr(o, role))
                for role in ("designated_officer", "appellate_officer")
                if getattr(o, role) is not None
            }
            for service, o in details.officers.items()
        },
    )


@functools.lru_cache(maxsize=None)
def load_district(key: str) -> District:
    entries = {e.key: e for e in registry().districts}
    if key not in entries:
        raise DistrictDataError(
            f"no district {key!r} in {REGISTRY.name}; known districts: {', '.join(sorted(entries))}"
        )
    path = DATA_DIR / f"{key}.yml"
    details = read_district_file(path) if path.exists() else schema.DistrictFile()
    return _build(entries[key], details)


def all_districts() -> Tuple[District, ...]:
    """Every district, in the registry's order (by division)."""
    return tuple(load_district(e.key) for e in registry().districts)


def district_keys() -> Tuple[str, ...]:
    return tuple(e.key for e in registry().districts)


def district_codes() -> FrozenSet[str]:
    return frozenset(e.code for e in registry().districts)


def district_by_code(code: Optional[str]) -> Optional[District]:
    wanted = (code or "").upper()
    entry = next((e for e in registry().districts if e.code == wanted), None)
    return load_district(entry.key) if entry else None


def district_by_key(key: Optional[str]) -> Optional[District]:
    return load_district(key) if key in district_keys() else None


def state_callback_hours() -> OfficeHours:
    """When the deployment's call-back desk calls citizens whose district is not known."""
    return OfficeHours.of(registry().state.callback_hours)
