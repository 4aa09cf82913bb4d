"""The retention job: deletes conversations past their period, and those a citizen asked to erase.

    python -m lokseva.data_rights.retention [--every SECONDS]
    python -m lokseva.serve job retention             (production)

- Conversations (Rasa's conversation store, table `events`) older than
  CONVERSATION_RETENTION_DAYS are deleted event by event.
- A citizen who wrote "मेरा डेटा हटाओ" has the slot `data_erasure_requested_at`
  set in their conversation (actions/data_rights.py): every event before it is
  deleted, and the channel's records of the conversation lose what they said
  (the inbox keeps only MessageSids, so a replayed webhook is still recognised;
  sent or given-up messages of the outbox are deleted).

Deleting is idempotent: a second run finds nothing more to delete. What the law
keeps (submitted applications, certificates, payments) is not touched here.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Dict, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lokseva import periodic
from lokseva.channels.models import WhatsAppInboundMessage, WhatsAppOutboxMessage
from lokseva.channels.service import FORGOTTEN, PENDING
from lokseva.data_rights.rights import ERASURE_SLOT
from lokseva.db import get_engine, session_scope
from lokseva.settings import Settings, get_settings

logger = logging.getLogger(__name__)

# Rasa's SQL conversation store (rasa.core.tracker_store.SQLTrackerStore.SQLEvent).
EVENTS = sa.table(
    "events",
    sa.column("id"),
    sa.column("sender_id"),
    sa.column("type_name"),
    sa.column("timestamp"),
    sa.column("data"),
)
DAY_S = 24 * 3600


def erasure_requests(tracker_engine: Engine) -> Dict[str, float]:
    """Conversation id -> when its latest erasure request was made."""
    with tracker_engine.connect() as conn:
        rows = conn.execute(
            sa.select(EVENTS.c.sender_id, sa.func.max(EVENTS.c.timestamp))
            .where(EVENTS.c.type_name == "slot", EVENTS.c.data.like(f'%"{ERASURE_SLOT}"%'))
            .group_by(EVENTS.c.sender_id)
        ).all()
    return {sender: float(at) for sender, at in rows}


def _forget_channel_records(engine: Engine, conversation_id: str) -> int:
    with session_scope(engine) as s:
        inbox = (
            s.execute(
                sa.update(WhatsAppInboundMessage)
                .where(
                    WhatsAppInboundMessage.conversation_id == conversation_id, WhatsAppInboundMessage.status != PENDING
                )
                .values(params={}, conversation_id=FORGOTTEN, error=None)
            ).rowcount
            or 0
        )
        outbox = (
            s.execute(
                sa.delete(WhatsAppOutboxMessage).where(
                    WhatsAppOutboxMessage.conversation_id == conversation_id, WhatsAppOutboxMessage.status != PENDING
                )
            ).rowcount
            or 0
        )
    return inbox + outbox


def run_retention(settings: Optional[Settings] = None, now: Optional[float] = None) -> Dict[str, int]:
    settings = settings or get_settings()
    now = time.time() if now is None else now
    tracker_engine = get_engine(settings.tracker_store_url)
    cutoff = now - settings.conversation_retention_days * DAY_S
    counts = {"expired_events": 0, "erased_conversations": 0, "erased_events": 0, "channel_records": 0}
    if not sa.inspect(tracker_engine).has_table("events"):
        return counts  # Rasa has not written a conversation yet
    with tracker_engine.begin() as conn:
        counts["expired_events"] = conn.execute(sa.delete(EVENTS).where(EVENTS.c.timestamp < cutoff)).rowcount or 0
    for conversation_id, requested_at in erasure_requests(tracker_engine).items():
        with tracker_engine.begin() as conn:
            deleted = (
                conn.execute(
                    sa.delete(EVENTS).where(EVENTS.c.sender_id == conversation_id, EVENTS.c.timestamp < requested_at)
                ).rowcount
                or 0
            )
        forgotten = _forget_channel_records(get_engine(settings.database_url), conversation_id)
        if deleted or forgotten:
            counts["erased_conversations"] += 1
        counts["erased_events"] += deleted
        counts["channel_records"] += forgotten
    logger.info("retention: %s", counts)
    return counts


def main(argv: Optional[List[str]] = None) -> int:
    return periodic.main(run_retention, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
