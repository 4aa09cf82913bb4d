"""Certificates on WhatsApp and printed copies at home (intents get_certificate,
request_home_delivery). Thin: decisions are in lokseva.certificates.flows and
lokseva.delivery.flows; database and gateway work runs in a thread.

The citizen is the conversation (tracker.sender_id): only their own
applications are looked at, and another citizen's application id gets the same
answer as an unknown one.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.applications import in_thread, language_of, latest_entity
from lokseva.applications import messaging as application_texts
from lokseva.applications import parsing
from lokseva.references import parse_application_id
from lokseva.certificates import flows as certificates
from lokseva.certificates import messaging as certificate_texts
from lokseva.delivery import flows as delivery
from lokseva.delivery import messaging as delivery_texts
from lokseva.delivery.lifecycle import DeliveryAddress, InvalidDeliveryValue
from lokseva.applications import district_choice
from lokseva.districts import district_by_code

logger = logging.getLogger(__name__)

FORM = "home_delivery_form"
APPLICATION = "delivery_application_id"
SAVED = "delivery_saved_address"
USE_SAVED = "delivery_use_saved_address"
VILLAGE, TEHSIL, PIN = "delivery_village", "delivery_tehsil", "delivery_pin"
LOCATION = "delivery_location"
FORM_SLOTS = (APPLICATION, SAVED, USE_SAVED, VILLAGE, TEHSIL, PIN, LOCATION)


def _reference(tracker: Tracker) -> Optional[str]:
    """The application id: the NLU's canonical entity, else our own reading of the text."""
    return parse_application_id(latest_entity(tracker, "application_id")) or parse_application_id(
        tracker.latest_message.get("text")
    )


def _location(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """A WhatsApp location pin: in this message's metadata (the channel puts it
    there), or kept earlier in the conversation (slot citizen_location)."""
    metadata = tracker.latest_message.get("metadata") or {}
    location = metadata.get("location") or tracker.get_slot("citizen_location")
    if isinstance(location, dict) and "latitude" in location and "longitude" in location:
        return location
    return None


def _say(dispatcher: CollectingDispatcher, reply) -> None:
    buttons = [{"title": title, "payload": payload} for title, payload in reply.buttons]
    dispatcher.utter_message(
        text=reply.text or None,
        buttons=buttons or None,
        json_message={"document": reply.document} if getattr(reply, "document", None) else None,
    )


def _tehsils(tracker: Tracker) -> tuple:
    """The tehsils of the certificate's district (its id starts with the code), else the citizen's."""
    district = district_by_code((tracker.get_slot(APPLICATION) or "")[:3]) or district_choice.of_slots(tracker.slots)
    return district.tehsils if district else ()


class ActionSendCertificate(Action):
    """The certificate PDF as a WhatsApp document (a link valid for minutes, for
    this conversation only), with a short text; or why there is none yet."""

    def name(self) -> Text:
        return "action_send_certificate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        language = language_of(tracker)
        try:
            replies = await in_thread(
                certificates.certificate_replies, tracker.sender_id, _reference(tracker), language
            )
        except Exception:
            logger.exception("get_certificate failed")
            dispatcher.utter_message(text=certificate_texts.text("unavailable", language))
            return []
        for reply in replies:
            _say(dispatcher, reply)
        return []


class ActionRequestHomeDelivery(Action):
    """Finds the certificate to send home; the address form follows when it sets
    delivery_application_id (data/rules/certificates.yml). Otherwise it says why
    not: not issued yet, already on its way, which one?"""

    def name(self) -> Text:
        return "action_request_home_delivery"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        language = language_of(tracker)
        try:
            preparation = await in_thread(delivery.prepare, tracker.sender_id, _reference(tracker), language)
        except Exception:
            logger.exception("request_home_delivery failed")
            dispatcher.utter_message(text=delivery_texts.text("unavailable", language))
            return []
        for reply in preparation.replies:
            _say(dispatcher, reply)
        if not preparation.ask_address:
            # Explicitly empty: a value left from an abandoned form must not open the form.
            return [SlotSet(APPLICATION, None)]
        saved = preparation.saved_address
        events: List[EventType] = [SlotSet(slot, None) for slot in FORM_SLOTS]
        # Setting delivery_application_id is what makes the rules open the address form.
        events += [
            SlotSet(SAVED, saved.one_line() if saved else None),
            SlotSet(LOCATION, _location(tracker)),
            SlotSet(APPLICATION, preparation.reference),
        ]
        return events


class ValidateHomeDeliveryForm(FormValidationAction):
    """Which address questions to ask, and checks of the answers."""

    def name(self) -> Text:
        return "validate_home_delivery_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        if tracker.get_slot(SAVED) and tracker.get_slot(USE_SAVED) is not False:
            return [USE_SAVED]
        return [VILLAGE, TEHSIL, PIN]

    def validate_delivery_use_saved_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        answer = {"affirm": True, "deny": False}.get(intent)
        if answer is None:
            answer = parsing.yes_or_no(str(value or ""))
        if answer is None:  # neither: probably another address; ask for it piece by piece
            answer = False
        return {USE_SAVED: answer}

    def validate_delivery_village(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        language = language_of(tracker)
        slots: Dict[Text, Any] = {}
        pinned = (tracker.latest_message.get("metadata") or {}).get("location")
        if pinned or str(value or "").startswith("/"):
            # A location pin instead of a name: keep it, and take its name if it has one.
            location = _location(tracker)
            if location is None:
                return {VILLAGE: None}
            dispatcher.utter_message(text=delivery_texts.text("location_noted", language))
            slots[LOCATION] = location
            value = location.get("label") or location.get("address")
            if not value:
                return {**slots, VILLAGE: None}
        try:
            return {**slots, VILLAGE: parsing.parse_place(str(value))}
        except parsing.InvalidInput as error:
            dispatcher.utter_message(text=application_texts.invalid(error.code, language, **error.params))
            return {**slots, VILLAGE: None}

    def validate_delivery_tehsil(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        try:
            return {TEHSIL: parsing.parse_tehsil(str(value), _tehsils(tracker))}
        except parsing.InvalidInput as error:
            dispatcher.utter_message(text=application_texts.invalid(error.code, language_of(tracker), **error.params))
            return {TEHSIL: None}

    def validate_delivery_pin(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        try:
            return {PIN: parsing.parse_pin(str(value))}
        except parsing.InvalidInput as error:
            dispatcher.utter_message(text=application_texts.invalid(error.code, language_of(tracker), **error.params))
            return {PIN: None}


class ActionAskDeliveryTehsil(Action):
    def name(self) -> Text:
        return "action_ask_delivery_tehsil"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        text, buttons = application_texts.ask_tehsil(_tehsils(tracker), language_of(tracker))
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionSubmitHomeDelivery(Action):
    """After the form: registers the delivery and sends the postage fee's link."""

    def name(self) -> Text:
        return "action_submit_home_delivery"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        language = language_of(tracker)
        reference = tracker.get_slot(APPLICATION)
        location = tracker.get_slot(LOCATION) or {}
        reset = [SlotSet(slot, None) for slot in FORM_SLOTS]
        if not reference:
            return reset
        try:
            if tracker.get_slot(USE_SAVED) is True and tracker.get_slot(SAVED):
                address, source = None, "application"
            else:
                address = DeliveryAddress.create(
                    tracker.get_slot(VILLAGE),
                    tracker.get_slot(TEHSIL),
                    tracker.get_slot(PIN),
                    landmark=str(location.get("address") or "")[:200],
                    latitude=location.get("latitude"),
                    longitude=location.get("longitude"),
                )
                source = "location" if location else "typed"
            replies = await in_thread(_submit, tracker.sender_id, reference, address, source, language, location)
        except InvalidDeliveryValue:
            logger.warning("home delivery form ended with an unusable address")
            dispatcher.utter_message(text=delivery_texts.text("unavailable", language))
            return reset
        except Exception:
            logger.exception("home delivery submission failed")
            dispatcher.utter_message(text=delivery_texts.text("unavailable", language))
            return reset
        for reply in replies:
            _say(dispatcher, reply)
        return reset


def _submit(
    channel_user_id: str,
    reference: str,
    address: Optional[DeliveryAddress],
    source: str,
    language: str,
    location: Dict[str, Any],
):
    if address is None:  # the address of the application, with the pin's coordinates if one was sent
        preparation = delivery.prepare(channel_user_id, reference, language)
        if preparation.saved_address is None:
            return preparation.replies or [delivery.Reply(delivery_texts.text("unavailable", language))]
        saved = preparation.saved_address
        address = DeliveryAddress.create(
            saved.village,
            saved.tehsil,
            saved.pin,
            latitude=location.get("latitude"),
            longitude=location.get("longitude"),
        )
    return delivery.submit(channel_user_id, reference, address, source, language)


class ActionStopHomeDelivery(Action):
    """ "stop" inside the address form: nothing is registered."""

    def name(self) -> Text:
        return "action_stop_home_delivery"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(text=delivery_texts.text("stopped", language_of(tracker)))
        return [ActiveLoop(None), SlotSet("requested_slot", None)] + [SlotSet(slot, None) for slot in FORM_SLOTS]
