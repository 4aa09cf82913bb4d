"""Rasa's SQL conversation store, with Aadhaar numbers masked before saving.

The action server cannot change a user message once Rasa has logged it, and
Rasa's own slot extraction copies the raw text into slot events. So the
masking happens here, at the single place where conversations are written:
every event (user text, parse data, entity values, slot values, bot text,
metadata) passes through lokseva.privacy.redact_aadhaar before it is stored.

Configured in endpoints.yml:

    tracker_store:
      type: lokseva.privacy.tracker_store.RedactingSQLTrackerStore
      dialect: sqlite
      host: "${TRACKER_STORE_URL}"
"""

from __future__ import annotations

import json
import logging
from typing import Any, List, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from lokseva import action_responses
from lokseva.privacy.aadhaar import redact_aadhaar

logger = logging.getLogger(__name__)


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that never writes a clear Aadhaar number."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the Rasa server loads this store (endpoints.yml), and only it calls the
        # action server: its responses are checked against the schema compiled once.
        # (Installed here, not in the channel: the jobs import the channel, and Rasa's
        # action module would bring TensorFlow into each of them.)
        action_responses.install()

    async def save(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            # The events not stored yet, counted once: Rasa's stream_events would load
            # the whole stored conversation again (a second retrieve each turn) to find
            # the same ones for the event broker.
            new_events = list(self._additional_events(session, tracker))
            if self.event_broker is not None:
                await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)
            for event in new_events:
                data = redact_aadhaar(event.as_dict())
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
        logger.debug("tracker %s stored (redacted)", tracker.sender_id)

    async def _stream_new_events(self, event_broker: EventBroker, new_events: List, sender_id: Text) -> None:
        # An event broker, if one is ever configured, gets the same masked events.
        for event in new_events:
            event_broker.publish(redact_aadhaar({"sender_id": sender_id, **event.as_dict()}))
