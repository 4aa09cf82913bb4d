"""The application form: its dynamic questions (from the catalogue), the
validation of each answer from the raw text, and the questions that need more
than a fixed response (numbered services and tehsils, the summary, which field
to correct, whether to resume a draft).

Every valid answer is kept at once in the citizen's draft in the database
(status draft), so a half-filled form survives restarts; an invalid answer is
not stored anywhere and gets a specific, polite reply.
"""

from __future__ import annotations

import abc
import datetime as dt
import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.applications import (
    CATALOGUE,
    in_thread,
    language_of,
    latest_entity,
    latest_service,
    whatsapp_number_of,
)
from lokseva.applications import conversation, district_choice, flows, messaging, rules
from lokseva.clock import today_in_india

logger = logging.getLogger(__name__)


def _tehsils(slots) -> tuple:
    """The tehsils of the citizen's district (none known: the tehsil is taken as written)."""
    district = district_choice.of_slots(slots)
    return district.tehsils if district else ()


class ActionAskDistrict(Action):
    """The district question (the application form's, and the district form's)."""

    def name(self) -> Text:
        return "action_ask_district"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(text=district_choice.ask(language_of(tracker)))
        return []


class ValidateApplicationForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_application_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        return conversation.required_slots(tracker.slots, CATALOGUE)

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Validates each new answer (normally just the requested one)."""
        required = conversation.required_slots(tracker.slots, CATALOGUE)
        candidates = {k: v for k, v in tracker.slots_to_validate().items() if k in required}
        language = language_of(tracker)
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        events: List[EventType] = []
        for slot in candidates:
            turn = conversation.Turn(
                slot=slot,
                # a value set by an action (the service at activation) has no text of its own
                text=text if tracker.get_slot("requested_slot") == slot else str(candidates[slot] or ""),
                intent=intent,
                slots=dict(tracker.slots),
                language=language,
                today=today_in_india(),
                tehsils=_tehsils(tracker.slots),
                service_entity=latest_service(tracker),
                district_entity=latest_entity(tracker, "district"),
            )
            outcome = conversation.interpret(turn, CATALOGUE)
            updates = dict(outcome.updates)
            messages = list(outcome.messages)
            if district_choice.SLOT in updates:  # a new district: the old one's tehsil no longer fits
                updates.update(
                    district_choice.changed_updates(
                        tracker.get_slot(district_choice.SLOT), updates[district_choice.SLOT], tracker.slots
                    )
                )
            try:
                loaded = await self._store(tracker, outcome, {**tracker.slots, **updates}, language)
            except Exception:
                logger.exception("could not keep the draft")
                messages, updates = [messaging.invalid("technical", language)], {slot: None}
            else:
                if outcome.load_draft and not loaded:  # expired between the offer and the answer
                    messages, updates[conversation.SERVICE] = [messaging.draft_lost(language)], None
                updates.update(loaded)
            for message in messages:
                dispatcher.utter_message(text=message)
            tracker.slots.update(updates)
            events += [SlotSet(k, v) for k, v in updates.items()]
        return events

    async def _store(
        self, tracker: Tracker, outcome: conversation.Outcome, slots: Dict[str, Any], language: str
    ) -> Dict[str, Any]:
        """The database side of an answer; returns slot values it brings (resume)."""
        sender = tracker.sender_id
        loaded: Dict[str, Any] = {}
        if outcome.load_draft:
            draft = await in_thread(flows.find_draft, sender) or {}
            loaded = {k: v for k, v in draft.items() if k in conversation.FORM_SLOTS}
            if not loaded:
                return {}
            slots.update(loaded)
        if outcome.discard_draft:
            await in_thread(flows.discard_draft, sender)
        service = slots.get(conversation.SERVICE)
        if outcome.save and CATALOGUE.get(service):
            await in_thread(
                flows.save_answers,
                sender,
                service,
                conversation.answers(slots),
                aadhaar_digits=outcome.aadhaar_digits,
                language=language,
                # the phone number comes from the channel's contact record, never from the message
                whatsapp_number=await in_thread(whatsapp_number_of, tracker),
                district_key=slots.get(district_choice.SLOT),
            )
        return loaded


class ActionAskApplicationService(Action):
    def name(self) -> Text:
        return "action_ask_application_service"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        language = language_of(tracker)
        dispatcher.utter_message(
            text=messaging.ask_service(language), buttons=messaging.service_buttons(CATALOGUE, language)
        )
        return []


class ActionAskAddressTehsil(Action):
    def name(self) -> Text:
        return "action_ask_address_tehsil"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        text, buttons = messaging.ask_tehsil(_tehsils(tracker.slots), language_of(tracker))
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionAskApplicationConfirmed(Action):
    """The summary of the answers and the fee, with yes / no."""

    def name(self) -> Text:
        return "action_ask_application_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        language = language_of(tracker)
        service = CATALOGUE[tracker.get_slot(conversation.SERVICE)]
        event_date = tracker.get_slot("event_date")
        fee = rules.fee_due(service, dt.date.fromisoformat(event_date) if event_date else None, today_in_india())
        text = messaging.summary(service, tracker.slots, fee.total, language, _tehsils(tracker.slots))
        dispatcher.utter_message(text=text, buttons=messaging.confirm_buttons(language))
        return []


class ActionAskCorrectionField(Action):
    def name(self) -> Text:
        return "action_ask_correction_field"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        service = CATALOGUE[tracker.get_slot(conversation.SERVICE)]
        text, buttons = messaging.ask_correction(service, tracker.slots, language_of(tracker))
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionAskResumeDraft(Action):
    def name(self) -> Text:
        return "action_ask_resume_draft"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        language = language_of(tracker)
        service = CATALOGUE[tracker.get_slot(conversation.DRAFT_FOUND)]
        dispatcher.utter_message(
            text=messaging.ask_resume(service, language), buttons=messaging.yes_no_buttons(language)
        )
        return []


class AskField(Action, abc.ABC):
    """Asks one question of the form in the citizen's language (texts in
    lokseva/applications/messaging.py: PROMPTS), with the service's wording."""

    @property
    @abc.abstractmethod
    def field(self) -> str: ...

    def name(self) -> Text:
        return f"action_ask_{self.field}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        text, buttons = messaging.prompt(
            self.field, tracker.get_slot(conversation.SERVICE), language_of(tracker), tracker.slots
        )
        dispatcher.utter_message(text=text, buttons=buttons or None)
        return []


# One action per question (Rasa looks for action_ask_<slot>).
for _field in messaging.prompt_fields():
    _name = "ActionAsk" + "".join(part.capitalize() for part in _field.split("_"))
    globals()[_name] = type(_name, (AskField,), {"field": _field, "__module__": __name__})
