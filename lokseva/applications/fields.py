"""The questions an application asks: each field's label, how its answer is
read (parsing.py) and how it is shown back. Which fields a service asks, about
whom, and which identity proofs it accepts come from its catalogue entry
(`about`, `fields`, `identity_proofs`, `optional_fields`)."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from lokseva.applications import parsing
from lokseva.applications.numbers import format_date
from lokseva.catalogue import IDENTITY_PROOFS, KNOWN_FIELDS, Service, load_catalogue
from lokseva.districts import Tehsil
from lokseva.messages import load_catalogue as load_messages, render
from lokseva.money import format_rupees
from lokseva.privacy import mask_aadhaar

# The catalogue's `identity` question is asked as these slots: the Aadhaar
# number first; without one, which other proof and its number.
IDENTITY = "identity"
IDENTITY_SLOTS: Tuple[str, ...] = ("aadhaar", "identity_proof", "identity_number")
# The answer of a question the citizen skipped (an optional field, or no Aadhaar).
NOT_GIVEN = ""
# The answers besides the fields themselves that the conversation keeps.
EXTRA_VALUES = ("relative_relation",)


def questions(service: Service, slots: Mapping[str, Any]) -> List[str]:
    """The service's questions in order, given the answers so far."""
    order: List[str] = []
    for name in service.fields:
        order += identity_questions(service, slots) if name == IDENTITY else [name]
    return order


def identity_questions(service: Service, slots: Mapping[str, Any]) -> List[str]:
    if "aadhaar" not in service.identity_proofs:
        return ["identity_proof", "identity_number"]
    if slots.get("aadhaar") == NOT_GIVEN and len(service.identity_proofs) > 1:
        return ["aadhaar", "identity_proof", "identity_number"]
    return ["aadhaar"]


def other_proofs(service: Service) -> Tuple[str, ...]:
    """The proofs offered when the citizen has no Aadhaar (or the service does not take it)."""
    return tuple(p for p in service.identity_proofs if p != "aadhaar")


def may_skip(service: Service, field: str) -> bool:
    return field in service.optional_fields


@dataclass(frozen=True)
class Context:
    """What a parser may need besides the text."""

    today: dt.date
    tehsils: Sequence[Tehsil]
    service_id: Optional[str]
    slots: Mapping[str, Any]

    @property
    def service(self) -> Optional[Service]:
        return load_catalogue().get(self.service_id)


@dataclass
class Answer:
    """A parsed answer: slot values to set, maybe a note to tell the citizen,
    and the clear Aadhaar digits (stored encrypted, never put in a slot)."""

    values: Dict[str, Any]
    note: Optional[str] = None
    note_params: Optional[Dict[str, Any]] = None
    aadhaar_digits: Optional[str] = None


@dataclass(frozen=True)
class Field:
    """A question of the form: how its answer is read and shown. Its name in the
    summary: `labels:` in lokseva/messages/<language>/applications.yml."""

    name: str
    read: Callable[[str, Context], Answer]
    show: Callable[[Any, str], str] = lambda value, language: str(value)

    def label(self, language: str, service_id: Optional[str] = None, slots: Optional[Mapping] = None) -> str:
        service = load_catalogue().get(service_id)
        about = service.about if service else ""
        variants = [service_id or "", about]
        if self.name == "relative_name" and slots and slots.get("relative_relation") == "husband":
            variants = [f"husband_{about}" if service else "", "husband"]
        if self.name == "identity_number" and slots and slots.get("identity_proof"):
            variants = [slots["identity_proof"], *variants]
        return render(load_messages().variant(f"applications.labels.{self.name}", variants), language)


# ---------------------------------------------------------------- readers


def _read_applicant_name(text: str, ctx: Context) -> Answer:
    # "Ramesh s/o Kalu" gives the father's name too, on a form about the applicant
    service = ctx.service
    asks_relative = service is None or (service.about == "applicant" and "relative_name" in service.fields)
    both = parsing.split_self_and_relative(text) if asks_relative else None
    if both and not ctx.slots.get("relative_name"):
        name, relative, relation = both
        return Answer({"applicant_name": name, "relative_name": relative, "relative_relation": relation})
    return Answer({"applicant_name": parsing.parse_name(text)})


def _read_relative(text: str, ctx: Context) -> Answer:
    name, relation = parsing.parse_relative(text)
    return Answer({"relative_name": name, "relative_relation": relation})


def _read_village(text: str, ctx: Context) -> Answer:
    place, tehsil = parsing.split_tehsil(text)
    values = {"address_village": parsing.parse_place(place)}
    if tehsil and not ctx.slots.get("address_tehsil"):
        with contextlib.suppress(parsing.InvalidInput):
            values["address_tehsil"] = parsing.parse_tehsil(tehsil, ctx.tehsils)
    return Answer(values)


def _read_aadhaar(text: str, ctx: Context) -> Answer:
    service = ctx.service
    others = other_proofs(service) if service else ()
    given = parsing.identity_number(text)
    if given and given[0] in others:  # a voter card or PAN number typed straight away
        return Answer({"aadhaar": NOT_GIVEN, "identity_proof": given[0], "identity_number": given[1]})
    if parsing.says_none(text):
        if not others:
            raise parsing.InvalidInput("aadhaar_required")
        return Answer({"aadhaar": NOT_GIVEN, "identity_proof": None, "identity_number": None})
    digits = parsing.parse_aadhaar(text)
    return Answer(
        {"aadhaar": mask_aadhaar(digits), "identity_proof": None, "identity_number": None}, aadhaar_digits=digits
    )


def _read_identity_proof(text: str, ctx: Context) -> Answer:
    service = ctx.service
    offered = other_proofs(service) if service else IDENTITY_PROOFS[1:]
    given = parsing.identity_number(text)
    if given and given[0] in offered:
        return Answer({"identity_proof": given[0], "identity_number": given[1]})
    return Answer({"identity_proof": parsing.parse_identity_proof(text, offered), "identity_number": None})


def _read_identity_number(text: str, ctx: Context) -> Answer:
    kind = ctx.slots.get("identity_proof") or "voter_id"
    return Answer({"identity_number": parsing.parse_identity_number(text, kind)})


def _read_income(text: str, ctx: Context) -> Answer:
    paise, monthly = parsing.parse_income(text)
    if monthly:
        return Answer(
            {"annual_income": paise}, note="income_from_monthly", note_params={"amount": format_rupees(paise)}
        )
    return Answer({"annual_income": paise})


def _read_event_date(text: str, ctx: Context) -> Answer:
    return Answer({"event_date": parsing.parse_past_date(text, ctx.today).isoformat()})


def _show_date(value: Any, language: str) -> str:
    return format_date(dt.date.fromisoformat(value), language) if value else ""


def value_name(kind: str, value: Any, language: str) -> Any:
    """ "पुरुष" for ("gender", "male"): an answer as the citizen reads it
    (`values:` in the catalogue); a value it does not name, as it is."""
    key = f"applications.values.{kind}.{value}"
    return render(key, language) if load_messages().has(key) else value


def value_names(kind: str, language: str) -> List[str]:
    """The answers of `kind` in the catalogue's order: the buttons 1, 2, 3 of its question."""
    return [render(key, language) for key in load_messages().keys(f"applications.values.{kind}")]


def proof_name(value: str, language: str) -> str:
    return value_name("identity_proof", value, language)


def gender_name(value: str, language: str) -> str:
    return value_name("gender", value, language)


def child_gender_name(value: str, language: str) -> str:
    return value_name("child_gender", value, language)


def caste_name(value: str, language: str) -> str:
    return value_name("caste_category", value, language)


FIELDS: Dict[str, Field] = {
    f.name: f
    for f in (
        Field("applicant_name", _read_applicant_name),
        Field("relative_name", _read_relative),
        Field("gender", lambda t, c: Answer({"gender": parsing.parse_gender(t)}), show=gender_name),
        Field(
            "date_of_birth",
            lambda t, c: Answer({"date_of_birth": parsing.parse_past_date(t, c.today).isoformat()}),
            show=_show_date,
        ),
        Field("address_village", _read_village),
        Field("address_tehsil", lambda t, c: Answer({"address_tehsil": parsing.parse_tehsil(t, c.tehsils)})),
        Field("address_pin", lambda t, c: Answer({"address_pin": parsing.parse_pin(t)})),
        Field("aadhaar", _read_aadhaar),
        Field("identity_proof", _read_identity_proof, show=proof_name),
        Field("identity_number", _read_identity_number),
        Field("annual_income", _read_income, show=lambda v, lang: format_rupees(v) if v is not None else ""),
        Field(
            "caste_category", lambda t, c: Answer({"caste_category": parsing.parse_caste_category(t)}), show=caste_name
        ),
        Field("subject_name", lambda t, c: Answer({"subject_name": parsing.parse_name(t)})),
        Field("event_date", _read_event_date, show=_show_date),
        Field("event_place", lambda t, c: Answer({"event_place": parsing.parse_place(t)})),
        Field("land_village", lambda t, c: Answer({"land_village": parsing.parse_place(t)})),
        Field("khasra_number", lambda t, c: Answer({"khasra_number": parsing.parse_khasra(t)})),
        Field("subject_gender", lambda t, c: Answer({"subject_gender": parsing.parse_gender(t)}), show=gender_name),
        Field("mother_name", lambda t, c: Answer({"mother_name": parsing.parse_name(t)})),
        Field("father_name", lambda t, c: Answer({"father_name": parsing.parse_name(t)})),
    )
}

_missing = (set(KNOWN_FIELDS) - {IDENTITY} | set(IDENTITY_SLOTS)) - set(FIELDS)
if _missing:  # the catalogue may only name fields this module can ask
    raise ImportError(f"fields without a reader: {', '.join(sorted(_missing))}")

ANSWER_FIELDS: Tuple[str, ...] = tuple(FIELDS)


def show(field: str, value: Any, language: str, about: str = "applicant") -> str:
    if field == "subject_gender" and about == "child":  # a child is a boy or a girl
        return child_gender_name(value, language)
    return FIELDS[field].show(value, language)
