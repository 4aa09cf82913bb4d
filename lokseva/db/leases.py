"""Leases on outbox rows: who may send a pending message now.

Both outboxes (the WhatsApp replies of lokseva/channels/outbox.py and the
notifications of lokseva/notifications/outbox.py) send a row only while holding
its lease: `owner` (one delivery, not a process) and `lease_until`. The lease is
taken by one conditional UPDATE, so of any number of processes that see the
same pending row exactly one wins it; a lease whose holder died runs out and the
row is taken over. The tables need the columns id, status, owner, lease_until,
attempts and updated_at.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session


def new_owner() -> str:
    """A delivery's name, for the leases of the rows it holds."""
    return uuid.uuid4().hex


def held_by_another(holder: Optional[str], lease_until: Optional[dt.datetime], owner: str, now: dt.datetime) -> bool:
    """Whether a row with this lease is someone else's to send right now."""
    return lease_until is not None and lease_until >= now and holder != owner


def take(
    session: Session,
    model: Any,
    row_id: int,
    owner: str,
    now: dt.datetime,
    lease: dt.timedelta,
    pending: str = "pending",
) -> bool:
    """Takes the lease of pending row `row_id` for `owner` (counting an attempt);
    False when it is no longer pending or another delivery's lease still runs."""
    return (
        session.execute(
            sa.update(model)
            .where(
                model.id == row_id,
                model.status == pending,
                sa.or_(model.lease_until.is_(None), model.lease_until < now, model.owner == owner),
            )
            .values(owner=owner, lease_until=now + lease, attempts=model.attempts + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
