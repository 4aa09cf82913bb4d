"""The citizen's district: the question, reading the answer, what is said back.

The district is asked once, at the first moment it matters (applying, Jan
Sunwai, the nearest Kendra), kept in the `district` slot (the canonical key,
e.g. agar_malwa) and on the citizen's record, so it is not asked again in a
later conversation; "ज़िला बदलना है" changes it at any time.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

from lokseva.applications import parsing
from lokseva.districts import District, district_by_key, registry

SLOT = "district"

_TEXTS: Dict[str, Dict[str, str]] = {
    # No example districts: an example is another district's name said to every citizen.
    "ask": {"hi": "आप किस ज़िले में रहते हैं? ज़िले का नाम लिखें, या अपना पिन कोड भेजें।",
            "en": "Which district do you live in? Write its name, or send your PIN code."},
    "unknown": {"hi": "माफ़ कीजिए, यह ज़िला समझ नहीं आया। मध्यप्रदेश में अपने ज़िले का नाम फिर से लिखें।",
                "en": "Sorry, I did not recognise that district. Please write the name of your district in MP again."},
    "pin_unknown": {"hi": "पिन कोड {pin} से ज़िला पक्का पता नहीं चलता। कृपया अपने ज़िले का नाम लिखें।",
                    "en": "PIN code {pin} does not tell the district for sure. Please write your district's name."},
    "chosen": {"hi": "ठीक है, आपका ज़िला: *{district}*। (बदलना हो तो कभी भी लिखें: ज़िला बदलना है)",
               "en": "All right, your district: *{district}*. (To change it at any time, write: change district)"},
}


def text(code: str, language: str, **params: Any) -> str:
    texts = _TEXTS[code]
    return texts["en" if language == "en" else "hi"].format(**params)


def ask(language: str) -> str:
    return text("ask", language)


def district_name(district: Optional[District], language: str) -> str:
    """"झाबुआ" for a district; the state's name when none is chosen yet."""
    if district is None:
        state = registry().state.name
        return state.en if language == "en" else state.hi
    return district.text("name", language)


def greeting_name(district: Optional[District], language: str) -> str:
    """Who the assistant says it serves: "झाबुआ ज़िले" / "Jhabua district", or the state."""
    if district is None:
        return district_name(None, language)
    if language == "en":
        return f"{district.name['en']} district"
    return f"{district.name['hi']} ज़िले"


def chosen(district: District, language: str) -> str:
    return text("chosen", language, district=district.text("name", language))


def read(answer: str, entity: Optional[str] = None) -> Tuple[Optional[District], Optional[str]]:
    """(the district, None) or (None, the reply explaining what was not understood).
    The NLU's `district` entity (a canonical key) is taken when the text alone names none."""
    try:
        return parsing.parse_district(answer), None
    except parsing.InvalidInput as error:
        found = district_by_key(entity)
        if found is not None:
            return found, None
        if error.code == "district_pin_unknown":
            return None, "pin_unknown"
        return None, "unknown"


def of_slots(slots: Mapping[str, Any]) -> Optional[District]:
    return district_by_key(slots.get(SLOT))


def changed_updates(old: Optional[str], new: Optional[str], slots: Mapping[str, Any]) -> Dict[str, Any]:
    """Slot values to clear when the district changes inside an application:
    a tehsil chosen from the old district's list no longer fits."""
    if old == new or not slots.get("address_tehsil"):
        return {}
    return {"address_tehsil": None, "application_confirmed": None}


# Answers that may name a district as a place, not as the citizen's district.
PLACE_FIELDS = ("address_village", "address_tehsil", "land_village", "event_place")
_CHANGE = re.compile(r"(?i)ज़िला|जिला|ज़िले|जिले|\b(?:zila|zilla|jila|jilla|district)\b|बदल|\bbadal|\bchange")


def is_change(text: str, asked: Optional[str]) -> bool:
    """Whether a choose_district message inside the application form changes the
    district rather than answering the question `asked` ("ज़िला बदलना है",
    "main indore se hoon" asked for a name; not "झाबुआ" asked for the tehsil)."""
    if _CHANGE.search(text):
        return True
    if asked in PLACE_FIELDS:
        return False
    district, _ = read(text)
    return district is not None


def outcome_messages(district: Optional[District], problem: Optional[str], language: str) -> List[str]:
    return [chosen(district, language)] if district else [text(problem or "unknown", language)]
