"""Where does my application stand? (intent check_status)

The citizen is identified by the conversation's sender id (on WhatsApp a
stable pseudonym of the phone number): only their own applications are shown,
and another citizen's id gets the same answer as an unknown one.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.applications import CATALOGUE, in_thread, language_of, latest_entity
from lokseva.applications import flows, messaging
from lokseva.applications.lifecycle import Status
from lokseva.clock import today_in_india
from lokseva.delivery import flows as delivery
from lokseva.references import parse_application_id

logger = logging.getLogger(__name__)


async def _detail(sender: str, view: flows.ApplicationView, today, language: str) -> str:
    """One application's status, with its home delivery once one is under way."""
    home = None
    if view.status == Status.CERTIFICATE_ISSUED:
        home = await in_thread(delivery.delivery_state, sender, view.reference, language)
    return messaging.status_detail(view, CATALOGUE[view.service_id], today, language, home_delivery=home)


class ActionCheckStatus(Action):
    def name(self) -> Text:
        return "action_check_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        language = language_of(tracker)
        # the NLU's canonical entity first, then our own reading of the text
        reference = parse_application_id(latest_entity(tracker, "application_id")) or parse_application_id(
            tracker.latest_message.get("text")
        )
        today = today_in_india()
        try:
            if reference:
                view = await in_thread(flows.application_for, tracker.sender_id, reference)
                if view is None:
                    dispatcher.utter_message(text=messaging.status_not_found(language))
                else:
                    dispatcher.utter_message(text=await _detail(tracker.sender_id, view, today, language))
                return []
            views, draft_service = await in_thread(flows.applications_for, tracker.sender_id)
            single = await _detail(tracker.sender_id, views[0], today, language) if len(views) == 1 else None
        except Exception:
            logger.exception("status lookup failed")
            dispatcher.utter_message(text=messaging.invalid("technical", language))
            return []
        if not views:
            dispatcher.utter_message(text=messaging.no_applications(language, CATALOGUE.get(draft_service)))
        elif single is not None:
            dispatcher.utter_message(text=single)
        else:
            dispatcher.utter_message(text=messaging.status_list(views, CATALOGUE, language))
        return []
