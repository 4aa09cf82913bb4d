"""The Lok Seva service catalogue (services.yml beside this module).

Loaded once and validated field by field: a broken entry stops start-up with a
message that names the entry and the field, so staff who edit the file see at
once what to fix.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Literal, Mapping, Optional, Tuple, overload

import yaml

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
    "identity",        # the identity proof: Aadhaar, or another proof the service accepts
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


class _Entry:
    """Reads one entry, raising CatalogueError that names entry and field."""

    def __init__(self, data: Any, where: str):
        if not isinstance(data, dict):
            raise CatalogueError(f"{where}: must be a mapping of fields")
        self.data = data
        self.where = where

    def fail(self, name: str, problem: str) -> CatalogueError:
        return CatalogueError(f"{self.where}, field '{name}': {problem}")

    def get(self, name: str, required: bool = True) -> Any:
        node: Any = self.data
        for part in name.split("."):
            if not isinstance(node, dict) or part not in node or node[part] is None:
                if required:
                    raise self.fail(name, "is missing")
                return None
            node = node[part]
        return node

    @overload
    def bilingual(self, name: str, required: Literal[True] = True, value: Any = None) -> Text: ...

    @overload
    def bilingual(self, name: str, required: bool, value: Any = None) -> Optional[Text]: ...

    def bilingual(self, name: str, required: bool = True, value: Any = None) -> Optional[Text]:
        value = self.get(name, required) if value is None else value
        if value is None:
            return None
        if not isinstance(value, dict) or not all(
            isinstance(value.get(lang), str) and str(value.get(lang)).strip() for lang in ("hi", "en")
        ):
            raise self.fail(name, "needs both 'hi' and 'en' texts")
        extra = sorted(str(k) for k in value if k not in ("hi", "en"))
        if extra:
            # Typically an unquoted comma in a {hi: …, en: …} flow mapping, which
            # YAML reads as a new key and so cuts the text short.
            raise self.fail(name, f"has unexpected keys {extra}: quote texts that contain a comma")
        return {"hi": value["hi"].strip(), "en": value["en"].strip()}

    def paise(self, name: str, required: bool = True, value: Any = None) -> int:
        value = self.get(name, required) if value is None else value
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, f"must be a whole number of paise (₹20 is 2000), not {value!r}")
        if value < 0:
            raise self.fail(name, f"cannot be negative ({value})")
        return value


def _parse_service(data: Any, index: int) -> Service:
    raw_id = data.get("id") if isinstance(data, dict) else None
    entry = _Entry(data, f"services.yml: entry {index + 1} ({raw_id or 'no id'})")
    service_id = entry.get("id")
    if not isinstance(service_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", service_id):
        raise entry.fail("id", f"must be lower_snake_case, not {service_id!r}")
    entry.where = f"services.yml: entry '{service_id}'"

    entry.get("time_limit")
    days = entry.get("time_limit.days")
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise entry.fail("time_limit.days", f"must be a whole number of days (0 = same day), not {days!r}")
    kind = entry.get("time_limit.kind")
    if kind not in TIME_LIMIT_KINDS:
        raise entry.fail("time_limit.kind", f"must be one of {', '.join(TIME_LIMIT_KINDS)}, not {kind!r}")

    tiers: List[DelayTier] = []
    for i, tier in enumerate(entry.get("fees.statutory_by_delay", required=False) or []):
        name = f"fees.statutory_by_delay[{i}]"
        if not isinstance(tier, dict):
            raise entry.fail(name, "must be a mapping with up_to_days and paise")
        up_to = tier.get("up_to_days")
        if isinstance(up_to, bool) or not isinstance(up_to, int) or up_to < 0:
            raise entry.fail(f"{name}.up_to_days", f"must be a whole number of days, not {up_to!r}")
        if tiers and up_to <= tiers[-1].up_to_days:
            raise entry.fail(f"{name}.up_to_days", "tiers must be in increasing order of days")
        if tier.get("paise") is None:
            raise entry.fail(f"{name}.paise", "is missing")
        note = entry.bilingual(f"{name}.note", value=tier["note"]) if tier.get("note") else None
        tiers.append(DelayTier(up_to, entry.paise(f"{name}.paise", value=tier["paise"]), note))
    fees = Fees(
        statutory=entry.paise("fees.statutory"),
        processing=entry.paise("fees.processing"),
        home_delivery=entry.paise("fees.home_delivery"),
        per_extra_page=entry.paise("fees.per_extra_page", required=False),
        statutory_by_delay=tuple(tiers),
    )

    same_day = entry.get("same_day")
    if not isinstance(same_day, bool):
        raise entry.fail("same_day", f"must be true or false, not {same_day!r}")

    documents = entry.get("documents")
    if not isinstance(documents, list) or not documents:
        raise entry.fail("documents", "must be a non-empty list")
    docs = tuple(entry.bilingual(f"documents[{i}]", value=d) for i, d in enumerate(documents))

    fields_ = entry.get("fields")
    if not isinstance(fields_, list):
        raise entry.fail("fields", "must be a list (may be empty: [])")
    for name in fields_:
        if name not in KNOWN_FIELDS:
            raise entry.fail("fields", f"unknown field {name!r}; known: {', '.join(KNOWN_FIELDS)}")
    if len(set(fields_)) != len(fields_):
        raise entry.fail("fields", "names a field twice")
    optional = entry.get("optional_fields", required=False) or []
    if not isinstance(optional, list) or any(name not in fields_ for name in optional):
        raise entry.fail("optional_fields", "must list fields the service asks (see 'fields')")
    about = entry.get("about", required=False) or "applicant"
    if about not in ABOUT:
        raise entry.fail("about", f"must be one of {', '.join(ABOUT)}, not {about!r}")
    proofs = entry.get("identity_proofs", required=False) or []
    if not isinstance(proofs, list) or any(p not in IDENTITY_PROOFS for p in proofs):
        raise entry.fail("identity_proofs", f"must list proofs among {', '.join(IDENTITY_PROOFS)}")
    if ("identity" in fields_) != bool(proofs):
        raise entry.fail("identity_proofs", "is needed exactly when 'fields' asks 'identity'")

    aliases = entry.get("aliases")
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise entry.fail("aliases", "must be a list of words citizens use for the service")

    source = entry.get("source")
    source = [source] if isinstance(source, str) else source
    if not isinstance(source, list) or not source:
        raise entry.fail("source", "must name where the facts come from")

    confirmed_raw = entry.get("confirmed")
    if isinstance(confirmed_raw, bool):
        confirmed = {topic: confirmed_raw for topic in CONFIRMABLE}
    elif isinstance(confirmed_raw, dict):
        confirmed = {}
        for topic in CONFIRMABLE:
            value = confirmed_raw.get(topic)
            if not isinstance(value, bool):
                raise entry.fail(f"confirmed.{topic}", f"must be true or false, not {value!r}")
            confirmed[topic] = value
        unknown = set(confirmed_raw) - set(CONFIRMABLE)
        if unknown:
            raise entry.fail("confirmed", f"unknown topic(s) {', '.join(sorted(unknown))}")
    else:
        raise entry.fail("confirmed", "must be true, false, or a mapping of topics to true/false")

    return Service(
        id=service_id,
        name=entry.bilingual("name"),
        aliases=tuple(a.strip().lower() for a in aliases),
        designated_officer=entry.bilingual("designated_officer"),
        appellate_officer=entry.bilingual("appellate_officer"),
        time_limit=TimeLimit(days=days, kind=kind),
        fees=fees,
        same_day=same_day,
        documents=docs,
        fields=tuple(fields_),
        source=tuple(str(s) for s in source),
        confirmed=confirmed,
        same_day_note=entry.bilingual("same_day_note", required=False),
        documents_note=entry.bilingual("documents_note", required=False),
        eligibility=entry.bilingual("eligibility", required=False),
        about=about,
        optional_fields=tuple(optional),
        identity_proofs=tuple(sorted(proofs, key=IDENTITY_PROOFS.index)),
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
