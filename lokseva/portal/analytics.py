"""Figures for the analytics page: conversations (from Rasa's tracker store),
scheme questions and complaints per scheme, applications, decisions within the
Act's time limit, and payments.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lokseva.applications.lifecycle import OFFICE_IS_RESPONSIBLE, Status
from lokseva.applications.models import Application, StatusHistory
from lokseva.payments.models import Payment
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
    # (scheme, questions, complaints), most asked first; "" when no scheme was named
    by_scheme: List[Tuple[str, int, int]] = field(default_factory=list)

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
        stats.by_scheme = scheme_counts(engine, since)
    stats.messages_per_day = [
        (first_day + dt.timedelta(days=i), per_day.get(first_day + dt.timedelta(days=i), 0)) for i in range(days)
    ]
    return stats


SCHEME_QUESTION, SCHEME_COMPLAINT = "ask_scheme_info", "report_problem"


def _scheme_of(data: str) -> str:
    try:
        entities = (json.loads(data or "{}").get("parse_data") or {}).get("entities") or []
    except (ValueError, AttributeError):
        return ""
    return next((str(e["value"]) for e in entities if e.get("entity") == "scheme" and e.get("value")), "")


def scheme_counts(engine: Engine, since: float) -> List[Tuple[str, int, int]]:
    """Scheme questions and complaints since `since` per scheme named in the message."""
    e = EVENTS
    questions, complaints = Counter(), Counter()
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(e.c.intent_name, e.c.data).where(
                e.c.type_name == "user",
                e.c.timestamp >= since,
                e.c.intent_name.in_([SCHEME_QUESTION, SCHEME_COMPLAINT]),
            )
        )
        for intent, data in rows:
            (questions if intent == SCHEME_QUESTION else complaints)[_scheme_of(data)] += 1
    schemes = set(questions) | set(complaints)
    return sorted(((s, questions[s], complaints[s]) for s in schemes), key=lambda r: (-(r[1] + r[2]), r[0]))


# --- applications, time limits, payments (the application database) -------------


@dataclass
class ApplicationStats:
    days: int
    by_service: List[Tuple[str, int]] = field(default_factory=list)
    by_status: List[Tuple[str, int]] = field(default_factory=list)
    table: dict = field(default_factory=dict)  # service -> status -> count
    decided: int = 0
    decided_in_time: int = 0
    overdue_open: int = 0
    paid_total_paise: int = 0
    paid_count: int = 0
    paid_by_service: List[Tuple[str, int]] = field(default_factory=list)

    @property
    def share_in_time(self) -> Optional[float]:
        return self.decided_in_time / self.decided if self.decided else None


def application_stats(
    session, days: int = 30, now: Optional[dt.datetime] = None, district: str = ""
) -> ApplicationStats:
    """Applications submitted in the period by service and status; of those
    decided in the period, the share decided by their guaranteed date (the
    Lok Seva Guarantee Act's time limit); fees received in the period. Of one
    district (its code), or of the whole state."""
    now = now or dt.datetime.now(dt.timezone.utc)
    today = now.astimezone(IST).date()
    since = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time(0), IST)
    stats = ApplicationStats(days=days)
    in_district = Application.district_code == district if district else sa.true()
    submitted = sa.and_(Application.submitted_at >= since, Application.status != Status.DRAFT.value, in_district)
    for service_id, status, n in session.execute(
        sa.select(Application.service_id, Application.status, sa.func.count())
        .where(submitted)
        .group_by(Application.service_id, Application.status)
    ).all():
        stats.table.setdefault(service_id, {})[status] = n
    stats.by_service = sorted(((s, sum(v.values())) for s, v in stats.table.items()), key=lambda x: (-x[1], x[0]))
    by_status = Counter()
    for counts in stats.table.values():
        by_status.update(counts)
    stats.by_status = [(s.value, by_status[s.value]) for s in Status if by_status.get(s.value)]

    decided_at = sa.func.min(StatusHistory.changed_at).label("decided_at")
    rows = session.execute(
        sa.select(Application.due_date, decided_at)
        .join(StatusHistory, StatusHistory.application_id == Application.id)
        .where(StatusHistory.to_status.in_([Status.APPROVED.value, Status.REJECTED.value]), in_district)
        .group_by(Application.id, Application.due_date)
    ).all()
    for due, decided in rows:
        decided = decided if decided.tzinfo else decided.replace(tzinfo=dt.timezone.utc)
        if decided < since:
            continue
        stats.decided += 1
        if due is None or decided.astimezone(IST).date() <= due:
            stats.decided_in_time += 1
    stats.overdue_open = session.execute(
        sa.select(sa.func.count())
        .select_from(Application)
        .where(
            Application.status.in_([s.value for s in OFFICE_IS_RESPONSIBLE]),
            Application.due_date < today,
            in_district,
        )
    ).scalar_one()

    paid = sa.and_(Payment.status == "paid", Payment.paid_at >= since, in_district)
    stats.paid_count, stats.paid_total_paise = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Payment.amount_paise), 0))
        .select_from(Payment)
        .join(Application, Payment.application_id == Application.id)
        .where(paid)
    ).one()
    stats.paid_by_service = [
        (service_id, int(total))
        for service_id, total in session.execute(
            sa.select(Application.service_id, sa.func.sum(Payment.amount_paise))
            .join(Application, Payment.application_id == Application.id)
            .where(paid)
            .group_by(Application.service_id)
            .order_by(sa.desc(sa.func.sum(Payment.amount_paise)))
        ).all()
    ]
    return stats


@dataclass
class DistrictRow:
    """One district's line of the state's league table."""

    code: str
    submitted: int
    decided: int
    decided_in_time: int
    overdue_open: int

    @property
    def share_in_time(self) -> Optional[float]:
        return self.decided_in_time / self.decided if self.decided else None


def district_league(session, days: int = 30, now: Optional[dt.datetime] = None) -> List[DistrictRow]:
    """Every district with applications, side by side: the share decided within
    the time limit (best first; districts with no decision yet last), then volume."""
    codes = session.execute(sa.select(Application.district_code).distinct()).scalars().all()
    rows = []
    for code in sorted(c for c in codes if c):
        stats = application_stats(session, days, now, district=code)
        rows.append(
            DistrictRow(
                code, sum(n for _, n in stats.by_service), stats.decided, stats.decided_in_time, stats.overdue_open
            )
        )
    return sorted(rows, key=lambda r: (r.share_in_time is None, -(r.share_in_time or 0), -r.submitted, r.code))
