"""When the NLU is unsure (nlu_fallback), or a value comes with no form asking for
one (inform outside a form): ask, never guess."""

from __future__ import annotations

from typing import Any, Dict, List, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from lokseva.nlu.clarify import clarifying_question, stray_value_answer


def _latest(tracker: Tracker) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]], str]:
    """(intent ranking, entities, language) of the citizen's latest message."""
    message = tracker.latest_message or {}
    language = "en" if tracker.get_slot("language") == "en" else "hi"
    return message.get("intent_ranking") or [], message.get("entities") or [], language


class ActionClarify(Action):
    """Offers the two likeliest intents as buttons, and "कुछ और" (the menu)."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        text, buttons = clarifying_question(*_latest(tracker))
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionInformOutsideForm(Action):
    """`inform` with no form open: a value nobody asked for.

    A message that names a service, an application id, a scheme or a district gets
    the choices that can use it; anything else (a name, a date, "kal subah 6 baje")
    is everyday chatter or a half-said request, declined as out of scope."""

    def name(self) -> Text:
        return "action_inform_outside_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        answer = stray_value_answer(*_latest(tracker))
        if answer is None:
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            text, buttons = answer
            dispatcher.utter_message(text=text, buttons=buttons)
        return []
