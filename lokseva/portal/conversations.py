"""Conversations as Rasa stored them: read-only queries on the tracker store
(Rasa's SQLTrackerStore keeps one `events` table: id, sender_id, type_name,
timestamp, intent_name, action_name, data as JSON text).

A conversation is named in URLs by the id of its first event, never by the
sender id (on WhatsApp, the citizen's phone number). Everything shown to staff
is masked (lokseva.privacy.mask_text).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lokseva.portal.directory import shown
from lokseva.portal.office import IST
from lokseva.privacy import mask_text
from lokseva.text import digits as phone_digits

FALLBACK_INTENT = "nlu_fallback"
CORE_FALLBACK_ACTIONS = ("action_default_fallback",)

# Rasa's table, described here (not in our metadata: Rasa creates and owns it).
_metadata = sa.MetaData()
EVENTS = sa.Table(
    "events",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("type_name", sa.String(255)),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


def has_events(engine: Engine) -> bool:
    """False until Rasa has written its first conversation."""
    return sa.inspect(engine).has_table("events")


def _at(timestamp: Optional[float]) -> Optional[dt.datetime]:
    return dt.datetime.fromtimestamp(timestamp, IST) if timestamp else None


def _data(raw: Optional[str]) -> Dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass
class UserMessage:
    """A citizen's message and what the NLU made of it."""

    event_id: int
    sender_id: str
    at: Optional[dt.datetime]
    text: str  # as received (unmasked: mask before showing)
    intent: Optional[str]
    confidence: Optional[float]
    predicted_intent: Optional[str]  # for a fallback: the intent the model would have picked
    predicted_confidence: Optional[float]
    entities: List[Dict[str, Any]]
    message_key: str

    @property
    def is_fallback(self) -> bool:
        return self.intent == FALLBACK_INTENT

    def is_low_confidence(self, threshold: float) -> bool:
        confidence = self.predicted_confidence if self.is_fallback else self.confidence
        return confidence is not None and confidence < threshold


def parse_user_event(event_id: int, sender_id: str, timestamp: Optional[float], raw: Optional[str]) -> UserMessage:
    data = _data(raw)
    parse = data.get("parse_data") or {}
    intent = parse.get("intent") or {}
    ranking = [r for r in parse.get("intent_ranking") or [] if isinstance(r, dict)]
    predicted = next((r for r in ranking if r.get("name") != FALLBACK_INTENT), None)
    name = intent.get("name")
    confidence = intent.get("confidence")
    if name != FALLBACK_INTENT:
        predicted = {"name": name, "confidence": confidence}
    return UserMessage(
        event_id=event_id,
        sender_id=sender_id,
        at=_at(timestamp),
        text=str(data.get("text") or parse.get("text") or ""),
        intent=name,
        confidence=float(confidence) if confidence is not None else None,
        predicted_intent=(predicted or {}).get("name"),
        predicted_confidence=float(predicted["confidence"])
        if predicted and predicted.get("confidence") is not None
        else None,
        entities=[e for e in parse.get("entities") or [] if isinstance(e, dict)],
        message_key=str(data.get("message_id") or f"event:{event_id}")[:64],
    )


# --- search ------------------------------------------------------------------


@dataclass
class ConversationSummary:
    key: int
    sender_id: str  # never rendered: use sender_masked
    first_at: Optional[dt.datetime]
    last_at: Optional[dt.datetime]
    user_messages: int
    fallbacks: int
    sender_masked: str = ""


@dataclass
class ConversationFilter:
    phone: str = ""  # digits, at least the last four
    application_id: str = ""  # canonical JBA-2026-000123
    day: Optional[dt.date] = None
    intent: str = ""
    fallback_only: bool = False
    # Conversation ids the application database links to `phone` / `application_id`
    # (lokseva.portal.directory): on WhatsApp the sender id is a pseudonym.
    phone_senders: Sequence[str] = ()
    application_senders: Sequence[str] = ()
    # A district's code, and the conversation ids of its citizens
    # (lokseva.portal.directory.senders_in_district): only those conversations.
    district: str = ""
    district_senders: Sequence[str] = ()

    def is_empty(self) -> bool:
        return not (self.phone or self.application_id or self.day or self.intent or self.fallback_only or self.district)


def _default_mask(sender_ids: Sequence[str]) -> Dict[str, str]:
    """Without the application database: numbers that are sender ids, masked."""
    return {s: shown(s, {s: s} if len(phone_digits(s)) >= 10 and not s.startswith("wa-") else {}) for s in sender_ids}


def _day_bounds(day: dt.date) -> Tuple[float, float]:
    start = dt.datetime.combine(day, dt.time(0), IST)
    return start.timestamp(), (start + dt.timedelta(days=1)).timestamp()


def search(
    engine: Engine,
    filters: ConversationFilter,
    limit: int = 50,
    offset: int = 0,
    mask: Callable[[Sequence[str]], Dict[str, str]] = _default_mask,
) -> Tuple[List[ConversationSummary], int]:
    """Conversations matching every filter, the latest first; `mask` gives what
    staff see for each sender id (lokseva.portal.directory.masked_senders)."""
    if not has_events(engine):
        return [], 0
    e = EVENTS
    senders = []  # each: a condition on sender_id that one filter sets
    digits = phone_digits(filters.phone)
    if digits:
        senders.append(
            sa.or_(
                e.c.sender_id.in_(list(filters.phone_senders)),
                e.c.sender_id.in_(sa.select(e.c.sender_id).where(e.c.sender_id.like(f"%{digits}"))),
            )
        )
    if filters.application_id:
        senders.append(
            sa.or_(
                e.c.sender_id.in_(list(filters.application_senders)),
                e.c.sender_id.in_(sa.select(e.c.sender_id).where(e.c.data.like(f"%{filters.application_id}%"))),
            )
        )
    if filters.day:
        start, end = _day_bounds(filters.day)
        senders.append(e.c.sender_id.in_(sa.select(e.c.sender_id).where(e.c.timestamp >= start, e.c.timestamp < end)))
    if filters.intent:
        senders.append(
            e.c.sender_id.in_(
                sa.select(e.c.sender_id).where(e.c.type_name == "user", e.c.intent_name == filters.intent)
            )
        )
    if filters.district:
        senders.append(e.c.sender_id.in_(list(filters.district_senders)))
    if filters.fallback_only:
        senders.append(
            e.c.sender_id.in_(
                sa.select(e.c.sender_id).where(
                    sa.or_(e.c.intent_name == FALLBACK_INTENT, e.c.action_name.in_(CORE_FALLBACK_ACTIONS))
                )
            )
        )
    is_user = sa.case((e.c.type_name == "user", 1), else_=0)
    is_fallback = sa.case((sa.and_(e.c.type_name == "user", e.c.intent_name == FALLBACK_INTENT), 1), else_=0)
    query = sa.select(
        e.c.sender_id,
        sa.func.min(e.c.id).label("key"),
        sa.func.min(e.c.timestamp).label("first"),
        sa.func.max(e.c.timestamp).label("last"),
        sa.func.sum(is_user).label("users"),
        sa.func.sum(is_fallback).label("fallbacks"),
    )
    for condition in senders:
        query = query.where(condition)
    query = query.group_by(e.c.sender_id).having(sa.func.sum(is_user) > 0)
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
        rows = conn.execute(query.order_by(sa.desc("last")).limit(limit).offset(offset)).all()
    found = [
        ConversationSummary(
            key=row.key,
            sender_id=row.sender_id,
            first_at=_at(row.first),
            last_at=_at(row.last),
            user_messages=int(row.users or 0),
            fallbacks=int(row.fallbacks or 0),
        )
        for row in rows
    ]
    shown = mask([c.sender_id for c in found])
    for conversation in found:
        conversation.sender_masked = shown.get(conversation.sender_id, "")
    return found, total


def sender_of(engine: Engine, key: int) -> Optional[str]:
    if not has_events(engine):
        return None
    with engine.connect() as conn:
        return conn.execute(sa.select(EVENTS.c.sender_id).where(EVENTS.c.id == key)).scalar_one_or_none()


def key_of(engine: Engine, sender_id: str) -> Optional[int]:
    """The URL key of a sender's conversation (None when Rasa has nothing for it)."""
    if not has_events(engine):
        return None
    with engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.min(EVENTS.c.id)).where(EVENTS.c.sender_id == sender_id)
        ).scalar_one_or_none()


# --- transcript ----------------------------------------------------------------


@dataclass
class Turn:
    kind: str  # user | bot | action | slot | session
    event_id: int
    at: Optional[dt.datetime]
    text: str = ""
    intent: Optional[str] = None
    confidence: Optional[float] = None
    predicted_intent: Optional[str] = None
    entities: List[Tuple[str, str]] = field(default_factory=list)
    low_confidence: bool = False
    fallback: bool = False
    name: str = ""  # action or slot name
    buttons: List[str] = field(default_factory=list)


# Bookkeeping that says nothing to a reader of the conversation.
_HIDDEN_ACTIONS = {"action_listen", "action_session_start", "action_detect_language"}
_SHOWN_TYPES = ("user", "bot", "action", "slot", "session_started")


def transcript(engine: Engine, sender_id: str, threshold: float, limit: int = 2000) -> List[Turn]:
    e = EVENTS
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(e.c.id, e.c.type_name, e.c.timestamp, e.c.action_name, e.c.data)
            .where(e.c.sender_id == sender_id, e.c.type_name.in_(_SHOWN_TYPES))
            .order_by(e.c.id.desc())
            .limit(limit)
        ).all()
    turns: List[Turn] = []
    for row in reversed(rows):
        at = _at(row.timestamp)
        if row.type_name == "user":
            message = parse_user_event(row.id, sender_id, row.timestamp, row.data)
            turns.append(
                Turn(
                    kind="user",
                    event_id=row.id,
                    at=at,
                    text=mask_text(message.text),
                    intent=message.intent,
                    confidence=message.confidence,
                    predicted_intent=message.predicted_intent if message.is_fallback else None,
                    entities=[(str(x.get("entity")), mask_text(str(x.get("value")))) for x in message.entities],
                    low_confidence=message.is_low_confidence(threshold),
                    fallback=message.is_fallback,
                )
            )
        elif row.type_name == "bot":
            data = _data(row.data)
            buttons = [
                str(b.get("title", "")) for b in (data.get("data") or {}).get("buttons") or [] if isinstance(b, dict)
            ]
            turns.append(
                Turn(kind="bot", event_id=row.id, at=at, text=mask_text(data.get("text") or ""), buttons=buttons)
            )
        elif row.type_name == "action":
            if row.action_name in _HIDDEN_ACTIONS:
                continue
            turns.append(
                Turn(
                    kind="action",
                    event_id=row.id,
                    at=at,
                    name=row.action_name or "",
                    fallback=row.action_name in CORE_FALLBACK_ACTIONS,
                )
            )
        elif row.type_name == "slot":
            data = _data(row.data)
            name = str(data.get("name") or "")
            if name in ("language", "district_name", "requested_slot"):
                continue
            value = data.get("value")
            shown = (
                ""
                if value is None
                else mask_text(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
            )
            turns.append(Turn(kind="slot", event_id=row.id, at=at, name=name, text=shown[:200]))
        else:
            turns.append(Turn(kind="session", event_id=row.id, at=at))
    return turns


def last_user_texts(engine: Engine, sender_id: str, count: int = 5) -> List[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(EVENTS.c.id, EVENTS.c.timestamp, EVENTS.c.data)
            .where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name == "user")
            .order_by(EVENTS.c.id.desc())
            .limit(count)
        ).all()
    return [parse_user_event(r.id, sender_id, r.timestamp, r.data).text for r in reversed(rows)]


# --- messages the model was unsure of (the trainer inbox) -----------------------


def unsure_messages(
    engine: Engine,
    threshold: float,
    exclude_keys: set,
    want: int = 200,
    batch: int = 2000,
    max_scan: int = 100_000,
) -> Iterator[UserMessage]:
    """Newest first: citizens' messages that ended in nlu_fallback or whose
    intent confidence is below `threshold`, skipping `exclude_keys` (already
    decided) and button payloads ("/intent")."""
    if not has_events(engine):
        return
    e = EVENTS
    before: Optional[int] = None
    found = scanned = 0
    with engine.connect() as conn:
        while found < want and scanned < max_scan:
            query = sa.select(e.c.id, e.c.sender_id, e.c.timestamp, e.c.data).where(e.c.type_name == "user")
            if before is not None:
                query = query.where(e.c.id < before)
            rows = conn.execute(query.order_by(e.c.id.desc()).limit(batch)).all()
            if not rows:
                return
            for row in rows:
                message = parse_user_event(row.id, row.sender_id, row.timestamp, row.data)
                text = message.text.strip()
                if not text or text.startswith("/") or message.message_key in exclude_keys:
                    continue
                if message.is_fallback or message.is_low_confidence(threshold):
                    found += 1
                    yield message
                    if found >= want:
                        return
            scanned += len(rows)
            before = rows[-1].id


def user_messages_by_id(engine: Engine, event_ids: List[int]) -> List[UserMessage]:
    if not event_ids or not has_events(engine):
        return []
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.data).where(
                EVENTS.c.id.in_(event_ids), EVENTS.c.type_name == "user"
            )
        ).all()
    return [parse_user_event(r.id, r.sender_id, r.timestamp, r.data) for r in rows]
