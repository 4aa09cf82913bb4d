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


Labels = Mapping[str, Mapping[str, str]]  # service id, whose form (about) or "*" -> {"hi", "en"}


@dataclass(frozen=True)
class Field:
    name: str
    labels: Labels
    read: Callable[[str, Context], Answer]
    show: Callable[[Any, str], str] = lambda value, language: str(value)

    def label(self, language: str, service_id: Optional[str] = None, slots: Optional[Mapping] = None) -> str:
        service = load_catalogue().get(service_id)
        labels = self.labels.get(service_id or "") or self.labels.get(service.about if service else "") \
            or self.labels["*"]
        if self.name == "relative_name" and slots and slots.get("relative_relation") == "husband":
            labels = self.labels.get(f"husband:{service.about}" if service else "") or self.labels["husband"]
        if self.name == "identity_number" and slots and slots.get("identity_proof") in self.labels:
            labels = self.labels[slots["identity_proof"]]
        return labels.get(language) or labels["hi"]


def _l(hi: str, en: str) -> Dict[str, str]:
    return {"hi": hi, "en": en}


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
    return Answer({"aadhaar": mask_aadhaar(digits), "identity_proof": None, "identity_number": None},
                  aadhaar_digits=digits)


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


_PROOF_NAMES = {"aadhaar": _l("आधार कार्ड", "Aadhaar card"), "voter_id": _l("वोटर कार्ड", "Voter card"),
                "pan": _l("पैन कार्ड", "PAN card")}


def proof_name(value: str, language: str) -> str:
    return _PROOF_NAMES.get(value, {}).get(language, value)


def gender_name(value: str, language: str) -> str:
    return _GENDER_NAMES.get(value, {}).get(language, value)


_CHILD_GENDER_NAMES = {"male": _l("लड़का", "Boy"), "female": _l("लड़की", "Girl"), "other": _l("अन्य", "Other")}


def child_gender_name(value: str, language: str) -> str:
    return _CHILD_GENDER_NAMES.get(value, {}).get(language, value)


def caste_name(value: str, language: str) -> str:
    return _CASTE_NAMES.get(value, {}).get(language, value)


FIELDS: Dict[str, Field] = {
    f.name: f
    for f in (
        Field("applicant_name", {"*": _l("आवेदन करने वाले का नाम", "Applicant's name")}, _read_applicant_name),
        Field(
            "relative_name",
            {"*": _l("पिता / पति का नाम", "Father's / husband's name"),
             "deceased": _l("उनके पिता / पति का नाम", "Their father's / husband's name"),
             "husband": _l("पति का नाम", "Husband's name"),
             "husband:deceased": _l("उनके पति का नाम", "Their husband's name")},
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
        Field("identity_proof", {"*": _l("पहचान पत्र", "Identity proof")}, _read_identity_proof, show=proof_name),
        Field("identity_number", {"*": _l("पहचान पत्र का नंबर", "Identity proof number"),
                                  "voter_id": _l("वोटर कार्ड नंबर", "Voter card number"),
                                  "pan": _l("पैन नंबर", "PAN number")}, _read_identity_number),
        Field("annual_income", {"*": _l("परिवार की सालाना आय", "Family's annual income")}, _read_income,
              show=lambda v, lang: format_rupees(v) if v is not None else ""),
        Field("caste_category", {"*": _l("वर्ग", "Category")},
              lambda t, c: Answer({"caste_category": parsing.parse_caste_category(t)}), show=caste_name),
        Field(
            "subject_name",
            {"*": _l("नाम", "Name"), "child": _l("बच्चे का नाम", "Child's name"),
             "deceased": _l("जिनकी मृत्यु हुई उनका नाम", "Name of the person who died")},
            lambda t, c: Answer({"subject_name": parsing.parse_name(t)}),
        ),
        Field(
            "event_date",
            {"*": _l("तारीख", "Date"), "child": _l("बच्चे के जन्म की तारीख", "Child's date of birth"),
             "deceased": _l("मृत्यु की तारीख", "Date of death")},
            _read_event_date, show=_show_date,
        ),
        Field(
            "event_place",
            {"*": _l("जगह", "Place"), "child": _l("जन्म की जगह", "Place of birth"),
             "deceased": _l("मृत्यु की जगह", "Place of death")},
            lambda t, c: Answer({"event_place": parsing.parse_place(t)}),
        ),
        Field("land_village", {"*": _l("ज़मीन का गाँव", "Village of the land")},
              lambda t, c: Answer({"land_village": parsing.parse_place(t)})),
        Field("khasra_number", {"*": _l("खसरा / खाता नंबर", "Khasra / khata number")},
              lambda t, c: Answer({"khasra_number": parsing.parse_khasra(t)})),
        Field("subject_gender", {"*": _l("लिंग", "Sex"), "child": _l("बच्चा", "Child"),
                                 "deceased": _l("उनका लिंग", "Their sex")},
              lambda t, c: Answer({"subject_gender": parsing.parse_gender(t)}), show=gender_name),
        Field("mother_name", {"*": _l("माता का नाम", "Mother's name")},
              lambda t, c: Answer({"mother_name": parsing.parse_name(t)})),
        Field("father_name", {"*": _l("पिता का नाम", "Father's name")},
              lambda t, c: Answer({"father_name": parsing.parse_name(t)})),
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
