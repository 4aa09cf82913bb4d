"""Answers from data: a service's documents, fee, time limit and same-day
availability (the catalogue), and the Act and schemes (content.yml)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.applications import CATALOGUE, language_of, latest_service
from actions.applications import latest_entity
from lokseva.applications import conversation, district_choice, parsing
from lokseva.districts import District, district_by_key
from lokseva.information import asked_aspects, menu, service_answer, topic_answer
from lokseva.information.districts import DISTRICT_TOPICS, asks_for_kendra, kendra_answer
from lokseva.schemes import messaging as scheme_messaging
from lokseva.schemes.service import BRIBE, complaint_kind

# Asked as ask_lok_seva_guarantee ("lok seva kendra kahan hai"): answered with the district's Kendra.
KENDRA = "kendra"


class ActionServiceInfo(Action):
    """ask_service_info: about the service named, or the one being applied
    for; with none, the numbered information menu."""

    def name(self) -> Text:
        return "action_service_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        language = language_of(tracker)
        text = tracker.latest_message.get("text") or ""
        service = CATALOGUE.get(latest_service(tracker)) or CATALOGUE.get(tracker.get_slot(conversation.SERVICE))
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


def answer_topic(dispatcher: CollectingDispatcher, tracker: Tracker, topic: str, district: Optional[District]) -> None:
    """The answer to `topic` (an ask_* intent, or KENDRA) for `district`."""
    language = language_of(tracker)
    if topic == KENDRA:
        dispatcher.utter_message(text=kendra_answer(district, tracker.get_slot("address_tehsil"), language))
        return
    answer = topic_answer(topic, district, language, tracker.get_slot("address_tehsil"))
    if answer is None:
        prompt, buttons = menu(language, CATALOGUE)
        dispatcher.utter_message(text=prompt, buttons=buttons)
    else:
        dispatcher.utter_message(text=answer)


class ActionInformation(Action):
    """The Act, Samadhan Ek Din, Jan Sunwai, CM Helpline, Aadhaar, Ayushman,
    the nearest Kendra. A district-specific answer needs the citizen's district:
    the one the question names, else theirs, else it is asked first. A helpline
    question about a bribe demand gets the complaint route."""

    def name(self) -> Text:
        return "action_information"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        text = tracker.latest_message.get("text") or ""
        district = district_by_key(latest_entity(tracker, "district")) or district_choice.of_slots(tracker.slots)
        if intent == "ask_cm_helpline" and complaint_kind(text, None) == BRIBE:
            # "where do I complain, the patwari wants money": the complaint's
            # route (181, the district office, a callback), never only the helpline card
            reply, buttons = scheme_messaging.complaint_reply(BRIBE, None, district, language_of(tracker))
            dispatcher.utter_message(text=reply, buttons=buttons)
            return []
        topic = KENDRA if intent == "ask_lok_seva_guarantee" and asks_for_kendra(text) else intent
        if district is None and (topic == KENDRA or topic in DISTRICT_TOPICS):
            return [SlotSet("district_pending", topic), FollowupAction("district_form")]
        answer_topic(dispatcher, tracker, topic, district)
        return []
