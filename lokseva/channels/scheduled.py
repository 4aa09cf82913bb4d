"""The outbox job: `python -m lokseva.channels.scheduled [--every SECONDS]`.

Two outboxes, in this order:
1. the notifications the capabilities wrote for citizens (lokseva.notifications:
   payment, decision, documents asked for, certificate ready, delivery steps),
   handed to Rasa in order per citizen, with retries (lokseva.channels.proactive);
2. the WhatsApp replies Twilio did not take when they were written (Twilio down
   longer than the channel's retries, a Rasa process stopped in the middle), in
   order per conversation, given up after WHATSAPP_OUTBOX_MAX_ATTEMPTS
   deliveries (logged, number masked).
Once by default (e.g. every minute from cron); `--every 60` keeps running
(lokseva.periodic; this is how `make run` starts it, every
WHATSAPP_OUTBOX_INTERVAL_S). Safe next to the channel and other instances of
the job: a message is sent by whoever holds its lease (lokseva/db/leases.py).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Dict, List, Optional

from lokseva import periodic
from lokseva.channels.outbox import Outbox, OutboxSender
from lokseva.channels.proactive import Sender
from lokseva.channels.service import ChannelStore
from lokseva.channels.twilio_client import TwilioClient
from lokseva.channels.whatsapp import STATUS_PATH
from lokseva.db import get_engine
from lokseva.settings import Settings, get_settings

logger = logging.getLogger(__name__)


def sender_for(settings: Settings, store: ChannelStore, client: TwilioClient) -> OutboxSender:
    """The job's sender: as the channel's, with the status callbacks to the channel's route."""
    return OutboxSender(
        Outbox(store.engine),
        store,
        client,
        settings.twilio_whatsapp_number,
        settings.public_url.rstrip("/") + STATUS_PATH,
        asyncio.to_thread,
        settings.whatsapp_outbox_max_attempts,
    )


async def send_pending(sender: OutboxSender) -> Dict[str, int]:
    counts = await sender.deliver_due()
    counts["pruned"] = await asyncio.to_thread(sender.outbox.prune)
    if counts["sent"] or counts["failed"] or counts["twilio_unavailable"]:
        logger.info("whatsapp outbox: %s", counts)
    return counts


def send_notifications(sender: Sender) -> Dict[str, int]:
    counts = sender.deliver_due()
    if counts["sent"] or counts["failed"] or counts["rasa_unavailable"]:
        logger.info("notifications: %s", counts)
    return counts


def run_job(settings: Optional[Settings] = None) -> Dict[str, object]:
    settings = settings or get_settings()
    store = ChannelStore(get_engine(settings.database_url), settings.keyring("conversation"))
    notifications = send_notifications(Sender(settings, store.engine, store))
    client = TwilioClient(settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_api_base)

    async def run() -> Dict[str, int]:
        try:
            return await send_pending(sender_for(settings, store, client))
        finally:
            await client.close()

    return {"notifications": notifications, **asyncio.run(run())}


def main(argv: Optional[List[str]] = None) -> int:
    return periodic.main(run_job, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
