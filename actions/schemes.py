"""Scheme questions and complaints: a thin layer over lokseva.schemes."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.applications import language_of, latest_entity
from lokseva.applications import district_choice
from lokseva.districts import district_by_key
from lokseva.schemes import Scheme, load_complaints, load_schemes
from lokseva.schemes import messaging
from lokseva.schemes.service import asked_aspects, complaint_kind, schemes_named_loosely
from lokseva.text import fold

# Checked when the action server starts: a broken data file stops it with a
# message that names the scheme and field, instead of a wrong answer later.
load_schemes()
load_complaints()

# How many earlier messages a follow-up ("iske kagaz?") may look back for the scheme.
LOOK_BACK = 4


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    return next((str(v) for v in tracker.get_latest_entity_values(name) if v), None)


def _spellings() -> Dict[str, str]:
    """Every spelling of the NLU's scheme synonyms (data/nlu/scheme_synonyms.yml), folded."""
    data = yaml.safe_load(
        (Path(__file__).resolve().parent.parent / "data" / "nlu" / "scheme_synonyms.yml").read_text(encoding="utf-8")
    )
    spellings: Dict[str, str] = {}
    for entry in data.get("nlu", []):
        for line in str(entry.get("examples", "")).splitlines():
            spelling = fold(line.strip().lstrip("- ").strip()).lower()
            if spelling:
                spellings[spelling] = str(entry["synonym"])
    return spellings


SPELLINGS = _spellings()


def scheme_spelled_in(text: str) -> Optional[str]:
    """The one scheme a message spells out word for word when the NLU tagged none
    ("scholarship ka form"); None when it names none, several, or only a family
    of schemes ("pension", "kisan": the citizen is asked which one)."""
    words = fold(text or "").lower().split()

    def spelled(lengths) -> set:
        return {
            value
            for n in lengths
            for i in range(len(words) - n + 1)
            if (value := SPELLINGS.get(" ".join(words[i : i + n])))
        }

    several_words = spelled((3, 2))  # "vridha pension", "kisan nidhi": specific
    if several_words:
        return several_words.pop() if len(several_words) == 1 else None
    if schemes_named_loosely(text):
        return None
    one_word = spelled((1,))
    return one_word.pop() if len(one_word) == 1 else None


def scheme_in_message(tracker: Tracker) -> Optional[Scheme]:
    schemes = load_schemes().schemes
    tagged = next((schemes[str(v)] for v in tracker.get_latest_entity_values("scheme") if str(v) in schemes), None)
    if tagged is not None:
        return tagged
    spelled = scheme_spelled_in(tracker.latest_message.get("text") or "")
    return schemes.get(spelled) if spelled else None


def scheme_talked_about(tracker: Tracker) -> Optional[Scheme]:
    """The scheme of this message, else of one of the last few (a follow-up
    question or complaint rarely names it again)."""
    found = scheme_in_message(tracker)
    if found is not None:
        return found
    schemes = load_schemes().schemes
    users = [e for e in tracker.events if e.get("event") == "user"][-LOOK_BACK - 1 : -1]
    for event in reversed(users):
        for entity in (event.get("parse_data") or {}).get("entities") or []:
            if entity.get("entity") == "scheme" and str(entity.get("value")) in schemes:
                return schemes[str(entity["value"])]
    return None


class ActionSchemeInfo(Action):
    """ask_scheme_info: the scheme's card; for a group chosen on a button, its
    schemes; with neither, the one question "who are you?"."""

    def name(self) -> Text:
        return "action_scheme_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        language = language_of(tracker)
        scheme = scheme_in_message(tracker)
        group = _entity(tracker, "scheme_group")
        if scheme is None and group in load_schemes().groups:
            text, buttons = messaging.group_answer(group, language)
        else:
            aspect = _entity(tracker, "scheme_aspect")
            scheme = scheme or (scheme_talked_about(tracker) if aspect else None)
            family = schemes_named_loosely(tracker.latest_message.get("text") or "") if scheme is None else []
            if family:
                text, buttons = messaging.which_of(family, language)
            elif scheme is None:
                text, buttons = messaging.guide_question(language)
            else:
                text, buttons = messaging.scheme_card(
                    scheme, asked_aspects(tracker.latest_message.get("text") or "", aspect), language
                )
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionReportProblem(Action):
    """report_problem: what to check, CM Helpline 181, the district office and a
    callback, in that order; a bribe demand always gets 181."""

    def name(self) -> Text:
        return "action_report_problem"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        language = language_of(tracker)
        scheme = scheme_talked_about(tracker)
        kind = complaint_kind(tracker.latest_message.get("text") or "", scheme)
        # The citizen's district (named now, or chosen before); unknown: the office in general.
        district = district_by_key(latest_entity(tracker, "district")) or district_choice.of_slots(tracker.slots)
        text, buttons = messaging.complaint_reply(kind, scheme, district, language)
        dispatcher.utter_message(text=text, buttons=buttons)
        return []
