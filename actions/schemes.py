"""Scheme questions and complaints: a thin layer over lokseva.schemes."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.applications import language_of, latest_entity
from lokseva.applications import district_choice
from lokseva.districts import district_by_key
from lokseva.schemes import Scheme, load_complaints, load_schemes
from lokseva.schemes import messaging
from lokseva.schemes.service import asked_aspects, complaint_kind, schemes_named_loosely

# Checked when the action server starts: a broken data file stops it with a
# message that names the scheme and field, instead of a wrong answer later.
load_schemes()
load_complaints()

# How many earlier messages a follow-up ("iske kagaz?") may look back for the scheme.
LOOK_BACK = 4


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    return next((str(v) for v in tracker.get_latest_entity_values(name) if v), None)


def scheme_in_message(tracker: Tracker) -> Optional[Scheme]:
    schemes = load_schemes().schemes
    return next((schemes[str(v)] for v in tracker.get_latest_entity_values("scheme") if str(v) in schemes), None)


def scheme_talked_about(tracker: Tracker) -> Optional[Scheme]:
    """The scheme of this message, else of one of the last few (a follow-up
    question or complaint rarely names it again)."""
    found = scheme_in_message(tracker)
    if found is not None:
        return found
    schemes = load_schemes().schemes
    users = [e for e in tracker.events if e.get("event") == "user"][-LOOK_BACK - 1:-1]
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

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
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

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        language = language_of(tracker)
        scheme = scheme_talked_about(tracker)
        kind = complaint_kind(tracker.latest_message.get("text") or "", scheme)
        # The citizen's district (named now, or chosen before); unknown: the office in general.
        district = district_by_key(latest_entity(tracker, "district")) or district_choice.of_slots(tracker.slots)
        text, buttons = messaging.complaint_reply(kind, scheme, district, language)
        dispatcher.utter_message(text=text, buttons=buttons)
        return []
