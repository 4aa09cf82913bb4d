"""The notification outbox: written by the domain, leased and marked by the
channel's sender (lokseva.channels.proactive), listed for staff.

Never twice at once: a row is sent only by the holder of its lease (taken with
a conditional UPDATE, lokseva/db/leases.py), longer than one send with all its
retries. In order: a citizen's rows go oldest first; a delivery stops at the
first row it cannot send now (held by another delivery, or waiting for its next
retry), so a later message never overtakes an earlier one. A failed or withdrawn
row does not hold back the ones after it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Set

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokseva.clock import aware, now_utc
from lokseva.db import session_scope
from lokseva.db.leases import held_by_another, take
from lokseva.notifications.models import FAILED, PENDING, SENT, WITHDRAWN, Notification

# Longer than one send with its retries (Rasa answers a trigger in seconds; the
# sender waits at most 60 s per try, three tries), so a lease never runs out
# while its holder is still sending.
LEASE = dt.timedelta(minutes=5)
# After a failed try the next one waits 1, 2, 4 … minutes, at most an hour.
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=1)
DEFAULT_MAX_ATTEMPTS = 30  # about a day of the channel being down

log = logging.getLogger(__name__)

# Who wants to know, once a unit of work that wrote notifications is committed,
# which citizens have new ones: a process that can send them registers here (the
# web app's process registers the channel's sender, so the citizen hears at
# once); the outbox job sends whatever it did not.
_on_committed: List[Callable[[Set[int]], None]] = []


def on_committed(listener: Callable[[Set[int]], None]) -> None:
    """Calls `listener(citizen_ids)` after each commit that wrote notifications."""
    if listener not in _on_committed:
        _on_committed.append(listener)


def _remember(session: Session, citizen_id: int) -> None:
    waiting = session.info.setdefault("notification_citizens", set())
    if not waiting:
        event.listen(session, "after_commit", _committed, once=True)
        event.listen(session, "after_rollback", _forget, once=True)
    waiting.add(citizen_id)


def _committed(session: Session) -> None:
    citizens = session.info.pop("notification_citizens", set())
    for listener in list(_on_committed) if citizens else ():
        try:
            listener(set(citizens))
        except Exception:  # the job sends them anyway
            log.exception("notification listener %r failed", listener)


def _forget(session: Session) -> None:
    session.info.pop("notification_citizens", None)


def application_subject(reference: str) -> str:
    """The subject of the notifications about one application (staff see them on its page)."""
    return f"application:{reference}"


def enqueue(
    session: Session,
    citizen_id: int,
    key: str,
    variables: Mapping[str, Any],
    language: Optional[str] = None,
    *,
    subject: Optional[str] = None,
    dedupe_key: Optional[str] = None,
    attachment: Optional[Mapping[str, str]] = None,
    now: Optional[dt.datetime] = None,
) -> Optional[int]:
    """Writes a notification for the citizen in the caller's unit of work.
    Returns its id, or None when `dedupe_key` was written before."""
    moment = now or now_utc()
    row = Notification(
        citizen_id=citizen_id,
        key=key,
        variables={k: str(v) for k, v in variables.items()},
        language=language,
        subject=subject,
        dedupe_key=dedupe_key,
        attachment=dict(attachment) if attachment else None,
        status=PENDING,
        attempts=0,
        created_at=moment,
        updated_at=moment,
    )
    if dedupe_key is None:
        session.add(row)
        session.flush()
    else:
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            return None
    _remember(session, citizen_id)
    return row.id


def withdraw(session: Session, subject: str, keys: Optional[List[str]] = None, why: str = "") -> int:
    """Withdraws the pending notifications about `subject` (of these keys) that a
    change made untrue, in the caller's unit of work (nobody sends them after)."""
    query = sa.update(Notification).where(Notification.subject == subject, Notification.status == PENDING)
    if keys:
        query = query.where(Notification.key.in_(keys))
    return session.execute(
        query.values(
            status=WITHDRAWN, last_error=why or "withdrawn", owner=None, lease_until=None, updated_at=now_utc()
        ).execution_options(synchronize_session=False)
    ).rowcount


@dataclass(frozen=True)
class Due:
    """A notification taken for sending."""

    id: int
    citizen_id: int
    key: str
    variables: Dict[str, str]
    language: Optional[str]
    attachment: Optional[Dict[str, str]]
    attempts: int  # tries before this one


def due_citizens(engine: Engine, now: Optional[dt.datetime] = None, limit: int = 500) -> List[int]:
    """Citizens with a pending notification nobody holds and not waiting for its
    next try, longest waiting first."""
    now = now or now_utc()
    with session_scope(engine) as s:
        return list(
            s.execute(
                sa.select(Notification.citizen_id)
                .where(
                    Notification.status == PENDING,
                    sa.or_(Notification.lease_until.is_(None), Notification.lease_until < now),
                    sa.or_(Notification.not_before.is_(None), Notification.not_before <= now),
                )
                .group_by(Notification.citizen_id)
                .order_by(sa.func.min(Notification.id))
                .limit(limit)
            ).scalars()
        )


def claim_next(engine: Engine, citizen_id: int, owner: str, now: Optional[dt.datetime] = None) -> Optional[Due]:
    """The citizen's oldest pending notification, now held by `owner`; None when
    nothing is pending, or the oldest is held by another delivery or waits for
    its next retry (the order)."""
    now = now or now_utc()
    with session_scope(engine) as s:
        row = s.execute(
            sa.select(Notification)
            .where(Notification.citizen_id == citizen_id, Notification.status == PENDING)
            .order_by(Notification.id)
            .limit(1)
        ).scalar_one_or_none()
        if row is None:
            return None
        due = Due(
            row.id,
            row.citizen_id,
            row.key,
            dict(row.variables or {}),
            row.language,
            dict(row.attachment) if row.attachment else None,
            row.attempts,
        )
        if held_by_another(row.owner, aware(row.lease_until), owner, now):
            return None
        if row.not_before is not None and aware(row.not_before) > now:
            return None
    with session_scope(engine) as s:
        return due if take(s, Notification, due.id, owner, now, LEASE, PENDING) else None


def mark_sent(engine: Engine, notification_id: int, note: Optional[str] = None) -> None:
    _finish(engine, notification_id, SENT, sent_at=now_utc(), last_error=note)


def mark_failed(engine: Engine, notification_id: int, error: str) -> None:
    _finish(engine, notification_id, FAILED, last_error=error[:1000])


def retry_later(
    engine: Engine, notification_id: int, error: str, attempts: int, max_attempts: int = DEFAULT_MAX_ATTEMPTS
) -> bool:
    """Gives the row back after a failed try, for a later one; after
    `max_attempts` tries it fails for good. Returns whether it will be tried again."""
    if attempts >= max_attempts:
        mark_failed(engine, notification_id, f"gave up after {attempts} attempts: {error}")
        return False
    wait = min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)
    now = now_utc()
    with session_scope(engine) as s:
        s.execute(
            sa.update(Notification)
            .where(Notification.id == notification_id, Notification.status == PENDING)
            .values(owner=None, lease_until=None, not_before=now + wait, last_error=error[:1000], updated_at=now)
            .execution_options(synchronize_session=False)
        )
    return True


def release(engine: Engine, owner: str) -> int:
    """Gives back whatever `owner` still holds (the job takes it next run)."""
    with session_scope(engine) as s:
        return s.execute(
            sa.update(Notification)
            .where(Notification.owner == owner, Notification.status == PENDING)
            .values(owner=None, lease_until=None, updated_at=now_utc())
            .execution_options(synchronize_session=False)
        ).rowcount


def _finish(engine: Engine, notification_id: int, status: str, **values: Any) -> None:
    with session_scope(engine) as s:
        s.execute(
            sa.update(Notification)
            .where(Notification.id == notification_id)
            .values(status=status, owner=None, lease_until=None, updated_at=now_utc(), **values)
            .execution_options(synchronize_session=False)
        )


# ------------------------------------------------------------------ for staff


def send_again(session: Session, notification_id: int) -> bool:
    """Staff ask for a failed notification to be sent again (the job sends it next run)."""
    return (
        session.execute(
            sa.update(Notification)
            .where(Notification.id == notification_id, Notification.status == FAILED)
            .values(status=PENDING, attempts=0, not_before=None, owner=None, lease_until=None, updated_at=now_utc())
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def status_of(session: Session, notification_id: int) -> Optional[str]:
    """ "pending", "sent", "failed", "withdrawn"; "sending" while a delivery holds it."""
    row = session.execute(
        sa.select(Notification.status, Notification.lease_until).where(Notification.id == notification_id)
    ).one_or_none()
    if row is None:
        return None
    status, lease_until = row
    if status == PENDING and lease_until is not None and aware(lease_until) >= now_utc():
        return "sending"
    return status


def listing(
    session: Session, *, subject: Optional[str] = None, status: Optional[str] = None, limit: int = 200
) -> List[Notification]:
    """Notifications newest first, of one subject and/or one status."""
    query = sa.select(Notification).order_by(Notification.id.desc()).limit(limit)
    if subject is not None:
        query = query.where(Notification.subject == subject)
    if status is not None:
        query = query.where(Notification.status == status)
    return list(session.execute(query).scalars())


def prune(engine: Engine, older_than: dt.timedelta = dt.timedelta(days=30)) -> int:
    """Forgets sent and withdrawn notifications after a month (failed ones stay for staff)."""
    with session_scope(engine) as s:
        return s.execute(
            sa.delete(Notification)
            .where(Notification.status.in_((SENT, WITHDRAWN)), Notification.updated_at < now_utc() - older_than)
            .execution_options(synchronize_session=False)
        ).rowcount
