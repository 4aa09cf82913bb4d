"""District data (code, names, offices, Jan Sunwai, holidays), one YAML file each.

Nothing district-specific is written in code: `DISTRICT=jhabua` selects
`jhabua.yml` beside this module.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, Tuple

import yaml

DATA_DIR = Path(__file__).parent


class DistrictDataError(ValueError):
    """A district file is missing or malformed."""


@dataclass(frozen=True)
class District:
    key: str
    code: str
    name: Dict[str, str]
    state: Dict[str, str]
    collectorate: Dict[str, str]
    lok_seva_kendra: Dict[str, str]
    jan_sunwai: Dict
    tehsils: Tuple[str, ...]
    holidays: FrozenSet[dt.date]

    def text(self, field: str, language: str) -> str:
        """A bilingual field in the citizen's language (Hindi when unknown)."""
        value = getattr(self, field)
        return value.get(language) or value["hi"]


def _require(data: dict, key: str, where: str):
    if key not in data or data[key] in (None, ""):
        raise DistrictDataError(f"{where}: field '{key}' is missing")
    return data[key]


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
        jan_sunwai=_require(data, "jan_sunwai", where),
        tehsils=tuple(_require(data, "tehsils", where)),
        holidays=frozenset(holidays),
    )


def current_district() -> District:
    from lokseva.settings import get_settings

    return load_district(get_settings().district)
