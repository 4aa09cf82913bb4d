"""The channel's records: contacts, the inbox of webhooks, delivery statuses.

Plain synchronous SQLAlchemy (2.0 style) behind one class; the async channel
calls it through its own threads (WhatsAppInput.db) so the event loop never waits
on the database.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Set, Union

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokseva.channels.identity import conversation_id as make_conversation_id
from lokseva.channels.identity import CONVERSATION_PREFIX, normalise_phone
from lokseva.channels.models import WhatsAppContact, WhatsAppInboundMessage, WhatsAppOutboundMessage
from lokseva.db import session_scope
from lokseva.privacy import mask_phone, redact_text
from lokseva.privacy.at_rest import SEALED, sealed_fields, unsealed_fields, without_seal
from lokseva.signing import Keyring, keyring

logger = logging.getLogger(__name__)

SESSION_WINDOW = dt.timedelta(hours=24)  # WhatsApp's customer-service window
LEASE = dt.timedelta(seconds=30)  # a pending message's owner renews it every 10 s: a dead owner's wait
PENDING, DONE, FAILED, IGNORED = "pending", "done", "failed", "ignored"
FORGOTTEN = "-"  # the conversation of a pruned inbox row: no longer anyone's
# Delivery statuses in the order they happen; a late callback never moves one back.
_STATUS_RANK = {"not_sent": 0, "accepted": 1, "queued": 2, "sending": 3, "sent": 4, "delivered": 5, "read": 6}
_FINAL_FAILURES = ("failed", "undelivered")


def utcnow() -> dt.datetime:
    """Naive UTC: SQLite keeps no time zone, so every timestamp is UTC without one."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class PendingMessage:
    message_sid: str
    conversation_id: str
    params: Dict[str, Any]


@dataclass(frozen=True)
class TurnStart:
    """What begin_turn found. `ready`: the turn may run now (`buttons`: the bot's
    last buttons; `attempts`: how many times a turn of this message was begun
    before, by a process that then died; `speak_replies`: the citizen's spoken-replies
    setting, read in the same transaction). Otherwise `already_done` (another
    delivery or process ran it) or `earlier` (the oldest message of the same
    citizen still pending: it must be answered first, whichever process holds it).
    """

    ready: bool
    buttons: Optional[List[Dict[str, str]]] = None
    attempts: int = 0
    speak_replies: bool = False  # the citizen asked to hear every reply (read with the buttons)
    already_done: bool = False
    earlier: Optional["EarlierMessage"] = None


@dataclass(frozen=True)
class EarlierMessage:
    message_sid: str
    params: Dict[str, Any]
    owner: Optional[str]
    lease_until: Optional[dt.datetime]

    def abandoned(self, now: dt.datetime) -> bool:
        return self.lease_until is None or self.lease_until < now


class ChannelStore:
    def __init__(self, engine: Engine, signing_key: Union[Keyring, str]):
        """`signing_key`: the conversation keyring (settings.keyring("conversation")),
        or SIGNING_KEY itself as a string."""
        self.engine = engine
        self.signing_key = signing_key
        self._known_contacts: Set[str] = set()  # conversation ids whose contact row exists
        self._ids: Dict[str, str] = {}  # phone -> conversation id, once looked up

    # ------------------------------------------------------------ contacts

    def conversation_for(self, phone: str) -> str:
        """The citizen's conversation id: the one recorded for this number (made
        under whichever key was newest then), or a new one under the newest key."""
        phone = normalise_phone(phone)
        ring = keyring("conversation", self.signing_key)
        if len(ring.keys) == 1:
            # No rotation under way: the id is the newest key's, no database needed
            # (the webhook calls this on the event loop).
            return make_conversation_id(phone, ring)
        known = self._ids.get(phone)
        if known:
            return known
        recorded = None
        if self.engine is not None:
            with session_scope(self.engine) as s:
                recorded = s.execute(
                    sa.select(WhatsAppContact.conversation_id)
                    .where(WhatsAppContact.phone == phone)
                    .order_by(WhatsAppContact.created_at)
                    .limit(1)
                ).scalar_one_or_none()
        cid = recorded or make_conversation_id(phone, self.signing_key)
        if recorded:
            self._ids[phone] = cid
        return cid

    def ensure_contact(self, phone: str) -> str:
        """Records the number (once) and returns its conversation id."""
        phone = normalise_phone(phone)
        cid = self.conversation_for(phone)
        if cid in self._known_contacts:
            return cid
        try:
            with session_scope(self.engine) as s:
                if s.get(WhatsAppContact, cid) is None:
                    s.add(WhatsAppContact(conversation_id=cid, phone=phone, created_at=utcnow()))
        except IntegrityError:
            pass  # another process recorded it first
        self._known_contacts.add(cid)
        return cid

    def phone_for(self, conversation_id: str) -> Optional[str]:
        return contact_phone(self.engine, conversation_id)

    def last_inbound_at(self, conversation_id: str) -> Optional[dt.datetime]:
        with session_scope(self.engine) as s:
            return s.execute(
                sa.select(WhatsAppContact.last_inbound_at).where(WhatsAppContact.conversation_id == conversation_id)
            ).scalar_one_or_none()

    def within_session_window(self, conversation_id: str, now: Optional[dt.datetime] = None) -> bool:
        """May a free-form message be sent? Only within 24 h of the citizen's last message."""
        last = self.last_inbound_at(conversation_id)
        return last is not None and (now or utcnow()) - last < SESSION_WINDOW

    def set_last_inbound(self, conversation_id: str, when: dt.datetime) -> None:
        with session_scope(self.engine) as s:
            s.execute(
                sa.update(WhatsAppContact)
                .where(WhatsAppContact.conversation_id == conversation_id)
                .values(last_inbound_at=when)
            )

    def get_buttons(self, conversation_id: str) -> Optional[List[Dict[str, str]]]:
        with session_scope(self.engine) as s:
            return s.execute(
                sa.select(WhatsAppContact.last_buttons).where(WhatsAppContact.conversation_id == conversation_id)
            ).scalar_one_or_none()

    def set_buttons(self, conversation_id: str, buttons: Optional[List[Dict[str, str]]]) -> None:
        with session_scope(self.engine) as s:
            s.execute(
                sa.update(WhatsAppContact)
                .where(WhatsAppContact.conversation_id == conversation_id)
                .values(last_buttons=buttons or None)
            )

    # ------------------------------------------------------------ spoken replies

    def speaks_replies(self, conversation_id: str) -> bool:
        """Has the citizen asked to hear every reply ("हमेशा बोलकर जवाब दो")?"""
        with session_scope(self.engine) as s:
            return bool(
                s.execute(
                    sa.select(WhatsAppContact.speak_replies).where(WhatsAppContact.conversation_id == conversation_id)
                ).scalar_one_or_none()
            )

    def set_spoken_replies(self, conversation_id: str, on: bool) -> None:
        """On or off; once chosen, the offer is never made (again)."""
        with session_scope(self.engine) as s:
            s.execute(
                sa.update(WhatsAppContact)
                .where(WhatsAppContact.conversation_id == conversation_id)
                .values(speak_replies=on, voice_offered_at=sa.func.coalesce(WhatsAppContact.voice_offered_at, utcnow()))
            )

    def claim_voice_offer(self, conversation_id: str) -> bool:
        """True once per citizen (across processes): the moment to offer spoken replies."""
        with session_scope(self.engine) as s:
            return (
                s.execute(
                    sa.update(WhatsAppContact)
                    .where(
                        WhatsAppContact.conversation_id == conversation_id,
                        WhatsAppContact.voice_offered_at.is_(None),
                        WhatsAppContact.speak_replies.is_(False),
                    )
                    .values(voice_offered_at=utcnow())
                ).rowcount
                == 1
            )

    # ------------------------------------------------------------ inbox

    def record_inbound(self, message_sid: str, phone: str, params: Dict[str, Any], owner: str) -> bool:
        """Records a webhook; False when this MessageSid was recorded before (a redelivery).

        One transaction: the contact (first message only), the inbox row and the
        start of the 24-hour window. The primary key decides which of concurrent
        deliveries wins.
        """
        phone = normalise_phone(phone)
        cid = self.conversation_for(phone)
        for _ in range(2):
            now = utcnow()
            try:
                with session_scope(self.engine) as s:
                    if cid not in self._known_contacts and s.get(WhatsAppContact, cid) is None:
                        s.add(WhatsAppContact(conversation_id=cid, phone=phone, created_at=now))
                    s.add(
                        WhatsAppInboundMessage(
                            message_sid=message_sid,
                            conversation_id=cid,
                            params=sealed_fields(params),
                            status=PENDING,
                            owner=owner,
                            lease_until=now + LEASE,
                            attempts=0,
                            received_at=now,
                        )
                    )
                    s.flush()
                    updated = s.execute(
                        sa.update(WhatsAppContact)
                        .where(WhatsAppContact.conversation_id == cid)
                        .values(last_inbound_at=now)
                    ).rowcount
                    if not updated:  # the contact was deleted since we cached it
                        s.add(WhatsAppContact(conversation_id=cid, phone=phone, created_at=now, last_inbound_at=now))
                self._known_contacts.add(cid)
                return True
            except IntegrityError:
                if self.inbound_status(message_sid) is not None:
                    logger.info("whatsapp: redelivery of %s from %s ignored", message_sid, mask_phone(phone))
                    return False
                # The contact was recorded by another process at the same moment: once more.
                self._known_contacts.add(cid)
        raise RuntimeError(f"could not record {message_sid}")

    def begin_turn(self, message_sid: str, conversation_id: str, owner: str) -> TurnStart:
        """Marks the message as being processed and hands over (and forgets) the
        buttons of the bot's last message: a reply can only answer that message.

        Not while an earlier message of the same citizen is still pending: with
        several Rasa processes, the citizen's messages may have reached different
        ones (a replica died, the load balancer moved the citizen), and the order
        across processes is kept here, in the one database they share.
        """
        with session_scope(self.engine) as s:
            inbox = WhatsAppInboundMessage
            me = s.get(inbox, message_sid)
            if me is None or me.status != PENDING:
                return TurnStart(ready=False, already_done=True)
            earlier = s.execute(
                sa.select(inbox.message_sid, inbox.params, inbox.owner, inbox.lease_until)
                .where(
                    inbox.conversation_id == conversation_id,
                    inbox.status == PENDING,
                    sa.or_(
                        inbox.received_at < me.received_at,
                        sa.and_(inbox.received_at == me.received_at, inbox.message_sid < message_sid),
                    ),
                )
                .order_by(inbox.received_at, inbox.message_sid)
                .limit(1)
            ).first()
            if earlier is not None:
                return TurnStart(ready=False, earlier=EarlierMessage(*earlier))
            attempts = me.attempts or 0
            me.owner = owner
            me.lease_until = utcnow() + LEASE
            me.attempts = attempts + 1
            contact = s.get(WhatsAppContact, conversation_id)
            buttons = contact.last_buttons if contact is not None else None
            if buttons:
                contact.last_buttons = None
            speak = bool(contact is not None and contact.speak_replies)
            return TurnStart(ready=True, buttons=buttons, attempts=attempts, speak_replies=speak)

    def take_over(self, message_sid: str, owner: str, now: Optional[dt.datetime] = None) -> bool:
        """Claims a pending message whose holder's lease ran out (or this process's
        own); True for exactly one of several processes trying at once."""
        now = now or utcnow()
        with session_scope(self.engine) as s:
            inbox = WhatsAppInboundMessage
            return bool(
                s.execute(
                    sa.update(inbox)
                    .where(
                        inbox.message_sid == message_sid,
                        inbox.status == PENDING,
                        sa.or_(inbox.owner == owner, inbox.lease_until.is_(None), inbox.lease_until < now),
                    )
                    .values(owner=owner, lease_until=now + LEASE)
                ).rowcount
            )

    def finish(self, message_sid: str, status: str, error: Optional[str] = None) -> None:
        """Done with a message: its clear text (sealed while it waited) goes."""
        with session_scope(self.engine) as s:
            row = s.get(WhatsAppInboundMessage, message_sid)
            if row is None:
                return
            row.status, row.error, row.processed_at, row.lease_until = (
                status,
                redact_text(error) if error else error,
                utcnow(),
                None,
            )
            if SEALED in (row.params or {}):
                row.params = without_seal(row.params)

    def previous_message_at(self, conversation_id: str, message_sid: str) -> Optional[dt.datetime]:
        """When the citizen's message before `message_sid` came: the start of the
        turn whose answer "सुनाओ" asks to hear."""
        with session_scope(self.engine) as s:
            current = (
                sa.select(WhatsAppInboundMessage.received_at)
                .where(WhatsAppInboundMessage.message_sid == message_sid)
                .scalar_subquery()
            )
            return s.execute(
                sa.select(sa.func.max(WhatsAppInboundMessage.received_at)).where(
                    WhatsAppInboundMessage.conversation_id == conversation_id,
                    WhatsAppInboundMessage.message_sid != message_sid,
                    WhatsAppInboundMessage.received_at <= current,
                )
            ).scalar_one_or_none()

    def inbound_status(self, message_sid: str) -> Optional[str]:
        with session_scope(self.engine) as s:
            return s.execute(
                sa.select(WhatsAppInboundMessage.status).where(WhatsAppInboundMessage.message_sid == message_sid)
            ).scalar_one_or_none()

    def renew_leases(self, owner: str) -> int:
        """Keeps this process's pending messages its own while it is alive."""
        with session_scope(self.engine) as s:
            return s.execute(
                sa.update(WhatsAppInboundMessage)
                .where(WhatsAppInboundMessage.owner == owner, WhatsAppInboundMessage.status == PENDING)
                .values(lease_until=utcnow() + LEASE)
            ).rowcount

    def claim_abandoned(self, owner: str, limit: int = 100, max_attempts: int = 3) -> List[PendingMessage]:
        """Pending messages of processes that died (lease expired), now owned by `owner`.

        The conditional UPDATE makes the claim atomic: of several processes
        sweeping at once, exactly one gets each message.
        """
        now = utcnow()
        claimed: List[PendingMessage] = []
        with session_scope(self.engine) as s:
            rows = (
                s.execute(
                    sa.select(WhatsAppInboundMessage)
                    .where(
                        WhatsAppInboundMessage.status == PENDING,
                        WhatsAppInboundMessage.lease_until < now,
                    )
                    .order_by(WhatsAppInboundMessage.received_at)
                    .limit(limit)
                )
                .scalars()
                .all()
            )
            candidates = [(r.message_sid, r.owner, r.conversation_id, r.params, r.attempts) for r in rows]
        for sid, _old_owner, cid, params, attempts in candidates:
            with session_scope(self.engine) as s:
                if attempts >= max_attempts:
                    s.execute(
                        sa.update(WhatsAppInboundMessage)
                        .where(WhatsAppInboundMessage.message_sid == sid, WhatsAppInboundMessage.status == PENDING)
                        .values(status=FAILED, error="gave up after repeated crashes", processed_at=now)
                    )
                    continue
                won = s.execute(
                    sa.update(WhatsAppInboundMessage)
                    .where(
                        WhatsAppInboundMessage.message_sid == sid,
                        WhatsAppInboundMessage.status == PENDING,
                        WhatsAppInboundMessage.lease_until < now,
                    )
                    .values(owner=owner, lease_until=now + LEASE)
                ).rowcount
            if won:
                claimed.append(PendingMessage(sid, cid, unsealed_fields(params)))
        return claimed

    def prune_inbox(self, older_than: dt.timedelta = dt.timedelta(days=7)) -> int:
        """Forgets what processed webhooks said once Twilio can no longer redeliver
        them, but keeps their MessageSid: Twilio's signature has no timestamp, so a
        copied webhook stays validly signed for ever, and only the kept sid stops
        a replay from running again. What is left names nobody (no fields, no
        conversation)."""
        with session_scope(self.engine) as s:
            return s.execute(
                sa.update(WhatsAppInboundMessage)
                .where(
                    WhatsAppInboundMessage.status != PENDING,
                    WhatsAppInboundMessage.received_at < utcnow() - older_than,
                    WhatsAppInboundMessage.conversation_id != FORGOTTEN,
                )
                .values(params={}, conversation_id=FORGOTTEN, error=None)
            ).rowcount

    # ------------------------------------------------------------ outbound

    def record_outbound(
        self,
        conversation_id: Optional[str],
        kind: str,
        message_sid: Optional[str],
        status: str,
        error_code: Optional[int] = None,
        error_message: Optional[str] = None,
    ) -> None:
        """A sent (or refused) message's delivery record (record_outbound, in a transaction of its own)."""
        with session_scope(self.engine) as s:
            record_outbound(s, conversation_id, kind, message_sid, status, error_code, error_message)

    def update_status(
        self, message_sid: str, status: str, error_code: Optional[int] = None, error_message: Optional[str] = None
    ) -> None:
        """Records a delivery status callback; callbacks may arrive out of order."""
        status = (status or "").lower()
        now = utcnow()
        for _ in range(2):
            try:
                with session_scope(self.engine) as s:
                    row = s.execute(
                        sa.select(WhatsAppOutboundMessage).where(WhatsAppOutboundMessage.message_sid == message_sid)
                    ).scalar_one_or_none()
                    if row is None:
                        s.add(
                            WhatsAppOutboundMessage(
                                message_sid=message_sid,
                                kind="unknown",
                                status=status,
                                error_code=error_code,
                                error_message=error_message,
                                created_at=now,
                                updated_at=now,
                            )
                        )
                        return
                    if row.status in _FINAL_FAILURES:
                        return
                    if status in _FINAL_FAILURES or _STATUS_RANK.get(status, -1) > _STATUS_RANK.get(row.status, -1):
                        row.status = status
                        row.updated_at = now
                    if error_code is not None:
                        row.error_code = error_code
                        row.error_message = error_message
                return
            except IntegrityError:
                continue

    def outbound(self, conversation_id: Optional[str] = None, message_sid: Optional[str] = None) -> List[Dict]:
        query = sa.select(WhatsAppOutboundMessage).order_by(WhatsAppOutboundMessage.id)
        if conversation_id:
            query = query.where(WhatsAppOutboundMessage.conversation_id == conversation_id)
        if message_sid:
            query = query.where(WhatsAppOutboundMessage.message_sid == message_sid)
        with session_scope(self.engine) as s:
            return [
                {
                    "message_sid": r.message_sid,
                    "conversation_id": r.conversation_id,
                    "kind": r.kind,
                    "status": r.status,
                    "error_code": r.error_code,
                    "error_message": r.error_message,
                }
                for r in s.execute(query).scalars()
            ]


def contact_phone(engine: Engine, conversation_id: Optional[str]) -> Optional[str]:
    """The number behind a WhatsApp conversation id ("wa-…", a pseudonym), as the
    channel recorded it when the citizen first wrote; None for another channel's
    sender id."""
    if not conversation_id or not conversation_id.startswith(CONVERSATION_PREFIX):
        return None
    with session_scope(engine) as s:
        return s.execute(
            sa.select(WhatsAppContact.phone).where(WhatsAppContact.conversation_id == conversation_id)
        ).scalar_one_or_none()


def record_outbound(
    s: Session,
    conversation_id: Optional[str],
    kind: str,
    message_sid: Optional[str],
    status: str,
    error_code: Optional[int] = None,
    error_message: Optional[str] = None,
) -> None:
    """A sent (or refused) message's delivery record, in the caller's transaction.
    A status callback may have created the row of `message_sid` first: then it
    gets its conversation and kind (the savepoint keeps the rest of the
    transaction when both write at the same moment)."""
    now = utcnow()
    for _ in range(2):
        row = None
        if message_sid:
            row = s.execute(
                sa.select(WhatsAppOutboundMessage).where(WhatsAppOutboundMessage.message_sid == message_sid)
            ).scalar_one_or_none()
        if row is not None:
            row.conversation_id = conversation_id
            row.kind = kind
            return
        try:
            with s.begin_nested():
                s.add(
                    WhatsAppOutboundMessage(
                        message_sid=message_sid,
                        conversation_id=conversation_id,
                        kind=kind,
                        status=status,
                        error_code=error_code,
                        error_message=error_message,
                        created_at=now,
                        updated_at=now,
                    )
                )
            return
        except IntegrityError:
            continue
