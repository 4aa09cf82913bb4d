"""The citizen's data: the notice before the first personal question, "मेरा डेटा"
and "मेरा डेटा हटाओ" (lokseva.data_rights)."""

from __future__ import annotations

import logging
import re
import time
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.applications import in_thread, language_of
from lokseva.applications import messaging
from lokseva.data_rights import rights
from lokseva.data_rights.rights import ERASURE_SLOT
from lokseva.settings import get_settings

logger = logging.getLogger(__name__)

# The words that ask for deletion rather than a look (both scripts, as citizens type them).
_DELETE_WORDS = re.compile(r"हट|मिट|डिलीट|साफ|delete|hata|hatw|mita|remove|erase|forget|saaf", re.IGNORECASE)


def wants_deletion(text: str) -> bool:
    return bool(_DELETE_WORDS.search(text or ""))


class ActionMyData(Action):
    """Shows what is kept about the citizen, or erases what the law lets go."""

    def name(self) -> Text:
        return "action_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        language = language_of(tracker)
        days = get_settings().conversation_retention_days
        try:
            if wants_deletion(tracker.latest_message.get("text") or ""):
                kept = await in_thread(rights.erase_now, tracker.sender_id)
                dispatcher.utter_message(text=rights.erased_text(kept, language))
                # The retention job deletes the conversation up to this moment.
                return [SlotSet(ERASURE_SLOT, time.time())]
            kept = await in_thread(rights.kept_data, tracker.sender_id)
        except Exception:
            logger.exception("could not read or erase a citizen's data")
            dispatcher.utter_message(text=messaging.invalid("technical", language))
            return []
        dispatcher.utter_message(text=rights.kept_data_text(kept, language, days))
        return []
