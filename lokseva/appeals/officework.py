"""The officers' side of time limits, as the portal and the daily digest use it:
what falls due today and tomorrow, what is late, the designated officer's reason
for a late decision, the daily digest of a district, and the time-limit
performance per service, officer and district.

Callers own the session (the repository style of service.py), except
`prepare_digests`, which is one unit of work of its own. Dates are India's;
`today` is always passed in, so a test moves the clock by passing another day.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokseva.appeals import rules
from lokseva.appeals.flows import decided_on, penalty_for
from lokseva.appeals.models import Appeal, LateDecision, OfficerDigest
from lokseva.appeals.rules import AppealStatus
from lokseva.applications.lifecycle import OFFICE_IS_RESPONSIBLE, Status
from lokseva.applications.models import Application
from lokseva.clock import now_utc, today_in_india
from lokseva.db import session_scope

# A late decision's reason: at least this many characters (a real sentence).
LATE_REASON_MIN = 10
_RESPONSIBLE = [s.value for s in OFFICE_IS_RESPONSIBLE]
DECISIONS = (Status.APPROVED.value, Status.REJECTED.value)


class LateReasonNeeded(ValueError):
    """The application is decided after its guaranteed date: the officer must say why."""


# --- what falls due, and what is late ----------------------------------------------


@dataclass(frozen=True)
class DueRow:
    reference: str
    service_id: str
    district_code: str
    tehsil: str
    status: str
    due_date: dt.date
    days_left: int  # 0 today, 1 tomorrow, negative: days late
    penalty_paise: int  # what the Act gives for the days late so far (0 while on time)
    appealed: bool = False


def _rows(session: Session, query, today: dt.date) -> List[DueRow]:
    applications = list(session.execute(query).scalars())
    appealed = _appealed_ids(session, [a.id for a in applications])
    return [
        DueRow(
            a.reference or "",
            a.service_id,
            a.district_code or "",
            a.address_tehsil or "",
            a.status,
            a.due_date,
            (a.due_date - today).days,
            penalty_for(a, today),
            a.id in appealed,
        )
        for a in applications
    ]


def _appealed_ids(session: Session, ids: Sequence[int]) -> set:
    if not ids:
        return set()
    return set(session.execute(sa.select(Appeal.application_id).where(Appeal.application_id.in_(ids))).scalars())


def _scoped(query, district_code: Optional[str], tehsil: Optional[str] = None):
    if district_code:
        query = query.where(Application.district_code == district_code)
    if tehsil:
        query = query.where(sa.func.lower(Application.address_tehsil) == tehsil.lower())
    return query


def falling_due(
    session: Session, district_code: Optional[str], today: dt.date, days: int = 1, tehsil: Optional[str] = None
) -> List[DueRow]:
    """Undecided applications due from today to `days` days after (today and tomorrow)."""
    query = (
        sa.select(Application)
        .where(
            Application.status.in_(_RESPONSIBLE),
            Application.due_date >= today,
            Application.due_date <= today + dt.timedelta(days=days),
        )
        .order_by(Application.due_date, Application.id)
    )
    return _rows(session, _scoped(query, district_code, tehsil), today)


def late_undecided(
    session: Session, district_code: Optional[str], today: dt.date, tehsil: Optional[str] = None, limit: int = 200
) -> List[DueRow]:
    """Applications past their guaranteed date that the office still has, oldest first."""
    query = (
        sa.select(Application)
        .where(
            Application.status.in_(_RESPONSIBLE),
            Application.due_date < today,
        )
        .order_by(Application.due_date, Application.id)
        .limit(limit)
    )
    return _rows(session, _scoped(query, district_code, tehsil), today)


# --- a late decision's reason ---------------------------------------------------------


def is_late(application: Application, today: dt.date) -> bool:
    return application.due_date is not None and today > application.due_date


def record_late_decision(
    session: Session, application: Application, to_status: str, reason: str, by: str, at: Optional[dt.datetime] = None
) -> Optional[LateDecision]:
    """Called with the designated officer's decision: after the guaranteed date it
    needs a reason, which is kept for the appeal officer; on time, nothing is kept."""
    at = at or now_utc()
    today = today_in_india(at)
    if not is_late(application, today):
        return None
    reason = " ".join((reason or "").split())
    if len(reason) < LATE_REASON_MIN:
        raise LateReasonNeeded(application.reference or "")
    row = LateDecision(
        application_id=application.id,
        to_status=to_status,
        due_date=application.due_date,
        days_late=rules.days_late(application.due_date, today),
        reason=reason[:2000],
        decided_by=by,
        decided_at=at,
    )
    session.add(row)
    return row


def late_decisions_of(session: Session, application_id: int) -> List[LateDecision]:
    return list(
        session.execute(
            sa.select(LateDecision).where(LateDecision.application_id == application_id).order_by(LateDecision.id)
        ).scalars()
    )


# --- the daily digest -------------------------------------------------------------------


def digest(session: Session, district_code: str, today: dt.date) -> Dict[str, object]:
    """What a district's officers should know this morning: references and counts, no
    personal data."""
    due = falling_due(session, district_code, today)
    late = late_undecided(session, district_code, today, limit=1000)
    appeals = _pending_appeals(session, district_code)
    return {
        "day": today.isoformat(),
        "due_today": [r.reference for r in due if r.days_left == 0],
        "due_tomorrow": [r.reference for r in due if r.days_left == 1],
        "late": len(late),
        "late_without_appeal": sum(1 for r in late if not r.appealed),
        "penalty_so_far_paise": sum(r.penalty_paise for r in late),
        "appeals_pending": {str(level): sum(1 for a in appeals if a.level == level) for level in (1, 2)},
        "appeals_due": [a.reference for a in appeals if a.decision_due <= today + dt.timedelta(days=1)],
    }


def _pending_appeals(session: Session, district_code: str) -> List[Appeal]:
    return list(
        session.execute(
            sa.select(Appeal)
            .where(Appeal.status == AppealStatus.FILED.value, Appeal.district_code == district_code)
            .order_by(Appeal.decision_due, Appeal.id)
        ).scalars()
    )


def _active_districts(session: Session) -> List[str]:
    with_applications = session.execute(
        sa.select(Application.district_code).where(Application.status.in_(_RESPONSIBLE)).distinct()
    ).scalars()
    with_appeals = session.execute(
        sa.select(Appeal.district_code).where(Appeal.status == AppealStatus.FILED.value).distinct()
    ).scalars()
    return sorted({c for c in [*with_applications, *with_appeals] if c})


def prepare_digests(engine: Engine, now: Optional[dt.datetime] = None) -> int:
    """Writes today's digest of every district with work waiting, once a day:
    a district that has today's digest keeps it (a second run, or a second
    instance, writes nothing). Returns how many were written."""
    today = today_in_india(now or now_utc())
    written = 0
    with session_scope(engine) as session:
        districts = _active_districts(session)
        done = set(session.execute(sa.select(OfficerDigest.district_code).where(OfficerDigest.day == today)).scalars())
    for code in districts:
        if code in done:
            continue
        try:
            with session_scope(engine) as session:
                session.add(
                    OfficerDigest(
                        district_code=code,
                        day=today,
                        prepared_at=now or now_utc(),
                        body=json.dumps(digest(session, code, today), ensure_ascii=False),
                    )
                )
            written += 1
        except IntegrityError:
            continue  # another instance wrote it first
    return written


@dataclass(frozen=True)
class StoredDigest:
    district_code: str
    day: dt.date
    prepared_at: dt.datetime
    body: Dict[str, object]


def digests_of(session: Session, district_code: Optional[str], limit: int = 7) -> List[StoredDigest]:
    """The latest digests, newest first (one district, or every district for the state)."""
    query = sa.select(OfficerDigest).order_by(OfficerDigest.day.desc(), OfficerDigest.district_code).limit(limit)
    if district_code:
        query = query.where(OfficerDigest.district_code == district_code)
    return [
        StoredDigest(d.district_code, d.day, d.prepared_at, json.loads(d.body))
        for d in session.execute(query).scalars()
    ]


# --- time-limit performance -----------------------------------------------------------


@dataclass
class Performance:
    district_code: str
    service_id: str
    officer: str  # the actor who decided ("staff:7"), "" while undecided
    applications: int = 0
    decided_in_time: int = 0
    decided_late: int = 0
    undecided_late: int = 0  # still with the office, past the date
    appealed: int = 0
    penalty_due_paise: int = 0  # the Act's figure for the days late
    penalty_imposed_paise: int = 0  # what the appellate authorities imposed
    compensation_paid_paise: int = 0

    @property
    def late(self) -> int:
        return self.decided_late + self.undecided_late

    @property
    def in_time_share(self) -> Optional[float]:
        decided = self.decided_in_time + self.late
        return self.decided_in_time / decided if decided else None


def _decider(application: Application) -> str:
    for row in reversed(application.history):
        if row.to_status in DECISIONS:
            return row.changed_by or ""
    return ""


def performance(
    session: Session,
    district_code: Optional[str],
    today: dt.date,
    since: Optional[dt.date] = None,
    until: Optional[dt.date] = None,
) -> List[Performance]:
    """Per district, service and deciding officer: decided in time, late (decided late
    or still undecided past the date), appealed, penalties. Applications counted by
    their guaranteed date (`since`..`until`, both included)."""
    query = sa.select(Application).where(
        Application.due_date.is_not(None), Application.reference.is_not(None), Application.status != Status.DRAFT.value
    )
    if district_code:
        query = query.where(Application.district_code == district_code)
    if since:
        query = query.where(Application.due_date >= since)
    if until:
        query = query.where(Application.due_date <= until)
    applications = list(session.execute(query).scalars())
    appeals: Dict[int, List[Appeal]] = {}
    if applications:
        for appeal in session.execute(
            sa.select(Appeal).where(Appeal.application_id.in_([a.id for a in applications]))
        ).scalars():
            appeals.setdefault(appeal.application_id, []).append(appeal)
    rows: Dict[Tuple[str, str, str], Performance] = {}
    for application in applications:
        decided = decided_on(application)
        officer = _decider(application) if decided else ""
        key = (application.district_code or "", application.service_id, officer)
        row = rows.setdefault(key, Performance(*key))
        row.applications += 1
        if decided is not None:
            if decided <= application.due_date:
                row.decided_in_time += 1
            else:
                row.decided_late += 1
        elif application.status in _RESPONSIBLE and today > application.due_date:
            row.undecided_late += 1
        mine = appeals.get(application.id, [])
        row.appealed += 1 if mine else 0
        row.penalty_due_paise += penalty_for(application, today)
        row.penalty_imposed_paise += sum(a.penalty_imposed_paise or 0 for a in mine)
        row.compensation_paid_paise += sum(a.compensation_paid_paise or 0 for a in mine)
    return [rows[k] for k in sorted(rows)]


CSV_COLUMNS = (
    "district",
    "service",
    "officer",
    "applications",
    "decided_in_time",
    "decided_late",
    "undecided_late",
    "appealed",
    "penalty_due_rupees",
    "penalty_imposed_rupees",
    "compensation_paid_rupees",
)


def csv_rows(rows: Sequence[Performance], officer_names: Optional[Dict[str, str]] = None) -> List[List[str]]:
    """The CSV export's rows (header first); amounts in whole rupees."""
    names = officer_names or {}
    table = [list(CSV_COLUMNS)]
    for r in rows:
        table.append(
            [
                r.district_code,
                r.service_id,
                names.get(r.officer, r.officer),
                str(r.applications),
                str(r.decided_in_time),
                str(r.decided_late),
                str(r.undecided_late),
                str(r.appealed),
                str(r.penalty_due_paise // 100),
                str(r.penalty_imposed_paise // 100),
                str(r.compensation_paid_paise // 100),
            ]
        )
    return table
