"""When the NLU is unsure (nlu_fallback): ask, never guess."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from lokseva.nlu.clarify import clarifying_question


class ActionClarify(Action):
    """Offers the two likeliest intents as buttons, and "कुछ और" (the menu)."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        message = tracker.latest_message or {}
        language = "en" if tracker.get_slot("language") == "en" else "hi"
        text, buttons = clarifying_question(
            message.get("intent_ranking") or [], message.get("entities") or [], language
        )
        dispatcher.utter_message(text=text, buttons=buttons)
        return []
