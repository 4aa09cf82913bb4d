"""Talking to a person: a citizen's request_human becomes a callback request in
the staff portal, and the citizen is told when the office will call."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from lokseva.db import get_engine, session_scope
from lokseva.applications import district_choice
from lokseva.districts import state_callback_hours
from lokseva.portal import callbacks, messaging
from lokseva.portal.office import IST, callback_window
from lokseva.privacy import mask_phone

logger = logging.getLogger(__name__)

LAST_MESSAGES = 5


def _application_id(tracker: Tracker) -> Optional[str]:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "application_id" and entity.get("value"):
            return str(entity["value"])[:32]
    value = tracker.slots.get("application_id")
    return str(value)[:32] if value else None


def _state_office(language: str) -> str:
    return "the Lok Seva office" if language == "en" else "लोक सेवा दफ़्तर"


class ActionRequestHuman(Action):
    """Stores the request (masked phone, the citizen's last messages) and says
    when the office will call back."""

    def name(self) -> Text:
        return "action_request_human"

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        language = tracker.get_slot("language") or "hi"
        # the citizen's district office; the call-back desk's hours where the district gives none
        district = district_choice.of_slots(tracker.slots)
        hours = district.hours_for_callbacks if district else state_callback_hours()
        holidays = district.holidays if district else frozenset()
        now = self.now()
        window = callback_window(now, hours, holidays)
        texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
        # Button payloads ("/request_human") say nothing to the person who calls back.
        texts = [t for t in texts if t and not t.startswith("/")][-LAST_MESSAGES:]
        try:
            with session_scope(get_engine()) as session:
                request, created = callbacks.request_callback(
                    session,
                    tracker.sender_id,
                    texts,
                    language,
                    call_by=window.ends,
                    application_id=_application_id(tracker),
                    now=now,
                )
                request_no = request.id
        except SQLAlchemyError:
            logger.exception("could not store the callback request of %s", mask_phone(tracker.sender_id))
            dispatcher.utter_message(text=messaging.callback_failed(hours, language))
            return []
        dispatcher.utter_message(
            text=messaging.callback_promised(
                window,
                now.astimezone(IST).date(),
                district.text("collectorate", language) if district else _state_office(language),
                request_no,
                language,
                already_open=not created,
            )
        )
        return []
