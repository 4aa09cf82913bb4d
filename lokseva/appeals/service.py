"""Queries and state changes of appeals (the repository). Callers own the session."""

from __future__ import annotations

import datetime as dt
from typing import List, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lokseva.appeals.models import Appeal, AppealCounter
from lokseva.applications.lifecycle import OFFICE_IS_RESPONSIBLE, Status
from lokseva.applications.models import Application, StatusHistory
from lokseva.db.counters import next_serial


def format_appeal_reference(district_code: str, year: int, serial: int) -> str:
    """JBA-A-2026-000012: district, A for appeal, year, six-digit serial."""
    return f"{district_code.upper()}-A-{year}-{serial:06d}"


def allocate_reference(session: Session, district_code: str, year: int) -> str:
    serial = next_serial(session, AppealCounter.__table__, district_code, year)
    return format_appeal_reference(district_code, year, serial)


def appeals_of(session: Session, application_id: int) -> List[Appeal]:
    return list(
        session.execute(
            sa.select(Appeal).where(Appeal.application_id == application_id).order_by(Appeal.level)
        ).scalars()
    )


def find_appeal(session: Session, reference: str) -> Optional[Appeal]:
    return session.execute(sa.select(Appeal).where(Appeal.reference == reference)).scalar_one_or_none()


def rejected_at(session: Session, application_id: int) -> Optional[dt.datetime]:
    """When the application was refused (its last move to rejected)."""
    return session.execute(
        sa.select(StatusHistory.changed_at)
        .where(StatusHistory.application_id == application_id, StatusHistory.to_status == Status.REJECTED.value)
        .order_by(StatusHistory.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def late_without_appeal(session: Session, district_code: Optional[str], today: dt.date) -> List[Application]:
    """Applications past their guaranteed date, still with the office, and not
    appealed: the suo-motu list of the first appeal officer."""
    appealed = sa.select(Appeal.application_id)
    query = (
        sa.select(Application)
        .where(
            Application.status.in_([s.value for s in OFFICE_IS_RESPONSIBLE]),
            Application.due_date.is_not(None),
            Application.due_date < today,
            Application.id.not_in(appealed),
        )
        .order_by(Application.due_date, Application.id)
    )
    if district_code:
        query = query.where(Application.district_code == district_code)
    return list(session.execute(query).scalars())


def pending_appeals(session: Session, district_code: Optional[str], level: Optional[int] = None) -> List[Appeal]:
    query = sa.select(Appeal).where(Appeal.status == "filed").order_by(Appeal.decision_due, Appeal.id)
    if district_code:
        query = query.where(Appeal.district_code == district_code)
    if level:
        query = query.where(Appeal.level == level)
    return list(session.execute(query).scalars())


def recently_decided(
    session: Session, district_code: Optional[str], level: Optional[int] = None, limit: int = 20
) -> List[Appeal]:
    query = sa.select(Appeal).where(Appeal.status != "filed").order_by(Appeal.decided_at.desc(), Appeal.id.desc())
    if district_code:
        query = query.where(Appeal.district_code == district_code)
    if level:
        query = query.where(Appeal.level == level)
    return list(session.execute(query.limit(limit)).scalars())
