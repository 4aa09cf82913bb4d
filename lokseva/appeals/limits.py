"""The appeal officers and the days each has, per service and district (limits.yml).

Validated with pydantic when loaded, so that a district officer's typo in the data
file is refused at start-up with the field's name, not found by a citizen later.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Dict, Literal, Mapping, Optional

import yaml
from pydantic import BaseModel, Extra, conint

from lokseva.catalogue import load_catalogue
from lokseva.validation import Bilingual

LIMITS_FILE = Path(__file__).with_name("limits.yml")
FIRST, SECOND = 1, 2


class LevelLimits(BaseModel, extra=Extra.forbid):
    """One appeal level: until when the citizen may appeal, to whom, and how long
    that officer has to decide."""

    window_days: conint(ge=1, le=365)  # type: ignore[valid-type]
    window_confirmed: bool
    officer: Optional[Bilingual]
    decide_days: conint(ge=1, le=365)  # type: ignore[valid-type]
    decide_kind: Literal["working", "calendar"]
    confirmed: bool

    def officer_name(self, language: str, level: int) -> str:
        if self.officer is None:
            return _ROLE[level][0 if language != "en" else 1]
        return self.officer.text(language)


_ROLE = {
    FIRST: ("प्रथम अपील अधिकारी", "the first appeal officer"),
    SECOND: ("द्वितीय अपील अधिकारी", "the second appeal authority"),
}


class AppealLimits(BaseModel, extra=Extra.forbid):
    first_appeal: LevelLimits
    second_appeal: LevelLimits

    def level(self, level: int) -> LevelLimits:
        return self.first_appeal if level == FIRST else self.second_appeal


def _merge(base: Mapping[str, Any], override: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    merged = {key: dict(value) if isinstance(value, dict) else value for key, value in base.items()}
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


class LimitsFile(BaseModel, extra=Extra.forbid):
    defaults: Dict[str, Any]
    services: Dict[str, Optional[Dict[str, Any]]]
    districts: Dict[str, Dict[str, Optional[Dict[str, Any]]]]

    def for_service(self, service_id: str, district: Optional[str] = None) -> AppealLimits:
        """Defaults, then the service's values, then the district's for that service
        (`districts: {jhabua: {income_certificate: {first_appeal: {...}}}}`)."""
        values = _merge(self.defaults, self.services.get(service_id))
        if district:
            values = _merge(values, (self.districts.get(district) or {}).get(service_id))
        return AppealLimits.parse_obj(values)


class LimitsDataError(ValueError):
    """limits.yml is not valid; the message names the field."""


def parse_limits(data: Any, known_services: Optional[set] = None) -> LimitsFile:
    try:
        limits = LimitsFile.parse_obj(data)
        for service_id in limits.services:
            limits.for_service(service_id)
        for district, services in limits.districts.items():
            for service_id in services:
                limits.for_service(service_id, district)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise LimitsDataError(f"{LIMITS_FILE.name}: {error}") from error
    if known_services is not None:
        unknown = set(limits.services) - known_services
        if unknown:
            raise LimitsDataError(f"{LIMITS_FILE.name}: unknown service(s) {', '.join(sorted(unknown))}")
    return limits


@functools.lru_cache(maxsize=1)
def load_limits() -> LimitsFile:
    known = {service.id for service in load_catalogue().services}
    return parse_limits(yaml.safe_load(LIMITS_FILE.read_text(encoding="utf-8")), known)
