"""Session start and the reply language."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.applications import in_thread
from lokseva.applications import district_choice, flows
from lokseva.districts import district_by_key
from lokseva.language import detect_language
from lokseva.privacy import mask_phone

logger = logging.getLogger(__name__)


class ActionSessionStart(Action):
    """Starts a session: carries over the slots (the language, the citizen's
    district) and, in a new conversation, takes the district the citizen gave
    in an earlier one."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        language = tracker.get_slot("language") or "hi"
        events: List[EventType] = [SessionStarted()]
        for key, value in tracker.current_slot_values().items():
            if value is not None and key not in ("district_name", "requested_slot"):
                events.append(SlotSet(key, value))
        key = tracker.get_slot(district_choice.SLOT)
        if key is None:
            try:
                key = await in_thread(flows.remembered_district, tracker.sender_id)
            except SQLAlchemyError:
                logger.exception("could not read the district of %s", mask_phone(tracker.sender_id))
            if key:
                events.append(SlotSet(district_choice.SLOT, key))
        events.append(SlotSet("district_name", district_choice.greeting_name(district_by_key(key), language)))
        events.append(ActionExecuted("action_listen"))
        return events


class ActionDetectLanguage(Action):
    """Sets the `language` slot from the latest message (run after every message)."""

    def name(self) -> Text:
        return "action_detect_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        previous = tracker.get_slot("language")
        language = detect_language(tracker.latest_message.get("text") or "", previous)
        events: List[EventType] = []
        if language != previous:
            events.append(SlotSet("language", language))
            district = district_choice.of_slots(tracker.slots)
            events.append(SlotSet("district_name", district_choice.greeting_name(district, language)))
        return events
