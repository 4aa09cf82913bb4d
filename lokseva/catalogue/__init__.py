"""The Lok Seva service catalogue (services.yml beside this module).

Loaded once and validated by pydantic models (ServiceEntry): a broken entry stops
start-up with a message that names the entry and the field, so staff who edit the
file see at once what to fix. The rest of the assistant reads the frozen
dataclasses below (texts as {"hi": ..., "en": ...} mappings).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Literal, Mapping, Optional, Tuple

import yaml
from pydantic import StrictBool, StrictStr, ValidationError, constr, root_validator, validator

from lokseva.validation import Bilingual, Strict, named_errors

CATALOGUE_FILE = Path(__file__).with_name("services.yml")

# The questions the application conversation knows how to ask
# (lokseva/applications/fields.py implements each one). A service's `fields:`
# lists the ones it asks, in order.
KNOWN_FIELDS = (
    "applicant_name",
    "relative_name",
    "gender",
    "date_of_birth",
    "address_village",
    "address_tehsil",
    "address_pin",
    "identity",  # the identity proof: Aadhaar, or another proof the service accepts
    "annual_income",
    "caste_category",
    "subject_name",
    "event_date",
    "event_place",
    "land_village",
    "khasra_number",
    "subject_gender",
    "mother_name",
    "father_name",
)
# Whose details a form asks (`about:`): the applicant's own, or those of the
# person the certificate is for; the questions are worded for that person.
ABOUT = ("applicant", "child", "deceased")
# Identity proofs a service may accept (`identity_proofs:`), Aadhaar first.
IDENTITY_PROOFS = ("aadhaar", "voter_id", "pan")
# Topics whose values staff confirm one by one (`confirmed:` in services.yml).
CONFIRMABLE = (
    "time_limit",
    "fees",
    "home_delivery",
    "documents",
    "designated_officer",
    "appellate_officer",
    "same_day",
)
TIME_LIMIT_KINDS = ("working", "calendar")


class CatalogueError(ValueError):
    """The catalogue file is broken; the message names the entry and field."""


Text = Mapping[str, str]  # {"hi": ..., "en": ...}


@dataclass(frozen=True)
class DelayTier:
    """A statutory fee that depends on how long after the event one applies."""

    up_to_days: int
    paise: int
    note: Optional[Text] = None


@dataclass(frozen=True)
class Fees:
    """Fees in paise (₹1 = 100 paise)."""

    statutory: int
    processing: int
    home_delivery: int
    per_extra_page: int = 0
    statutory_by_delay: Tuple[DelayTier, ...] = ()


@dataclass(frozen=True)
class TimeLimit:
    days: int
    kind: str  # working | calendar


@dataclass(frozen=True)
class Service:
    id: str
    name: Text
    aliases: Tuple[str, ...]
    designated_officer: Text
    appellate_officer: Text
    time_limit: TimeLimit
    fees: Fees
    same_day: bool
    documents: Tuple[Text, ...]
    fields: Tuple[str, ...]
    source: Tuple[str, ...]
    confirmed: Mapping[str, bool]
    same_day_note: Optional[Text] = None
    documents_note: Optional[Text] = None
    eligibility: Optional[Text] = None
    about: str = "applicant"
    optional_fields: Tuple[str, ...] = ()
    identity_proofs: Tuple[str, ...] = ()

    def text(self, attribute: str, language: str) -> str:
        """A bilingual attribute in `language` (Hindi when there is no variant)."""
        value = getattr(self, attribute)
        return value.get(language) or value["hi"]

    def is_confirmed(self, topic: str) -> bool:
        return self.confirmed[topic]


@dataclass(frozen=True)
class Catalogue:
    services: Tuple[Service, ...]
    _by_id: Dict[str, Service] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self._by_id.update({s.id: s for s in self.services})

    @property
    def ids(self) -> Tuple[str, ...]:
        return tuple(s.id for s in self.services)

    def get(self, service_id: Optional[str]) -> Optional[Service]:
        return self._by_id.get(service_id or "")

    def __getitem__(self, service_id: str) -> Service:
        try:
            return self._by_id[service_id]
        except KeyError:
            raise KeyError(f"no service {service_id!r} in the catalogue") from None

    def __iter__(self):
        return iter(self.services)

    def __len__(self):
        return len(self.services)


class CatalogueText(Bilingual):
    """A text of the catalogue; the message names the usual slips of a hand edit."""

    @root_validator(pre=True)
    def _both_and_only(cls, value: Dict[str, Any]) -> Dict[str, Any]:  # noqa: N805 - pydantic validators take the class
        if not all(isinstance(value.get(lang), str) and value[lang].strip() for lang in ("hi", "en")):
            raise ValueError("needs both 'hi' and 'en' texts")
        extra = sorted(str(k) for k in value if k not in ("hi", "en"))
        if extra:
            # Typically an unquoted comma in a {hi: …, en: …} flow mapping, which
            # YAML reads as a new key and so cuts the text short.
            raise ValueError(f"has unexpected keys {extra}: quote texts that contain a comma")
        return value


def _paise(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number of paise (₹20 is 2000)")
    if value < 0:
        raise ValueError("cannot be negative")
    return value


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"must be a whole number of {what}")
    return value


class TierEntry(Strict):
    up_to_days: int
    paise: int
    note: Optional[CatalogueText] = None

    _days = validator("up_to_days", pre=True, allow_reuse=True)(lambda v: _whole(v, "days"))
    _paise = validator("paise", pre=True, allow_reuse=True)(_paise)


class FeesEntry(Strict):
    statutory: int
    processing: int
    home_delivery: int
    per_extra_page: int = 0
    statutory_by_delay: List[TierEntry] = []

    _paise = validator("statutory", "processing", "home_delivery", "per_extra_page", pre=True, allow_reuse=True)(_paise)


class TimeLimitEntry(Strict):
    days: int
    kind: Literal["working", "calendar"]

    _days = validator("days", pre=True, allow_reuse=True)(lambda v: _whole(v, "days (0 = same day)"))


class ConfirmedEntry(Strict):
    """Which topics staff have confirmed (CONFIRMABLE), each true or false."""

    time_limit: StrictBool
    fees: StrictBool
    home_delivery: StrictBool
    documents: StrictBool
    designated_officer: StrictBool
    appellate_officer: StrictBool
    same_day: StrictBool


class ServiceEntry(Strict):
    """One entry of services.yml."""

    id: constr(regex=r"^[a-z][a-z0-9_]*$")  # type: ignore[valid-type]
    name: CatalogueText
    aliases: List[StrictStr]
    designated_officer: CatalogueText
    appellate_officer: CatalogueText
    time_limit: TimeLimitEntry
    fees: FeesEntry
    same_day: StrictBool
    documents: List[CatalogueText]
    fields: List[str]
    source: List[str]
    confirmed: ConfirmedEntry
    same_day_note: Optional[CatalogueText] = None
    documents_note: Optional[CatalogueText] = None
    eligibility: Optional[CatalogueText] = None
    about: Literal["applicant", "child", "deceased"] = "applicant"
    optional_fields: List[str] = []
    identity_proofs: List[Literal["aadhaar", "voter_id", "pan"]] = []

    @validator("aliases")
    def _words(cls, aliases: List[str]) -> List[str]:  # noqa: N805
        if not all(a.strip() for a in aliases):
            raise ValueError("must be a list of words citizens use for the service")
        return [a.strip().lower() for a in aliases]

    @validator("documents")
    def _some(cls, documents: List[CatalogueText]) -> List[CatalogueText]:  # noqa: N805
        if not documents:
            raise ValueError("must be a non-empty list")
        return documents

    @validator("fields")
    def _known(cls, names: List[str]) -> List[str]:  # noqa: N805
        for name in names:
            if name not in KNOWN_FIELDS:
                raise ValueError(f"unknown field {name!r}; known: {', '.join(KNOWN_FIELDS)}")
        if len(set(names)) != len(names):
            raise ValueError("names a field twice")
        return names

    @validator("source", pre=True)
    def _sources(cls, source: Any) -> Any:  # noqa: N805
        source = [source] if isinstance(source, str) else source
        if not isinstance(source, list) or not source:
            raise ValueError("must name where the facts come from")
        return source

    @validator("confirmed", pre=True)
    def _every_topic(cls, confirmed: Any) -> Any:  # noqa: N805
        if isinstance(confirmed, bool):
            return {topic: confirmed for topic in CONFIRMABLE}
        if not isinstance(confirmed, dict):
            raise ValueError("must be true, false, or a mapping of topics to true/false")
        return confirmed

    @validator("optional_fields", always=True)
    def _asked(cls, optional: List[str], values: Dict[str, Any]) -> List[str]:  # noqa: N805
        if any(name not in values.get("fields", ()) for name in optional):
            raise ValueError("must list fields the service asks (see 'fields')")
        return optional

    @validator("identity_proofs", always=True)
    def _proofs_when_asked(cls, proofs: List[str], values: Dict[str, Any]) -> List[str]:  # noqa: N805
        if ("identity" in values.get("fields", ())) != bool(proofs):
            raise ValueError("is needed exactly when 'fields' asks 'identity'")
        return sorted(proofs, key=IDENTITY_PROOFS.index)


def _problem(item: Mapping[str, Any], data: Any) -> str:
    """pydantic's error in the catalogue's words, with the value given where it helps."""
    given: Any = data
    for part in item["loc"]:
        given = given.get(part) if isinstance(given, dict) else given[part] if isinstance(given, list) else None
    kind = item["type"]
    if kind in ("value_error.missing", "type_error.none.not_allowed"):
        return "is missing"
    if kind == "value_error.extra":
        if item["loc"][0] == "confirmed":
            return f"is not a topic staff confirm ({', '.join(CONFIRMABLE)})"
        return "is not a field of the catalogue"
    if kind in ("type_error.bool", "value_error.strictbool"):
        return f"must be true or false, not {given!r}"
    if kind == "value_error.const":
        return f"must be one of {', '.join(map(str, item['ctx']['permitted']))}, not {given!r}"
    if kind == "value_error.str.regex":
        return f"must be lower_snake_case, not {given!r}"
    if kind.startswith("type_error.") or item["msg"].startswith("must be a whole number"):
        return f"{item['msg']}, not {given!r}"
    return item["msg"]


def _parse_service(data: Any, index: int) -> Service:
    raw_id = data.get("id") if isinstance(data, dict) else None
    where = (
        f"services.yml: entry '{raw_id}'"
        if isinstance(raw_id, str) and re.fullmatch(r"[a-z][a-z0-9_]*", raw_id)
        else f"services.yml: entry {index + 1} ({raw_id or 'no id'})"
    )
    if not isinstance(data, dict):
        raise CatalogueError(f"{where}: must be a mapping of fields")
    try:
        entry = ServiceEntry.parse_obj(data)
    except ValidationError as error:
        raise CatalogueError(named_errors(error, where, lambda item: _problem(item, data))) from None
    tiers = entry.fees.statutory_by_delay
    for i in range(1, len(tiers)):
        if tiers[i].up_to_days <= tiers[i - 1].up_to_days:
            raise CatalogueError(
                f"{where}, field 'fees.statutory_by_delay[{i}].up_to_days': tiers must be in increasing order of days"
            )

    def text(value: Optional[CatalogueText]) -> Optional[Text]:
        return value.as_dict() if value is not None else None

    fees = entry.fees
    return Service(
        id=entry.id,
        name=entry.name.as_dict(),
        aliases=tuple(entry.aliases),
        designated_officer=entry.designated_officer.as_dict(),
        appellate_officer=entry.appellate_officer.as_dict(),
        time_limit=TimeLimit(days=entry.time_limit.days, kind=entry.time_limit.kind),
        fees=Fees(
            statutory=fees.statutory,
            processing=fees.processing,
            home_delivery=fees.home_delivery,
            per_extra_page=fees.per_extra_page,
            statutory_by_delay=tuple(DelayTier(t.up_to_days, t.paise, text(t.note)) for t in tiers),
        ),
        same_day=entry.same_day,
        documents=tuple(d.as_dict() for d in entry.documents),
        fields=tuple(entry.fields),
        source=tuple(str(s) for s in entry.source),
        confirmed=entry.confirmed.dict(),
        same_day_note=text(entry.same_day_note),
        documents_note=text(entry.documents_note),
        eligibility=text(entry.eligibility),
        about=entry.about,
        optional_fields=tuple(entry.optional_fields),
        identity_proofs=tuple(entry.identity_proofs),
    )


def parse_catalogue(text: str) -> Catalogue:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise CatalogueError(f"services.yml is not valid YAML: {error}") from None
    entries = data.get("services") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CatalogueError("services.yml: field 'services' must list at least one service")
    services = tuple(_parse_service(e, i) for i, e in enumerate(entries))
    seen = set()
    for service in services:
        if service.id in seen:
            raise CatalogueError(f"services.yml: entry '{service.id}', field 'id': appears twice")
        seen.add(service.id)
    return Catalogue(services)


@functools.lru_cache(maxsize=None)
def load_catalogue(path: Optional[Path] = None) -> Catalogue:
    """The catalogue, read once per process."""
    path = path or CATALOGUE_FILE
    return parse_catalogue(Path(path).read_text(encoding="utf-8"))


__all__ = [
    "ABOUT",
    "IDENTITY_PROOFS",
    "Catalogue",
    "CatalogueError",
    "DelayTier",
    "Fees",
    "KNOWN_FIELDS",
    "Service",
    "TimeLimit",
    "load_catalogue",
    "parse_catalogue",
]
