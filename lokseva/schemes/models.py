"""The shape of schemes.yml and complaints.yml, checked when they are loaded.

Staff edit these files by hand; a wrong field must stop start-up with a message
that names the scheme and the field, not surface as a wrong answer to a citizen.
"""

from __future__ import annotations

import datetime as dt
from typing import Dict, List, Optional

from pydantic import Field, root_validator, validator

from lokseva.validation import Bilingual, Strict as _Strict

# The canonical values of the `scheme` entity (docs/nlu-contract.md).
SCHEME_IDS = (
    "ladli_behna",
    "ladli_laxmi",
    "pm_kisan",
    "kisan_kalyan",
    "sambal",
    "samagra_id",
    "ration",
    "old_age_pension",
    "widow_pension",
    "disability_pension",
    "pm_awas",
    "scholarship",
    "ujjwala",
    "rozgar_guarantee",
    "tirth_darshan",
    "ayushman",
    "digilocker",
)
# What a citizen can ask about a scheme, in the order a card shows them.
ASPECTS = ("gives", "eligibility", "apply", "documents", "status", "not_received", "helpline")
CERTAINTIES = ("confirmed", "partly")
# WhatsApp shows at most 24 characters of a list item's title.
BUTTON_TITLE = 24
# The complaints the assistant routes (a bribe demand has its own text, `bribe`).
COMPLAINT_KINDS = ("not_received", "not_received_unnamed", "ration_denied", "not_listening", "other")


class Fact(Bilingual):
    """One statement with where it comes from, how sure it is and until when it holds."""

    sure: str
    source: str
    as_of: dt.date
    review_by: dt.date

    @validator("sure")
    def _known_certainty(cls, value: str) -> str:
        if value == "unconfirmed":
            raise ValueError("an UNCONFIRMED fact is left out of the file, not stated to citizens")
        if value not in CERTAINTIES:
            raise ValueError(f"must be one of {', '.join(CERTAINTIES)}")
        return value

    @validator("source")
    def _public_address(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be the address of the public page the fact comes from")
        return value

    @validator("review_by")
    def _review_after_as_of(cls, value: dt.date, values) -> dt.date:
        if "as_of" in values and value <= values["as_of"]:
            raise ValueError("must come after as_of")
        return value

    @property
    def confirmed(self) -> bool:
        return self.sure == "confirmed"


def _one_or_more(value):
    """An aspect is written as one fact or a list of them."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class Scheme(_Strict):
    id: str = ""
    name: Bilingual
    short: Optional[Bilingual] = None
    icon: str
    groups: List[str] = Field(alias="for")
    ask_at: Optional[Bilingual] = None
    gives: List[Fact]
    eligibility: List[Fact] = []
    apply: List[Fact] = []
    documents: List[Fact] = []
    status: List[Fact] = []
    not_received: List[Fact] = []
    helpline: List[Fact] = []

    _lists = validator(*ASPECTS, pre=True, allow_reuse=True)(_one_or_more)

    @validator("gives")
    def _required(cls, value: List[Fact]) -> List[Fact]:
        if not value:
            raise ValueError("needs at least one fact")
        return value

    @validator("short", always=True)
    def _fits_a_button(cls, value: Optional[Bilingual], values) -> Optional[Bilingual]:
        name = value or values.get("name")
        if name is not None and max(len(name.hi), len(name.en)) > BUTTON_TITLE:
            raise ValueError(f"a name longer than {BUTTON_TITLE} characters needs a 'short' one for buttons")
        return value

    def button_title(self, language: str) -> str:
        return (self.short or self.name).text(language)

    def facts(self, aspect: str) -> List[Fact]:
        return list(getattr(self, aspect))

    def all_facts(self):
        for aspect in ASPECTS:
            for fact in self.facts(aspect):
                yield aspect, fact


class SchemeBook(_Strict):
    hedge: Bilingual
    hedge_note: Bilingual
    ask_at: Bilingual
    as_of_line: Bilingual
    schemes: Dict[str, Scheme]
    groups: Dict[str, Bilingual]

    @root_validator(skip_on_failure=True)
    def _every_scheme_of_the_contract(cls, values):
        schemes: Dict[str, Scheme] = values["schemes"]
        unknown = sorted(set(schemes) - set(SCHEME_IDS))
        if unknown:
            raise ValueError(f"unknown scheme ids {unknown}: the ids are those of docs/nlu-contract.md")
        missing = [s for s in SCHEME_IDS if s not in schemes]
        if missing:
            raise ValueError(f"schemes missing: {missing}")
        for key, scheme in schemes.items():
            object.__setattr__(scheme, "id", key)
            for group in scheme.groups:
                if group != "everyone" and group not in values["groups"]:
                    raise ValueError(f"scheme '{key}': group '{group}' is not listed under 'groups'")
        return values


class ComplaintTexts(_Strict):
    checks: List[Bilingual]
    checks_intro: Bilingual
    helpline: Bilingual
    district_office: Bilingual
    callback: Bilingual
    callback_button: Bilingual
    kinds: Dict[str, Bilingual]
    bribe: Bilingual
    vigilance: Optional[Bilingual] = None

    @validator("kinds")
    def _every_kind(cls, value: Dict[str, Bilingual]) -> Dict[str, Bilingual]:
        missing = [k for k in COMPLAINT_KINDS if k not in value]
        if missing:
            raise ValueError(f"texts missing for {missing}")
        return value
