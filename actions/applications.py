"""Applying for a service: start, stop and finish the application form.

Thin: decisions are in lokseva.applications (conversation, flows, messaging);
database work runs in a thread so the action server's event loop stays free.
The catalogue and the information content are loaded at import, so a broken
data file stops the action server at start-up with a message naming the
entry and field.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from lokseva.applications import conversation, flows, messaging
from lokseva.applications import service as applications_service
from lokseva.channels.service import contact_phone
from lokseva.catalogue import CatalogueError, load_catalogue
from lokseva.data_rights import rights as data_rights
from lokseva.data_rights.rights import NOTICE_MARK
from lokseva.information import ContentError, load_content
from lokseva.settings import get_settings

logger = logging.getLogger(__name__)

try:
    CATALOGUE = load_catalogue()
    load_content()
except (CatalogueError, ContentError) as error:
    raise ImportError(f"cannot start: {error}") from error


def language_of(tracker: Tracker) -> str:
    return "en" if tracker.get_slot("language") == "en" else "hi"


def whatsapp_number_of(tracker: Tracker) -> Optional[str]:
    """The phone number behind the conversation (the sender id is a pseudonym),
    as the WhatsApp channel recorded it when the citizen first wrote; never from
    the message itself. The domain needs it to reach the citizen later
    (certificate ready, decisions). Blocking: call it in a thread."""
    return contact_phone(applications_service.engine(), tracker.sender_id)


def latest_entity(tracker: Tracker, entity: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(entity), None)
    return str(value) if value else None


def latest_service(tracker: Tracker) -> Optional[str]:
    """The first `service` entity of the message that is a catalogue id (the NLU
    may also tag a stray word as a service, without a canonical value)."""
    return next((str(v) for v in tracker.get_latest_entity_values("service") if CATALOGUE.get(str(v))), None)


async def in_thread(function, *args, **kwargs):
    return await asyncio.to_thread(function, *args, **kwargs)


def notice_shown(tracker: Tracker) -> bool:
    return any(e.get("event") == "bot" and (e.get("text") or "").startswith(NOTICE_MARK) for e in tracker.events)


def privacy_notice(tracker: Tracker) -> str:
    return data_rights.notice(language_of(tracker), get_settings().conversation_retention_days)


def reset_form_slots() -> List[EventType]:
    return [SlotSet(slot, None) for slot in conversation.FORM_SLOTS]


class ActionStartApplication(Action):
    """Before the form: a clean slate, the service named in the message, and
    any half-filled application of the last 24 hours to offer."""

    def name(self) -> Text:
        return "action_start_application"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        service = CATALOGUE.get(latest_service(tracker)) or conversation.service_named(
            tracker.latest_message.get("text") or "", CATALOGUE
        )
        events = reset_form_slots()
        try:
            draft = await in_thread(flows.find_draft, tracker.sender_id)
        except Exception:  # the database is down: apply without resumption
            logger.exception("could not look up drafts")
            draft = None
        if draft and CATALOGUE.get(draft.get(conversation.SERVICE)):
            events.append(SlotSet(conversation.DRAFT_FOUND, draft[conversation.SERVICE]))
        events.append(SlotSet(conversation.SERVICE, service.id if service else None))
        if not notice_shown(tracker):
            # DPDP Act s.5: what is collected and why, before the first personal question.
            dispatcher.utter_message(text=privacy_notice(tracker))
        return events


class ActionRequestStopApplication(Action):
    """ "stop" inside the form: the form then asks for confirmation; but "अभी नहीं" to
    a question the citizen may skip is that skip."""

    def name(self) -> Text:
        return "action_request_stop_application"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        service = CATALOGUE.get(tracker.get_slot(conversation.SERVICE))
        requested = tracker.get_slot("requested_slot")
        if conversation.skips_question(service, requested, tracker.latest_message.get("text") or ""):
            # "अभी नहीं" to the child's name: the skip the question offers; the form goes on.
            return [SlotSet(requested, conversation.NOT_GIVEN)]
        return [SlotSet(conversation.STOP_REQUESTED, True), SlotSet(conversation.STOP_CONFIRMED, None)]


class ActionFinishApplication(Action):
    """After the form: submit and send the receipt, or confirm the stop."""

    def name(self) -> Text:
        return "action_finish_application"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        language = language_of(tracker)
        if tracker.get_slot(conversation.STOP_CONFIRMED) == conversation.YES:
            try:
                await in_thread(flows.discard_draft, tracker.sender_id)
            except Exception:
                logger.exception("could not discard a draft")  # it expires in 24 hours anyway
            dispatcher.utter_message(text=messaging.stopped(language))
            return reset_form_slots()
        if tracker.get_slot(conversation.CONFIRMED) != conversation.YES:
            return reset_form_slots()
        try:
            receipt = await in_thread(flows.submit_draft, tracker.sender_id)
        except flows.NoDraft:
            dispatcher.utter_message(text=messaging.draft_lost(language))
            return reset_form_slots()
        except Exception:
            logger.exception("submission failed")
            dispatcher.utter_message(text=messaging.submit_failed(language))
            return reset_form_slots()
        service = CATALOGUE[receipt.application.service_id]
        logger.info("application %s submitted (%s)", receipt.application.reference, service.id)
        dispatcher.utter_message(text=messaging.receipt(receipt, service, language))
        return reset_form_slots() + [SlotSet("last_application_id", receipt.application.reference)]
