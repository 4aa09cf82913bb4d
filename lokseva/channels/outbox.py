"""The WhatsApp outbox: every reply is written down before it is sent.

A message (conversation, kind, what Twilio gets) is a row of whatsapp_outbox
before the first request to Twilio. The turn that wrote it sends it at once
(with the client's own retries on 429/5xx); if Twilio stays down longer than
those retries, or the process stops meanwhile, the row is still pending and the
periodic job (lokseva.channels.scheduled) sends it later. Twilio's answer
decides the row's end: sent (with its MessageSid), or failed on a refusal no
retry can fix (a 4xx such as 21211, an invalid number), on a timeout (Twilio may
have taken it: sending again could deliver it twice), or after
`max_attempts` deliveries.

Never twice: whoever sends a row holds its lease (owner, lease_until), taken
by a conditional UPDATE (lokseva/db/leases.py), so of a turn and one or more jobs seeing the same
pending row exactly one sends it. The owner is one *delivery*, not a process,
so two deliveries in one process exclude each other too. The one window left
is a process dying after Twilio took a message and before the row says so:
that message is sent again (at least once, not exactly once).

In order: a conversation's rows are sent oldest first (by id), and a delivery
stops at the first row it cannot send now, or that another delivery holds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from lokseva.channels.identity import whatsapp_address
from lokseva.channels.models import WhatsAppOutboxMessage as Row
from lokseva.channels.service import ChannelStore, record_outbound, utcnow
from lokseva.channels.twilio_client import SentMessage, TwilioClient, TwilioError
from lokseva.db import session_scope
from lokseva.db.leases import held_by_another, new_owner, take
from lokseva.privacy import mask_phone
from lokseva.privacy.at_rest import redacted_fields

logger = logging.getLogger(__name__)

# Longer than one send with all the client's retries (6 attempts with 15 s
# timeouts and at most 30 s between them: about 4 minutes), so a lease never
# runs out while its holder is still sending.
LEASE = dt.timedelta(minutes=5)
PENDING, SENT, FAILED = "pending", "sent", "failed"
DEFAULT_MAX_ATTEMPTS = 20
TWILIO_PARAMS = ("body", "media_urls", "content_sid", "content_variables")
RECORD_ATTEMPTS = 8  # recording a sent message: about 10 s of a busy or restarting database


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    conversation_id: str
    kind: str
    params: Dict[str, Any]
    attempts: int  # deliveries before this one


class Outbox:
    """The outbox table: blocking calls, run in a worker thread."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def add(self, conversation_id: str, kind: str, params: Dict[str, Any], owner: str) -> int:
        """Writes a message down, held by `owner` (who is about to send it)."""
        with session_scope(self.engine) as s:
            return self._add(s, conversation_id, kind, params, owner)

    @staticmethod
    def _add(s: Session, conversation_id: str, kind: str, params: Dict[str, Any], owner: str) -> int:
        now = utcnow()
        row = Row(
            conversation_id=conversation_id,
            kind=kind,
            params=redacted_fields(params),
            status=PENDING,
            owner=owner,
            lease_until=now + LEASE,
            attempts=0,
            created_at=now,
            updated_at=now,
        )
        s.add(row)
        s.flush()
        return row.id

    def add_and_claim(
        self, conversation_id: str, kind: str, params: Dict[str, Any], owner: str
    ) -> Optional[OutboxMessage]:
        """add, then claim_next, in one transaction (a turn's usual reply: one
        round of the database instead of three)."""
        with session_scope(self.engine) as s:
            self._add(s, conversation_id, kind, params, owner)
            return self._claim_next(s, conversation_id, owner, utcnow())

    def claim_next(
        self, conversation_id: str, owner: str, now: Optional[dt.datetime] = None
    ) -> Optional[OutboxMessage]:
        """The conversation's oldest pending message, now held by `owner`; None when
        nothing is pending or another delivery holds the oldest one (the order):
        then what `owner` still holds is given back (release), for the periodic job."""
        with session_scope(self.engine) as s:
            return self._claim_next(s, conversation_id, owner, now or utcnow())

    def _claim_next(self, s: Session, conversation_id: str, owner: str, now: dt.datetime) -> Optional[OutboxMessage]:
        row = s.execute(
            sa.select(Row.id, Row.kind, Row.params, Row.attempts, Row.owner, Row.lease_until)
            .where(Row.conversation_id == conversation_id, Row.status == PENDING)
            .order_by(Row.id)
            .limit(1)
        ).first()
        if row is None:
            return None
        message = OutboxMessage(row.id, conversation_id, row.kind, dict(row.params), row.attempts)
        if not held_by_another(row.owner, row.lease_until, owner, now) and take(
            s, Row, message.id, owner, now, LEASE, PENDING
        ):
            return message
        self._release(s, owner, now)
        return None

    def sent_and_claim_next(
        self, message: OutboxMessage, message_sid: str, status: str, owner: str
    ) -> Optional[OutboxMessage]:
        """mark_sent, the delivery status record (ChannelStore.record_outbound) and
        claim_next, in one transaction."""
        with session_scope(self.engine) as s:
            self._mark(s, message.id, SENT, message_sid=message_sid)
            record_outbound(s, message.conversation_id, message.kind, message_sid, status)
            return self._claim_next(s, message.conversation_id, owner, utcnow())

    def mark_sent(self, message_id: int, message_sid: str) -> None:
        self._finish(message_id, SENT, message_sid=message_sid)

    def mark_failed(self, message_id: int, error_code: Optional[int], error_message: str) -> None:
        self._finish(message_id, FAILED, error_code=error_code, error_message=error_message[:500])

    def _finish(self, message_id: int, status: str, **values: Any) -> None:
        with session_scope(self.engine) as s:
            self._mark(s, message_id, status, **values)

    @staticmethod
    def _mark(s: Session, message_id: int, status: str, **values: Any) -> None:
        s.execute(
            sa.update(Row)
            .where(Row.id == message_id)
            .values(status=status, owner=None, lease_until=None, updated_at=utcnow(), **values)
            .execution_options(synchronize_session=False)
        )

    def release(self, owner: str, error: Optional[TwilioError] = None, message_id: Optional[int] = None) -> int:
        """Gives back what `owner` still holds, for the periodic job; `error`: why
        message `message_id` could not be sent now."""
        now = utcnow()
        with session_scope(self.engine) as s:
            if error is not None and message_id is not None:
                s.execute(
                    sa.update(Row)
                    .where(Row.id == message_id)
                    .values(error_code=error.code, error_message=error.message[:500])
                    .execution_options(synchronize_session=False)
                )
            return self._release(s, owner, now)

    @staticmethod
    def _release(s: Session, owner: str, now: dt.datetime) -> int:
        return s.execute(
            sa.update(Row)
            .where(Row.owner == owner, Row.status == PENDING)
            .values(owner=None, lease_until=None, updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount

    def due_conversations(self, now: Optional[dt.datetime] = None, limit: int = 500) -> List[str]:
        """Conversations with a pending message nobody holds, longest waiting first."""
        now = now or utcnow()
        with session_scope(self.engine) as s:
            return list(
                s.execute(
                    sa.select(Row.conversation_id)
                    .where(Row.status == PENDING, sa.or_(Row.lease_until.is_(None), Row.lease_until < now))
                    .group_by(Row.conversation_id)
                    .order_by(sa.func.min(Row.id))
                    .limit(limit)
                ).scalars()
            )

    def messages(self, conversation_id: Optional[str] = None) -> List[Dict[str, Any]]:
        query = sa.select(Row).order_by(Row.id)
        if conversation_id:
            query = query.where(Row.conversation_id == conversation_id)
        with session_scope(self.engine) as s:
            return [
                {
                    "id": r.id,
                    "conversation_id": r.conversation_id,
                    "kind": r.kind,
                    "params": r.params,
                    "status": r.status,
                    "attempts": r.attempts,
                    "message_sid": r.message_sid,
                    "error_code": r.error_code,
                    "error_message": r.error_message,
                }
                for r in s.execute(query).scalars()
            ]

    def take_fallback(self, message_sid: str) -> Optional[Tuple[str, str]]:
        """For buttons or a list Twilio could not deliver (the citizen's WhatsApp cannot
        show them): (conversation, numbered text), once; None for any other message."""
        with session_scope(self.engine) as s:
            row = s.execute(
                sa.select(Row).where(Row.message_sid == message_sid, Row.kind == "interactive", Row.status == SENT)
            ).scalar_one_or_none()
            if row is None or not row.params.get("fallback_body"):
                return None
            taken = s.execute(
                sa.update(Row)
                .where(Row.id == row.id, Row.status == SENT)
                .values(status=FAILED, error_message="undelivered: numbered text sent instead", updated_at=utcnow())
                .execution_options(synchronize_session=False)
            ).rowcount
            return (row.conversation_id, row.params["fallback_body"]) if taken else None

    def texts_since(self, conversation_id: str, since: dt.datetime) -> List[str]:
        """The texts the bot sent the citizen since `since`, oldest first (with
        buttons: the numbered text), except the echoes of what a voice note said."""
        with session_scope(self.engine) as s:
            rows = s.execute(
                sa.select(Row.kind, Row.params)
                .where(
                    Row.conversation_id == conversation_id,
                    Row.created_at >= since,
                    Row.kind.in_(("text", "interactive")),
                )
                .order_by(Row.id)
            ).all()
        return [
            (params.get("fallback_body") if kind == "interactive" else params.get("body")) or ""
            for kind, params in rows
            if not params.get("echo")
        ]

    def prune(self, older_than: dt.timedelta = dt.timedelta(days=7)) -> int:
        """Forgets sent and failed messages (whatsapp_outbound_messages keeps their statuses)."""
        with session_scope(self.engine) as s:
            return s.execute(
                sa.delete(Row)
                .where(Row.status != PENDING, Row.updated_at < utcnow() - older_than)
                .execution_options(synchronize_session=False)
            ).rowcount


@dataclass
class Delivery:
    """What one delivery did: MessageSids sent, messages failed, whether Twilio
    was unavailable (the rest waits for the next run)."""

    sent: List[str] = field(default_factory=list)
    failed: int = 0
    unavailable: bool = False


class OutboxSender:
    """Sends a conversation's pending messages in order, through Twilio."""

    def __init__(
        self,
        outbox: Outbox,
        store: ChannelStore,
        client: TwilioClient,
        whatsapp_number: str,
        status_url: Optional[str],
        run_blocking: Callable[..., Awaitable[Any]],
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ):
        self.outbox = outbox
        self.store = store
        self.client = client
        self.whatsapp_number = whatsapp_address(whatsapp_number)
        self.status_url = status_url
        self.db = run_blocking  # runs a blocking call off the event loop
        self.max_attempts = max_attempts

    async def send(self, conversation_id: str, phone: str, kind: str, params: Dict[str, Any]) -> Delivery:
        """Writes the message down, then delivers the conversation: the messages
        still pending before it first, then it."""
        owner = new_owner()
        try:
            first = await self.db(self.outbox.add_and_claim, conversation_id, kind, params, owner)
        except BaseException:
            await self.db(self.outbox.release, owner)
            raise
        return await self._deliver(first, owner, phone)

    async def deliver(self, conversation_id: str, owner: Optional[str] = None, phone: Optional[str] = None) -> Delivery:
        owner = owner or new_owner()
        try:
            phone = phone or await self.db(self.store.phone_for, conversation_id)
            first = await self.db(self.outbox.claim_next, conversation_id, owner)
        except BaseException:
            await self.db(self.outbox.release, owner)
            raise
        return await self._deliver(first, owner, phone)

    async def _deliver(self, message: Optional[OutboxMessage], owner: str, phone: Optional[str]) -> Delivery:
        """Sends `message` (claimed by `owner`) and the conversation's next ones, in
        order, until none is left or one cannot be sent now. Each claim that finds
        nothing to send gives back what `owner` still holds (Outbox.claim_next)."""
        done = Delivery()
        try:
            while message is not None:
                sent, error = await self._send_one(message, phone)
                if sent is not None:
                    done.sent.append(sent.sid)
                    message = await self._record_sent(message, sent, owner)
                    continue
                if error.worth_sending_later:
                    logger.warning(
                        "whatsapp: %s message to %s left in the outbox (attempt %d): %s",
                        message.kind,
                        mask_phone(phone or ""),
                        message.attempts + 1,
                        error,
                    )
                    await self.db(self.outbox.release, owner, error, message.id)
                    done.unavailable = True
                    break
                done.failed += 1
                message = await self.db(self.outbox.claim_next, message.conversation_id, owner)
            return done
        except BaseException:
            # Whatever is still held (a later message of this turn) goes to the job.
            await self.db(self.outbox.release, owner)
            raise

    async def _record_sent(self, message: OutboxMessage, sent: SentMessage, owner: str) -> Optional[OutboxMessage]:
        """Outbox.sent_and_claim_next, tried again for a while when the database
        refuses (busy, restarting): Twilio has the message, and a turn that failed
        here would be run again and send it twice."""
        delay = 0.2
        for _ in range(RECORD_ATTEMPTS - 1):
            try:
                return await self.db(self.outbox.sent_and_claim_next, message, sent.sid, sent.status, owner)
            except sa.exc.OperationalError as error:
                logger.warning(
                    "whatsapp: message %d sent as %s but not recorded yet (%s); again in %.1f s",
                    message.id,
                    sent.sid,
                    type(error).__name__,
                    delay,
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
        return await self.db(self.outbox.sent_and_claim_next, message, sent.sid, sent.status, owner)

    async def _send_one(
        self, message: OutboxMessage, phone: Optional[str]
    ) -> Tuple[Optional[SentMessage], Optional[TwilioError]]:
        """Sends one message: what Twilio took (the caller records it), or why it
        was not sent (recorded here)."""
        cid, kind = message.conversation_id, message.kind
        if message.attempts >= self.max_attempts or not phone:
            reason = f"gave up after {message.attempts} attempts" if phone else "no phone number for the conversation"
            logger.error(
                "whatsapp: %s message %d to %s not sent: %s", kind, message.id, mask_phone(phone or ""), reason
            )
            await self.db(self.outbox.mark_failed, message.id, None, reason)
            await self.db(self.store.record_outbound, cid, kind, None, "not_sent", None, reason)
            return None, TwilioError(0, None, reason)
        # What Twilio gets; the rest of a row's params is ours (the numbered text
        # for a refused list, whether a text is an echo of a voice note).
        params = {k: v for k, v in message.params.items() if k in TWILIO_PARAMS}
        fallback = message.params.get("fallback_body")
        try:
            try:
                sent = await self.client.send_message(
                    to=whatsapp_address(phone),
                    from_=self.whatsapp_number,
                    status_callback=self.status_url,
                    **params,
                )
            except TwilioError as error:
                if fallback is None or error.worth_sending_later:
                    raise
                # Buttons or a list Twilio refused (the content is gone, say): the numbered text.
                logger.warning(
                    "whatsapp: %s message to %s refused (%s); numbered text sent instead",
                    kind,
                    mask_phone(phone),
                    error,
                )
                sent = await self.client.send_message(
                    to=whatsapp_address(phone),
                    from_=self.whatsapp_number,
                    status_callback=self.status_url,
                    body=fallback,
                )
        except TwilioError as error:
            if not error.worth_sending_later:
                logger.error("whatsapp: %s message to %s not sent: %s", kind, mask_phone(phone), error)
                await self.db(self.outbox.mark_failed, message.id, error.code, error.message)
                await self.db(self.store.record_outbound, cid, kind, None, "not_sent", error.code, error.message)
            return None, error
        return sent, None

    async def deliver_due(self) -> Dict[str, int]:
        """The periodic job's work: every conversation with messages nobody is
        sending. Stops at the first one Twilio cannot take (still down: the next
        run tries again, rather than waiting out the retries of every citizen)."""
        counts = {"conversations": 0, "sent": 0, "failed": 0, "twilio_unavailable": 0}
        for conversation_id in await self.db(self.outbox.due_conversations):
            done = await self.deliver(conversation_id)
            counts["conversations"] += 1
            counts["sent"] += len(done.sent)
            counts["failed"] += done.failed
            if done.unavailable:
                counts["twilio_unavailable"] = 1
                break
        return counts
