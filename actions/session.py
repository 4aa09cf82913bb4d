"""Session start and the reply language."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from lokseva.districts import current_district
from lokseva.language import detect_language


class ActionSessionStart(Action):
    """Starts a session with the district's name and carries over the language."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        district = current_district()
        language = tracker.get_slot("language") or "hi"
        events: List[EventType] = [SessionStarted()]
        # Slots carried over from the previous session, then the district's.
        for key, value in tracker.current_slot_values().items():
            if value is not None and key not in ("district_name", "requested_slot"):
                events.append(SlotSet(key, value))
        events.append(SlotSet("district_name", district.text("name", language)))
        events.append(ActionExecuted("action_listen"))
        return events


class ActionDetectLanguage(Action):
    """Sets the `language` slot from the latest message (run after every message)."""

    def name(self) -> Text:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        previous = tracker.get_slot("language")
        language = detect_language(tracker.latest_message.get("text") or "", previous)
        events: List[EventType] = []
        if language != previous:
            events.append(SlotSet("language", language))
            district = current_district()
            events.append(SlotSet("district_name", district.text("name", language)))
        return events
