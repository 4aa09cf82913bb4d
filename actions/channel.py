"""Actions of the WhatsApp channel: documents, location pins, proactive notifications.

The channel (lokseva/channels/whatsapp.py) puts what arrived in the message's
metadata; these actions only turn it into the reply in the citizen's language.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from lokseva.channels import messaging
from lokseva.channels.notifications import NotificationError, render

logger = logging.getLogger(__name__)
# The text Rasa gives a message made by trigger_intent (rasa.shared.core.events.UserUttered.create_external).
TRIGGERED_TEXT = "EXTERNAL: EXTERNAL_notification"


def _metadata(tracker: Tracker) -> Dict[str, Any]:
    return tracker.latest_message.get("metadata") or {}


class ActionReceiveDocument(Action):
    """Says which photos/PDFs arrived (stored by the channel) and which were refused, and why."""

    def name(self) -> Text:
        return "action_receive_document"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        metadata = _metadata(tracker)
        dispatcher.utter_message(
            text=messaging.upload_reply(
                metadata.get("media") or [],
                metadata.get("refused_media") or [],
                metadata.get("application_id"),
                tracker.get_slot("language"),
            )
        )
        return []


class ActionReceiveLocation(Action):
    """Keeps the location pin the citizen shared (slot citizen_location) and confirms it."""

    def name(self) -> Text:
        return "action_receive_location"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        location = _metadata(tracker).get("location")
        dispatcher.utter_message(text=messaging.location_reply(location, tracker.get_slot("language")))
        return [SlotSet("citizen_location", location)] if location else []


class ActionSendNotification(Action):
    """Produces a proactive message (lokseva.channels.notify) so that it is logged in
    the conversation; the WhatsApp channel sends the text inside the 24-hour window
    and the approved template outside it."""

    def name(self) -> Text:
        return "action_send_notification"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        latest = tracker.latest_message
        triggered = (latest.get("metadata") or {}).get("is_external") and latest.get("text") == TRIGGERED_TEXT
        if not triggered:
            # Typed, not triggered: never let a citizen fake a notification. Only Rasa's
            # authenticated trigger_intent makes this text; "/EXTERNAL_notification{…}"
            # typed on a channel has its own text, whatever metadata comes with it.
            dispatcher.utter_message(response="utter_default")
            return []
        spec = next(tracker.get_latest_entity_values("notification"), None)
        try:
            spec = json.loads(spec) if isinstance(spec, str) else (spec or {})
            notification = render(
                spec["key"], spec.get("variables") or {}, spec.get("language") or tracker.get_slot("language")
            )
        except (ValueError, KeyError, TypeError, NotificationError) as error:
            logger.error("notification refused: %s", error)
            return []
        dispatcher.utter_message(text=notification.text, json_message={"notification": notification.as_dict()})
        return []
