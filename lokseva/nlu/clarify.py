"""The clarifying question asked when the NLU is unsure (intent nlu_fallback),
and the answer to a value typed outside a form (intent inform with no form open).

Never a guess: the two likeliest intents as choices, plus "something else"
(the menu). Plain functions; actions/fallback.py only hands them the tracker's
data.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import yaml

TITLES_FILE = Path(__file__).with_name("intent_titles.yml")
NEVER_OFFERED = frozenset({"nlu_fallback", "out_of_scope", "inform"})
# Entities worth carrying into the chosen intent (never personal numbers).
CARRIED_ENTITIES = ("service", "application_id")
CHOICES = 2
SOMETHING_ELSE_PAYLOAD = "/show_menu"

TEXTS = {
    "hi": {
        "question": "माफ़ कीजिए, मैं ठीक से समझ नहीं पाया। आप क्या करना चाहते हैं?",
        "no_choice": "माफ़ कीजिए, मैं समझ नहीं पाया। दूसरे शब्दों में लिखें, या नीचे से चुनें।",
        "something_else": "कुछ और",
        "stray_value": "आप इसके लिए क्या करना चाहते हैं? नीचे से चुनें।",
    },
    "en": {
        "question": "Sorry, I am not sure I understood. What would you like to do?",
        "no_choice": "Sorry, I did not understand. Please write it another way, or choose below.",
        "something_else": "Something else",
        "stray_value": "What would you like to do about it? Choose below.",
    },
}


@functools.lru_cache(maxsize=None)
def intent_titles() -> Dict[str, Dict[str, str]]:
    data = yaml.safe_load(TITLES_FILE.read_text(encoding="utf-8")) or {}
    return {str(k): {"hi": str(v["hi"]), "en": str(v["en"])} for k, v in data.items()}


def likeliest_intents(ranking: Iterable[Dict[str, Any]], count: int = CHOICES) -> List[str]:
    """The `count` likeliest intents that can be offered (have a title, are not fallback)."""
    titles = intent_titles()
    chosen: List[str] = []
    for item in sorted(ranking or [], key=lambda r: -(r.get("confidence") or 0.0)):
        name = item.get("name")
        if name and name not in NEVER_OFFERED and name in titles and name not in chosen:
            chosen.append(name)
        if len(chosen) == count:
            break
    return chosen


def _payload(
    intent: str, entities: Iterable[Dict[str, Any]], carried_entities: Tuple[str, ...] = CARRIED_ENTITIES
) -> str:
    carried: Dict[str, Any] = {}
    for e in entities or []:
        name = e.get("entity")
        if name in carried_entities and e.get("value") and name not in carried:
            carried[name] = e["value"]
    if not carried:
        return f"/{intent}"
    return f"/{intent}" + json.dumps(carried, ensure_ascii=False, separators=(",", ":"))


def clarifying_question(
    ranking: Iterable[Dict[str, Any]],
    entities: Optional[Iterable[Dict[str, Any]]] = None,
    language: str = "hi",
) -> Tuple[str, List[Dict[str, str]]]:
    """(text, buttons): the two likeliest intents, then "something else" (the menu).

    A button's payload is the intent, with the service and application id of the
    message, so that choosing it loses nothing the citizen already said.
    """
    language = "en" if language == "en" else "hi"
    texts = TEXTS[language]
    titles = intent_titles()
    buttons = [
        {"title": titles[intent][language], "payload": _payload(intent, entities or [])}
        for intent in likeliest_intents(ranking)
    ]
    buttons.append({"title": texts["something_else"], "payload": SOMETHING_ELSE_PAYLOAD})
    text = texts["question"] if len(buttons) > 1 else texts["no_choice"]
    return text, buttons


# A value typed when no form asked for one ("रमेश भूरिया", "12 मार्च", "JBA-2026-000123",
# "aay praman patra"): `inform` means something only as the answer to a form's question.
# What each entity can be used for, likeliest first; the first entity found decides.
STRAY_VALUE_INTENTS: Dict[str, Tuple[str, ...]] = {
    "application_id": ("check_status", "pay_fee", "get_certificate"),
    "service": ("apply_service", "ask_service_info", "check_status"),
    "scheme": ("ask_scheme_info", "report_problem"),
    "district": ("choose_district",),
}


def stray_value_answer(
    ranking: Iterable[Dict[str, Any]],
    entities: Optional[Iterable[Dict[str, Any]]] = None,
    language: str = "hi",
) -> Optional[Tuple[str, List[Dict[str, str]]]]:
    """The answer to an `inform` outside a form.

    None when the message names nothing the assistant acts on (a name, a date, a
    village, a number): the caller declines it as out of scope. Otherwise (text,
    buttons): the intents that can use what was named (a service, an application
    id, a scheme, a district), ordered by the NLU's ranking, at most two, each
    carrying the entity, plus "something else" (the menu)."""
    language = "en" if language == "en" else "hi"
    named = [e for e in entities or [] if e.get("entity") in STRAY_VALUE_INTENTS and e.get("value")]
    if not named:
        return None
    entity = min((e["entity"] for e in named), key=list(STRAY_VALUE_INTENTS).index)
    candidates = STRAY_VALUE_INTENTS[entity]
    confidence = {item.get("name"): item.get("confidence") or 0.0 for item in ranking or []}
    ordered = sorted(candidates, key=lambda intent: (-confidence.get(intent, 0.0), candidates.index(intent)))
    titles = intent_titles()
    carried = tuple(STRAY_VALUE_INTENTS)
    buttons = [
        {"title": titles[intent][language], "payload": _payload(intent, named, carried)}
        for intent in ordered[:CHOICES]
        if intent in titles
    ]
    buttons.append({"title": TEXTS[language]["something_else"], "payload": SOMETHING_ELSE_PAYLOAD})
    return TEXTS[language]["stray_value"], buttons
