"""The citizen's district: choosing or changing it ("main Indore se hoon",
"ज़िला बदलना है"), the district form that asks it before a district-specific
answer, and what the session starts with. Decisions: lokseva.applications.district_choice."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.applications import in_thread, language_of, latest_entity, whatsapp_number_of
from actions.information import answer_topic
from lokseva.applications import conversation, district_choice, flows
from lokseva.districts import District
from lokseva.privacy import mask_phone

logger = logging.getLogger(__name__)

DISTRICT_FORM = "district_form"
# What the citizen asked for when the district was asked first (an intent name).
PENDING = "district_pending"
NAME_SLOT = "district_name"


def name_events(district: Optional[District], language: str) -> List[EventType]:
    return [SlotSet(NAME_SLOT, district_choice.greeting_name(district, language))]


async def remember(tracker: Tracker, district: District) -> None:
    try:
        await in_thread(
            flows.remember_district, tracker.sender_id, district.key, whatsapp_number_of(tracker), language_of(tracker)
        )
    except SQLAlchemyError:  # the slot still holds it for this conversation
        logger.exception("could not keep the district of %s", mask_phone(tracker.sender_id))


def chosen_events(tracker: Tracker, district: District) -> List[EventType]:
    """The slots to set when the citizen's district becomes `district`."""
    events: List[EventType] = [SlotSet(district_choice.SLOT, district.key)]
    if tracker.active_loop_name == conversation.FORM:
        cleared = district_choice.changed_updates(tracker.get_slot(district_choice.SLOT), district.key, tracker.slots)
        events += [SlotSet(k, v) for k, v in cleared.items()]
    return events + name_events(district, language_of(tracker))


class ActionChooseDistrict(Action):
    """choose_district: the district named (kept), or, with none named, the question."""

    def name(self) -> Text:
        return "action_choose_district"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        language = language_of(tracker)
        text = tracker.latest_message.get("text") or ""
        district, _ = district_choice.read(text, latest_entity(tracker, "district"))
        if district is not None:
            await remember(tracker, district)
            dispatcher.utter_message(text=district_choice.chosen(district, language))
            return chosen_events(tracker, district)
        events: List[EventType] = [SlotSet(district_choice.SLOT, None)]
        if tracker.active_loop_name == conversation.FORM:
            # the application form asks the district next (it is one of its questions)
            return events + [SlotSet("address_tehsil", None), SlotSet(conversation.CONFIRMED, None)]
        return events + [FollowupAction(DISTRICT_FORM)]


class ValidateDistrictForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_district_form"

    async def validate_district(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        language = language_of(tracker)
        text = tracker.latest_message.get("text") or str(value or "")
        district, problem = district_choice.read(text, latest_entity(tracker, "district"))
        for message in district_choice.outcome_messages(district, problem, language):
            dispatcher.utter_message(text=message)
        if district is None:
            return {district_choice.SLOT: None}
        await remember(tracker, district)
        return {district_choice.SLOT: district.key, NAME_SLOT: district_choice.greeting_name(district, language)}


class ActionDistrictChosen(Action):
    """After the district form: the answer the citizen asked for before it, if any."""

    def name(self) -> Text:
        return "action_district_chosen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        pending = tracker.get_slot(PENDING)
        if not pending:
            return []
        answer_topic(dispatcher, tracker, pending, district_choice.of_slots(tracker.slots))
        return [SlotSet(PENDING, None)]
