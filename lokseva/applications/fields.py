"""The questions an application asks: each field's label, how its answer is
read (parsing.py) and how it is shown back. Common fields are asked for every
service; a service's own fields come from its catalogue entry (`fields:`)."""
from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple

from lokseva.applications import parsing
from lokseva.applications.numbers import format_date
from lokseva.catalogue import KNOWN_FIELDS
from lokseva.districts import Tehsil
from lokseva.money import format_rupees
from lokseva.privacy import mask_aadhaar

COMMON_FIELDS: Tuple[str, ...] = (
    "applicant_name",
    "relative_name",
    "gender",
    "date_of_birth",
    "address_village",
    "address_tehsil",
    "address_pin",
    "aadhaar",
)
# The answers besides the fields themselves that the conversation keeps.
EXTRA_VALUES = ("relative_relation",)


@dataclass(frozen=True)
class Context:
    """What a parser may need besides the text."""

    today: dt.date
    tehsils: Sequence[Tehsil]
    service_id: Optional[str]
    slots: Mapping[str, Any]


@dataclass
class Answer:
    """A parsed answer: slot values to set, maybe a note to tell the citizen,
    and the clear Aadhaar digits (stored encrypted, never put in a slot)."""

    values: Dict[str, Any]
    note: Optional[str] = None
    note_params: Optional[Dict[str, Any]] = None
    aadhaar_digits: Optional[str] = None


Labels = Mapping[str, Mapping[str, str]]  # service id or "*" -> {"hi", "en"}


@dataclass(frozen=True)
class Field:
    name: str
    labels: Labels
    read: Callable[[str, Context], Answer]
    show: Callable[[Any, str], str] = lambda value, language: str(value)

    def label(self, language: str, service_id: Optional[str] = None, slots: Optional[Mapping] = None) -> str:
        labels = self.labels.get(service_id or "", self.labels["*"])
        if self.name == "relative_name" and slots and slots.get("relative_relation") == "husband":
            labels = self.labels["husband"]
        return labels.get(language) or labels["hi"]


def _l(hi: str, en: str) -> Dict[str, str]:
    return {"hi": hi, "en": en}


# ---------------------------------------------------------------- readers

def _read_applicant_name(text: str, ctx: Context) -> Answer:
    both = parsing.split_self_and_relative(text)
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
    digits = parsing.parse_aadhaar(text)
    return Answer({"aadhaar": mask_aadhaar(digits)}, aadhaar_digits=digits)


def _read_income(text: str, ctx: Context) -> Answer:
    paise, monthly = parsing.parse_income(text)
    if monthly:
        return Answer({"annual_income": paise}, note="income_from_monthly", note_params={"amount": format_rupees(paise)})
    return Answer({"annual_income": paise})


def _read_event_date(text: str, ctx: Context) -> Answer:
    return Answer({"event_date": parsing.parse_past_date(text, ctx.today).isoformat()})


def _show_date(value: Any, language: str) -> str:
    return format_date(dt.date.fromisoformat(value), language) if value else ""


_GENDER_NAMES = {"male": _l("पुरुष", "Male"), "female": _l("महिला", "Female"), "other": _l("अन्य", "Other")}
_CASTE_NAMES = {
    "SC": _l("अनुसूचित जाति (SC)", "Scheduled Caste (SC)"),
    "ST": _l("अनुसूचित जनजाति (ST)", "Scheduled Tribe (ST)"),
    "OBC": _l("अन्य पिछड़ा वर्ग (OBC)", "Other Backward Class (OBC)"),
}


def gender_name(value: str, language: str) -> str:
    return _GENDER_NAMES.get(value, {}).get(language, value)


def caste_name(value: str, language: str) -> str:
    return _CASTE_NAMES.get(value, {}).get(language, value)


FIELDS: Dict[str, Field] = {
    f.name: f
    for f in (
        Field("applicant_name", {"*": _l("आवेदन करने वाले का नाम", "Applicant's name")}, _read_applicant_name),
        Field(
            "relative_name",
            {"*": _l("पिता / पति का नाम", "Father's / husband's name"),
             "husband": _l("पति का नाम", "Husband's name")},
            _read_relative,
        ),
        Field("gender", {"*": _l("लिंग", "Gender")}, lambda t, c: Answer({"gender": parsing.parse_gender(t)}),
              show=gender_name),
        Field(
            "date_of_birth",
            {"*": _l("जन्म की तारीख", "Date of birth")},
            lambda t, c: Answer({"date_of_birth": parsing.parse_past_date(t, c.today).isoformat()}),
            show=_show_date,
        ),
        Field("address_village", {"*": _l("गाँव / वार्ड", "Village / ward")}, _read_village),
        Field("address_tehsil", {"*": _l("तहसील", "Tehsil")},
              lambda t, c: Answer({"address_tehsil": parsing.parse_tehsil(t, c.tehsils)})),
        Field("address_pin", {"*": _l("पिन कोड", "PIN code")},
              lambda t, c: Answer({"address_pin": parsing.parse_pin(t)})),
        Field("aadhaar", {"*": _l("आधार नंबर", "Aadhaar number")}, _read_aadhaar),
        Field("annual_income", {"*": _l("परिवार की सालाना आय", "Family's annual income")}, _read_income,
              show=lambda v, lang: format_rupees(v) if v is not None else ""),
        Field("caste_category", {"*": _l("वर्ग", "Category")},
              lambda t, c: Answer({"caste_category": parsing.parse_caste_category(t)}), show=caste_name),
        Field(
            "subject_name",
            {"*": _l("नाम", "Name"), "birth_certificate": _l("बच्चे का नाम", "Child's name"),
             "death_certificate": _l("मृतक का नाम", "Name of the deceased")},
            lambda t, c: Answer({"subject_name": parsing.parse_name(t)}),
        ),
        Field(
            "event_date",
            {"*": _l("तारीख", "Date"), "birth_certificate": _l("जन्म की तारीख", "Date of birth of the child"),
             "death_certificate": _l("मृत्यु की तारीख", "Date of death")},
            _read_event_date, show=_show_date,
        ),
        Field(
            "event_place",
            {"*": _l("जगह", "Place"), "birth_certificate": _l("जन्म की जगह", "Place of birth"),
             "death_certificate": _l("मृत्यु की जगह", "Place of death")},
            lambda t, c: Answer({"event_place": parsing.parse_place(t)}),
        ),
        Field("land_village", {"*": _l("ज़मीन का गाँव", "Village of the land")},
              lambda t, c: Answer({"land_village": parsing.parse_place(t)})),
        Field("khasra_number", {"*": _l("खसरा / खाता नंबर", "Khasra / khata number")},
              lambda t, c: Answer({"khasra_number": parsing.parse_khasra(t)})),
    )
}

_missing = (set(COMMON_FIELDS) | set(KNOWN_FIELDS)) - set(FIELDS)
if _missing:  # the catalogue may only name fields this module can ask
    raise ImportError(f"fields without a reader: {', '.join(sorted(_missing))}")

ANSWER_FIELDS: Tuple[str, ...] = COMMON_FIELDS + tuple(KNOWN_FIELDS)


def show(field: str, value: Any, language: str) -> str:
    return FIELDS[field].show(value, language)
