"""Appealing from the chat (intent file_appeal): under five messages.

    citizen: "अपील करनी है"              (with or without an application id)
    bot:     the appealable applications as buttons, when there are several
    citizen: taps one
    bot:     the grounds to confirm ("तय तारीख निकल गई" / "नामंज़ूर हुआ"), हाँ / नहीं
    citizen: हाँ
    bot:     the appeal receipt: its number, who hears it, the decision date

The yes/no question is outside any form, so the answer arrives as a plain
affirm/deny: `pending_question` remembers what was asked, and
action_answer_yes / action_answer_no act on it (or show the menu, as a yes out
of context always did). Decisions are in lokseva.appeals; this is the thin layer.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.applications import in_thread, language_of, latest_entity
from lokseva.appeals import flows, messaging
from lokseva.appeals.flows import AppealOption, AppealRefused
from lokseva.applications import messaging as application_texts
from lokseva.references import parse_application_id

logger = logging.getLogger(__name__)

PENDING = "pending_question"
APPEAL = "appeal:"  # pending_question = "appeal:JBA-2026-000123"


def _reference(tracker: Tracker) -> Optional[str]:
    return parse_application_id(latest_entity(tracker, "application_id")) or parse_application_id(
        tracker.latest_message.get("text")
    )


def _yes_no(language: str) -> List[Dict[str, str]]:
    hi = language != "en"
    return [
        {"title": "हाँ, अपील करें" if hi else "Yes, file it", "payload": "/affirm"},
        {"title": "नहीं" if hi else "No", "payload": "/deny"},
    ]


def _ask_to_confirm(dispatcher: CollectingDispatcher, option: AppealOption, language: str) -> List[EventType]:
    dispatcher.utter_message(text=messaging.confirm_question(option, language), buttons=_yes_no(language))
    return [SlotSet(PENDING, APPEAL + option.application_reference)]


class ActionStartAppeal(Action):
    def name(self) -> Text:
        return "action_start_appeal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        language = language_of(tracker)
        reference = _reference(tracker)
        try:
            if reference:
                option = await in_thread(flows.appeal_option, tracker.sender_id, reference)
                return _ask_to_confirm(dispatcher, option, language)
            options = await in_thread(flows.appealable, tracker.sender_id)
        except AppealRefused as refused:
            dispatcher.utter_message(text=messaging.refused(refused, language))
            return [SlotSet(PENDING, None)]
        except Exception:
            logger.exception("appeal lookup failed")
            dispatcher.utter_message(text=application_texts.invalid("technical", language))
            return [SlotSet(PENDING, None)]
        if not options:
            dispatcher.utter_message(text=messaging.nothing_to_appeal(language))
            return [SlotSet(PENDING, None)]
        if len(options) == 1:
            return _ask_to_confirm(dispatcher, options[0], language)
        buttons = [
            {
                "title": messaging.option_line(option, language),
                "payload": f'/file_appeal{{"application_id": "{option.application_reference}"}}',
            }
            for option in options[:10]
        ]
        dispatcher.utter_message(text=messaging.which_application(language), buttons=buttons)
        return [SlotSet(PENDING, None)]


class ActionAnswerYes(Action):
    """A yes outside a form: files the appeal that was asked about, or shows the menu."""

    def name(self) -> Text:
        return "action_answer_yes"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        pending = tracker.get_slot(PENDING) or ""
        if not pending.startswith(APPEAL):
            dispatcher.utter_message(response="utter_menu")
            return []
        language = language_of(tracker)
        reference = pending[len(APPEAL) :]
        try:
            view = await in_thread(flows.file_appeal, tracker.sender_id, reference, language=language)
        except AppealRefused as refused:
            dispatcher.utter_message(text=messaging.refused(refused, language))
        except Exception:
            logger.exception("filing an appeal failed")
            dispatcher.utter_message(text=application_texts.invalid("technical", language))
            return []  # the question stays open: a second "हाँ" tries again
        else:
            dispatcher.utter_message(text=messaging.receipt(view, language))
        return [SlotSet(PENDING, None)]


class ActionAnswerNo(Action):
    """A no outside a form: drops the appeal that was asked about."""

    def name(self) -> Text:
        return "action_answer_no"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        pending = tracker.get_slot(PENDING) or ""
        if pending.startswith(APPEAL):
            dispatcher.utter_message(text=messaging.not_filed(language_of(tracker)))
        else:
            dispatcher.utter_message(response="utter_nothing_to_stop")
        return [SlotSet(PENDING, None)]
