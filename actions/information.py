"""Answers from data: a service's documents, fee, time limit and same-day
availability (the catalogue), and the Act and schemes (content.yml)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.applications import CATALOGUE, language_of, latest_service
from lokseva.applications import conversation, parsing
from lokseva.districts import current_district
from lokseva.information import asked_aspects, menu, service_answer, topic_answer
from lokseva.schemes import messaging as scheme_messaging
from lokseva.schemes.service import BRIBE, complaint_kind


class ActionServiceInfo(Action):
    """ask_service_info: about the service named, or the one being applied
    for; with none, the numbered information menu."""

    def name(self) -> Text:
        return "action_service_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        language = language_of(tracker)
        text = tracker.latest_message.get("text") or ""
        service = CATALOGUE.get(latest_service(tracker)) or CATALOGUE.get(
            tracker.get_slot(conversation.SERVICE)
        )
        if service is None:
            index = parsing.choice_number(text, len(CATALOGUE))
            service = CATALOGUE.services[index] if index is not None else None
        if service is None:
            prompt, buttons = menu(language, CATALOGUE)
            dispatcher.utter_message(text=prompt, buttons=buttons)
            return []
        applying = tracker.active_loop_name is not None
        dispatcher.utter_message(text=service_answer(service, asked_aspects(text), language, applying))
        return []


class ActionInformation(Action):
    """The Act, Samadhan Ek Din, Jan Sunwai, CM Helpline, Aadhaar, Ayushman; a
    helpline question about a bribe demand gets the complaint route."""

    def name(self) -> Text:
        return "action_information"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        language = language_of(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        text = tracker.latest_message.get("text") or ""
        if intent == "ask_cm_helpline" and complaint_kind(text, None) == BRIBE:
            # "where do I complain, the patwari wants money": the complaint's
            # route (181, the district office, a callback), never only the helpline card
            reply, buttons = scheme_messaging.complaint_reply(BRIBE, None, current_district(), language)
            dispatcher.utter_message(text=reply, buttons=buttons)
            return []
        answer = topic_answer(intent, current_district(), language)
        if answer is None:
            prompt, buttons = menu(language, CATALOGUE)
            dispatcher.utter_message(text=prompt, buttons=buttons)
        else:
            dispatcher.utter_message(text=answer)
        return []
