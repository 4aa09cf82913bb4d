"""Paying the fee from the chat: thin actions over lokseva.payments.flows.

Database and gateway calls run in a thread so the action server's event loop
stays free; an unexpected failure gets a polite answer, never silence.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from lokseva.references import parse_application_id
from lokseva.payments import flows, messaging
from lokseva.payments.messaging import Reply

log = logging.getLogger(__name__)


def _language(tracker: Tracker) -> str:
    return "en" if tracker.get_slot("language") == "en" else "hi"


def _application_id(tracker: Tracker) -> Optional[str]:
    """The application id of the message: the NLU's entity, else the id as typed
    (jba 2026 000123, JBA-२०२६-०००१२३), which the NLU sometimes misses."""
    value = next(tracker.get_latest_entity_values("application_id"), None)
    return parse_application_id(str(value)) if value else parse_application_id(tracker.latest_message.get("text"))


# A payment link also goes as a button that opens it (WhatsApp's call-to-action).
_PAY_BUTTON = {"hi": "फीस भरें", "en": "Pay the fee"}


def _say(dispatcher: CollectingDispatcher, replies: List[Reply], language: str = "hi") -> None:
    for reply in replies:
        buttons = [{"title": title, "payload": payload} for title, payload in reply.buttons]
        link = reply.variables.get("url") if reply.kind in ("payment_link", "payment_link_new") else None
        dispatcher.utter_message(
            text=reply.text,
            buttons=buttons or None,
            attachment=reply.media_url,
            json_message={"call_to_action": {"url": link, "title": _PAY_BUTTON[language]}} if link else None,
        )


def _submitted_this_turn(tracker: Tracker) -> Optional[str]:
    """The id of the application submitted in this turn (the applications
    capability sets `last_application_id` with the receipt), else None: a form
    that was stopped must not be followed by an older application's link."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return None
        if event.get("event") == "slot" and event.get("name") == "last_application_id" and event.get("value"):
            return str(event["value"])
    return None


class ActionPayFee(Action):
    """ "fees bharni hai", "JBA-2026-000123 ka payment", "UPI se kar sakte hain?"."""

    def name(self) -> Text:
        return "action_pay_fee"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        language = _language(tracker)
        text = tracker.latest_message.get("text") or ""
        try:
            replies = await asyncio.to_thread(
                flows.pay_from_chat, tracker.sender_id, _application_id(tracker), language, text
            )
        except Exception:
            log.exception("pay_fee failed")
            replies = [messaging.gateway_down(language)]
        _say(dispatcher, replies, language)
        return []


class ActionOfferPayment(Action):
    """Right after the receipt (पावती) of a new application: its payment link."""

    def name(self) -> Text:
        return "action_offer_payment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        language = _language(tracker)
        reference = _submitted_this_turn(tracker)
        try:
            replies = await asyncio.to_thread(flows.offer_after_submission, tracker.sender_id, reference, language)
        except Exception:
            log.exception("payment offer after submission failed")
            replies = [messaging.gateway_down(language)] if reference else []
        _say(dispatcher, replies, language)
        return []
