"""Sends the domain's notifications (lokseva.notifications) to citizens on WhatsApp.

For each citizen with pending notifications, oldest first: take the row's lease,
find the number (the citizen record, else the channel's contact of the
conversation), make the attached file's link fresh (a certificate's media link
lives a few minutes), and hand it to Rasa (lokseva.channels.notify: the bot says
it, and the WhatsApp channel's own outbox gets it to Twilio). Rasa refusing the
connection (restarting) is retried at once a few times (tenacity); any other
failure gives the row back for a later run, waiting longer each time, until it
fails for good after lokseva.notifications.outbox.DEFAULT_MAX_ATTEMPTS tries and staff see it
in the portal. After the first citizen Rasa cannot take, a run does only what
needs no Rasa: it is down, the next run tries again.

Run by the outbox job (`python -m lokseva.channels.scheduled`); and, so that the
citizen hears at once when all is well, by the web app process in the
background as soon as a unit of work that wrote notifications is committed
(`send_when_committed`: payment webhooks, staff steps), and by the portal for
the one citizen of a staff decision (`deliver_now`, to tell the officer whether
it went). What a chat turn writes (rare: a receipt found when the citizen asks)
goes with the job.

At most once per lease: of all the processes seeing a pending row, only the
holder of its lease sends it. A try that timed out may have reached Rasa; the
next lease tries again (at least once rather than never).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Dict, Optional, Set

import requests
import tenacity
from sqlalchemy.engine import Engine

from lokseva.applications.models import Citizen
from lokseva.certificates.media import media_url
from lokseva.privacy import mask_phone
from lokseva.channels.notifications import NotificationError
from lokseva.channels.notify import NotifyError, RasaUnreachable, notify
from lokseva.channels.service import ChannelStore
from lokseva.db import get_engine, session_scope
from lokseva.db.leases import new_owner
from lokseva.notifications import outbox
from lokseva.payments.notices import receipt_url
from lokseva.settings import Settings, get_settings

logger = logging.getLogger(__name__)

UNDELIVERABLE = "undeliverable: no WhatsApp number for the citizen"

# Rasa refusing connections is a restart (a few seconds): worth waiting for
# within one try; anything else waits for the next run.
_while_restarting = tenacity.retry(
    retry=tenacity.retry_if_exception_type(RasaUnreachable),
    stop=tenacity.stop_after_attempt(3),
    wait=tenacity.wait_exponential(multiplier=0.5, max=4),
    reraise=True,
)


def _attachment_url(attachment: Dict[str, str], channel_user_id: str, settings: Settings) -> str:
    """A fresh link to the file a notification carries."""
    if "certificate" in attachment:
        return media_url(attachment["certificate"], attachment["sha256"], channel_user_id, settings)
    if "payment_receipt" in attachment:
        return receipt_url(attachment["payment_receipt"])
    raise NotificationError(f"unknown attachment {sorted(attachment)}")


class Sender:
    """Delivers pending notifications through Rasa."""

    def __init__(
        self,
        settings: Optional[Settings] = None,
        engine: Optional[Engine] = None,
        store: Optional[ChannelStore] = None,
        wait_for_restart: bool = True,
    ):
        self.settings = settings or get_settings()
        # The job waits out a restarting Rasa; a staff request does not (the job follows).
        self.trigger = _while_restarting(notify) if wait_for_restart else notify
        self.engine = engine or get_engine(self.settings.database_url)
        self.store = store or ChannelStore(self.engine, self.settings.keyring("conversation"))
        self.max_attempts = outbox.DEFAULT_MAX_ATTEMPTS

    def _recipient(self, citizen_id: int) -> tuple:
        with session_scope(self.engine) as s:
            citizen = s.get(Citizen, citizen_id)
            if citizen is None:
                return None, None
            phone, channel_user_id = citizen.whatsapp_number, citizen.channel_user_id
        return phone or self.store.phone_for(channel_user_id), channel_user_id

    def deliver(self, citizen_id: int, rasa_down: bool = False) -> Dict[str, int]:
        """Sends the citizen's pending notifications in order; stops at the first
        one that cannot go now. Counts sent, failed and whether Rasa was unavailable.
        `rasa_down`: Rasa was unavailable a moment ago; only what needs no Rasa
        (a citizen without a WhatsApp number) is done."""
        owner = new_owner()
        done = {"sent": 0, "failed": 0, "unavailable": 0}
        try:
            phone, channel_user_id = self._recipient(citizen_id)
            if phone and rasa_down:
                done["unavailable"] = 1
                return done
            while True:
                due = outbox.claim_next(self.engine, citizen_id, owner)
                if due is None:
                    break
                if not phone:
                    # Nothing will ever reach them this way (e.g. a conversation on the
                    # REST channel): done, and the chat shows it when they ask.
                    logger.warning("notification %d (%s): no WhatsApp number for the citizen", due.id, due.key)
                    outbox.mark_sent(self.engine, due.id, note=UNDELIVERABLE)
                    continue
                try:
                    self._send(due, phone, channel_user_id)
                except NotificationError as error:  # a wrong message: no retry can fix it
                    logger.error("notification %d (%s) refused: %s", due.id, due.key, error)
                    outbox.mark_failed(self.engine, due.id, f"refused: {error}")
                    done["failed"] += 1
                    continue
                except (NotifyError, requests.RequestException) as error:
                    again = outbox.retry_later(self.engine, due.id, str(error), due.attempts + 1, self.max_attempts)
                    logger.warning(
                        "notification %d (%s) to %s not sent (attempt %d%s): %s",
                        due.id,
                        due.key,
                        mask_phone(phone),
                        due.attempts + 1,
                        "" if again else ", given up",
                        error,
                    )
                    done["unavailable" if again else "failed"] += 1
                    break
                outbox.mark_sent(self.engine, due.id)
                done["sent"] += 1
            return done
        finally:
            outbox.release(self.engine, owner)

    def _send(self, due: outbox.Due, phone: str, channel_user_id: str) -> None:
        variables = dict(due.variables)
        if due.attachment:
            name = due.attachment.get("variable", "document_url")
            variables[name] = _attachment_url(due.attachment, channel_user_id, self.settings)
        self.trigger(phone, due.key, variables, due.language, settings=self.settings, store=self.store)
        logger.info("notification %d (%s) sent to %s", due.id, due.key, mask_phone(phone))

    def deliver_due(self) -> Dict[str, int]:
        """The job's work: every citizen with notifications nobody is sending.
        After the first one Rasa cannot take, only those that need no Rasa are
        done (the next run tries again, rather than waiting out the retries of
        every citizen)."""
        counts = {"citizens": 0, "sent": 0, "failed": 0, "rasa_unavailable": 0}
        for citizen_id in outbox.due_citizens(self.engine):
            done = self.deliver(citizen_id, rasa_down=bool(counts["rasa_unavailable"]))
            counts["citizens"] += 1
            counts["sent"] += done["sent"]
            counts["failed"] += done["failed"]
            if done["unavailable"]:
                counts["rasa_unavailable"] = 1
        counts["pruned"] = outbox.prune(self.engine)
        return counts


def deliver_now(
    citizen_id: Optional[int], notification_id: Optional[int] = None, settings: Optional[Settings] = None
) -> bool:
    """Right after a change is committed: sends the citizen's pending
    notifications now. Returns whether `notification_id` went out (False for
    None: nothing was written, e.g. no WhatsApp number); whatever did not go is
    left to the job. Never raises."""
    if citizen_id is None:
        return False
    sender = Sender(settings, wait_for_restart=False)
    try:
        sender.deliver(citizen_id)
    except Exception:  # the database or Rasa: the job sends it later
        logger.exception("notifications of citizen %s left to the job", citizen_id)
        return False
    if notification_id is None:
        return False
    # Another delivery of this process (send_soon, right after the same commit)
    # may hold it: wait for its outcome, at most one try's time.
    deadline = time.monotonic() + 65
    while True:
        with session_scope(sender.engine) as s:
            status = outbox.status_of(s, notification_id)
        if status != "sending" or time.monotonic() > deadline:
            return status == "sent"
        time.sleep(0.2)


def send_soon(citizen_ids: Set[int]) -> None:
    """After a commit that wrote notifications (lokseva.notifications.outbox.
    on_committed): sends them in the background, so the unit of work that wrote
    them (a webhook, a chat turn) never waits on Rasa. What does not go now is
    left to the job."""

    def run() -> None:
        sender = Sender(wait_for_restart=False)
        for citizen_id in sorted(citizen_ids):
            try:
                sender.deliver(citizen_id)
            except Exception:
                logger.exception("notifications of citizen %s left to the job", citizen_id)

    threading.Thread(target=run, name="notifications", daemon=True).start()


def send_when_committed() -> None:
    """Makes this process send the notifications it writes as soon as they are
    committed (the web app's process calls this at start)."""
    outbox.on_committed(send_soon)
