"""The clarifying question asked when the NLU is unsure (intent nlu_fallback).

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
    },
    "en": {
        "question": "Sorry, I am not sure I understood. What would you like to do?",
        "no_choice": "Sorry, I did not understand. Please write it another way, or choose below.",
        "something_else": "Something else",
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


def _payload(intent: str, entities: Iterable[Dict[str, Any]]) -> str:
    carried: Dict[str, Any] = {}
    for e in entities or []:
        name = e.get("entity")
        if name in CARRIED_ENTITIES and e.get("value") and name not in carried:
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
