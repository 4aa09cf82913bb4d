"""Figures for the analytics page: conversations (from Rasa's tracker store),
applications, decisions within the Act's time limit, and payments.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lokseva.portal.conversations import EVENTS, FALLBACK_INTENT, has_events
from lokseva.portal.office import IST


@dataclass
class ConversationStats:
    days: int
    messages_per_day: List[Tuple[dt.date, int]] = field(default_factory=list)
    active_citizens_7: int = 0
    active_citizens_period: int = 0
    user_messages: int = 0
    fallbacks: int = 0
    top_intents: List[Tuple[str, int]] = field(default_factory=list)

    @property
    def fallback_rate(self) -> Optional[float]:
        return self.fallbacks / self.user_messages if self.user_messages else None


def conversation_stats(engine: Engine, days: int = 30, now: Optional[dt.datetime] = None) -> ConversationStats:
    now = (now or dt.datetime.now(dt.timezone.utc)).astimezone(IST)
    first_day = now.date() - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first_day, dt.time(0), IST).timestamp()
    week = (now - dt.timedelta(days=7)).timestamp()
    stats = ConversationStats(days=days)
    per_day = Counter()
    if has_events(engine):
        e = EVENTS
        users = sa.and_(e.c.type_name == "user", e.c.timestamp >= since)
        with engine.connect() as conn:
            # Bucketed here rather than in SQL: India time, the same on SQLite and PostgreSQL.
            for (timestamp,) in conn.execute(sa.select(e.c.timestamp).where(users)):
                per_day[dt.datetime.fromtimestamp(timestamp, IST).date()] += 1
            stats.active_citizens_period = conn.execute(
                sa.select(sa.func.count(sa.distinct(e.c.sender_id))).where(users)
            ).scalar_one()
            stats.active_citizens_7 = conn.execute(
                sa.select(sa.func.count(sa.distinct(e.c.sender_id))).where(
                    e.c.type_name == "user", e.c.timestamp >= week
                )
            ).scalar_one()
            intents = conn.execute(
                sa.select(e.c.intent_name, sa.func.count().label("n"))
                .where(users)
                .group_by(e.c.intent_name)
                .order_by(sa.desc("n"), e.c.intent_name)
            ).all()
        stats.user_messages = sum(n for _, n in intents)
        stats.fallbacks = sum(n for name, n in intents if name == FALLBACK_INTENT)
        stats.top_intents = [(name or "—", n) for name, n in intents][:12]
    stats.messages_per_day = [
        (first_day + dt.timedelta(days=i), per_day.get(first_day + dt.timedelta(days=i), 0)) for i in range(days)
    ]
    return stats
