"""Filing and deciding appeals, as the dialogue and the portal use them.

Each function is one transaction and returns plain values (usable after the
session closed). A citizen reaches only their own applications: an id that is
not theirs is answered like an id that does not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import FrozenSet, List, Optional

from sqlalchemy.engine import Engine

from lokseva.appeals import limits as appeal_limits
from lokseva.appeals import rules, service
from lokseva.appeals.models import Appeal
from lokseva.appeals.rules import AppealStatus, Grounds
from lokseva.applications import service as applications
from lokseva.applications.lifecycle import Status
from lokseva.applications.models import Application
from lokseva.applications.numbers import format_date
from lokseva.clock import aware, now_utc, today_in_india
from lokseva.db import session_scope
from lokseva.districts import district_by_code
from lokseva.money import rupees_figure
from lokseva.notifications import outbox

FIRST, SECOND = appeal_limits.FIRST, appeal_limits.SECOND


class AppealRefused(ValueError):
    """The application cannot be appealed now; `reason` is one of the codes below,
    which messaging.py explains to the citizen."""

    NOT_FOUND = "not_found"  # no such application of this citizen
    NOT_APPEALABLE = "not_appealable"  # on time and not refused: nothing to appeal yet
    PENDING = "pending"  # an appeal of it is with the officer
    EXHAUSTED = "exhausted"  # both appeals were made
    ALLOWED = "allowed"  # the first appeal was allowed: the service is ordered

    def __init__(self, reason: str, reference: str = ""):
        super().__init__(f"{reference or 'application'}: {reason}")
        self.reason = reason
        self.reference = reference


@dataclass(frozen=True)
class AppealOption:
    """An application the citizen may appeal now, and how."""

    application_reference: str
    service_id: str
    status: Status
    grounds: Grounds
    level: int
    due_date: Optional[dt.date]
    window: rules.Window
    days_late: int


@dataclass(frozen=True)
class AppealView:
    reference: str
    application_reference: str
    service_id: str
    level: int
    grounds: Grounds
    status: AppealStatus
    filed_on: dt.date
    in_time: bool
    decision_due: dt.date
    decision_due_confirmed: bool
    officer: str  # in the language asked for
    new_due_date: Optional[dt.date]
    decision_reason: str
    penalty_due_paise: int  # what the Act's rule gives for the days late
    penalty_imposed_paise: Optional[int]
    compensation_paid_paise: Optional[int]

    @classmethod
    def of(cls, appeal: Appeal, language: str = "hi", today: Optional[dt.date] = None) -> "AppealView":
        application = appeal.application
        level = appeal_limits.load_limits().for_service(application.service_id).level(appeal.level)
        return cls(
            reference=appeal.reference,
            application_reference=application.reference or "",
            service_id=application.service_id,
            level=appeal.level,
            grounds=Grounds(appeal.grounds),
            status=AppealStatus(appeal.status),
            filed_on=today_in_india(aware(appeal.filed_at)),
            in_time=appeal.in_time,
            decision_due=appeal.decision_due,
            decision_due_confirmed=appeal.decision_due_confirmed,
            officer=level.officer_name(language, appeal.level),
            new_due_date=appeal.new_due_date,
            decision_reason=appeal.decision_reason,
            penalty_due_paise=penalty_for(application, today or today_in_india()),
            penalty_imposed_paise=appeal.penalty_imposed_paise,
            compensation_paid_paise=appeal.compensation_paid_paise,
        )


def _holidays(district_code: str) -> FrozenSet[dt.date]:
    district = district_by_code(district_code)
    return district.holidays if district else frozenset()


def decided_on(application: Application) -> Optional[dt.date]:
    """The day the designated officer decided (approved or rejected), if any."""
    for row in reversed(application.history):
        if row.to_status in (Status.APPROVED.value, Status.REJECTED.value):
            return today_in_india(aware(row.changed_at))
    return None


def penalty_for(application: Application, today: dt.date) -> int:
    """The designated officer's penalty under the Act for this application's delay:
    up to the decision, or up to today while it is undecided."""
    return rules.penalty_paise(rules.days_late(application.due_date, decided_on(application) or today))


def _option(session, application: Application, today: dt.date) -> AppealOption:
    """How this application may be appealed today; AppealRefused otherwise."""
    reference = application.reference or ""
    status = Status(application.status)
    appeals = service.appeals_of(session, application.id)
    limits = appeal_limits.load_limits().for_service(application.service_id)
    days = rules.days_late(application.due_date, decided_on(application) or today)
    if not appeals:
        grounds = rules.grounds_for(status, application.due_date, today)
        if grounds is None:
            # Decided late but approved: the service came; the penalty can still be claimed
            # at the Kendra, but there is nothing to appeal.
            raise AppealRefused(AppealRefused.NOT_APPEALABLE, reference)
        rejected = service.rejected_at(session, application.id)
        window = rules.first_appeal_window(
            grounds,
            application.due_date,
            today_in_india(aware(rejected)) if rejected else None,
            today,
            limits.first_appeal.window_days,
        )
        return AppealOption(
            reference, application.service_id, status, grounds, FIRST, application.due_date, window, days
        )
    last = appeals[-1]
    if last.level == SECOND:
        raise AppealRefused(AppealRefused.PENDING if last.status == "filed" else AppealRefused.EXHAUSTED, reference)
    if last.status == AppealStatus.ALLOWED.value:
        raise AppealRefused(AppealRefused.ALLOWED, reference)
    if last.status == AppealStatus.FILED.value:
        if today <= last.decision_due:
            raise AppealRefused(AppealRefused.PENDING, reference)
        # The first appeal officer did not decide in time: the second appeal lies.
        opened = last.decision_due + dt.timedelta(days=1)
    else:
        opened = today_in_india(aware(last.decided_at)) if last.decided_at else today
    window = rules.second_appeal_window(opened, today, limits.second_appeal.window_days)
    return AppealOption(
        reference, application.service_id, status, Grounds(last.grounds), SECOND, application.due_date, window, days
    )


def appealable(
    channel_user_id: str, now: Optional[dt.datetime] = None, engine: Optional[Engine] = None
) -> List[AppealOption]:
    """The citizen's applications that can be appealed now, newest first."""
    today = today_in_india(now or now_utc())
    with session_scope(engine or applications.engine()) as session:
        citizen = applications.find_citizen(session, channel_user_id)
        if citizen is None:
            return []
        options = []
        for application in applications.applications_of(session, citizen, limit=20):
            try:
                options.append(_option(session, application, today))
            except AppealRefused:
                continue
        return options


def appeal_option(
    channel_user_id: str, reference: str, now: Optional[dt.datetime] = None, engine: Optional[Engine] = None
) -> AppealOption:
    """How this application of the citizen's may be appealed; AppealRefused otherwise."""
    today = today_in_india(now or now_utc())
    with session_scope(engine or applications.engine()) as session:
        application = applications.find_for_citizen(session, reference, channel_user_id)
        if application is None:
            raise AppealRefused(AppealRefused.NOT_FOUND, reference)
        return _option(session, application, today)


def _file(
    session,
    application: Application,
    option: AppealOption,
    filed_by: str,
    now: dt.datetime,
    late_cause: str,
    statement: str,
) -> Appeal:
    today = today_in_india(now)
    level = appeal_limits.load_limits().for_service(application.service_id).level(option.level)
    appeal = Appeal(
        application_id=application.id,
        district_code=application.district_code,
        level=option.level,
        grounds=option.grounds.value,
        status=AppealStatus.FILED.value,
        filed_by=filed_by,
        filed_at=now,
        in_time=option.window.in_time,
        late_cause=" ".join(late_cause.split())[:1000],
        statement=" ".join(statement.split())[:1000],
        decision_due=rules.decision_due(
            today, level.decide_days, level.decide_kind, _holidays(application.district_code)
        ),
        decision_due_confirmed=level.confirmed,
    )
    session.add(appeal)
    # The number last: the counter row stays locked until the transaction commits.
    appeal.reference = service.allocate_reference(session, application.district_code, today.year)
    session.flush()
    return appeal


def file_appeal(
    channel_user_id: str,
    reference: str,
    *,
    late_cause: str = "",
    statement: str = "",
    language: str = "hi",
    now: Optional[dt.datetime] = None,
    engine: Optional[Engine] = None,
) -> AppealView:
    """Files the next appeal (first, or second) of the citizen's application.

    An appeal out of time is taken all the same, with the citizen's reason
    (`late_cause`), for the appeal officer to admit or not."""
    now = now or now_utc()
    today = today_in_india(now)
    with session_scope(engine or applications.engine()) as session:
        application = applications.find_for_citizen(session, reference, channel_user_id)
        if application is None:
            raise AppealRefused(AppealRefused.NOT_FOUND, reference)
        option = _option(session, application, today)
        appeal = _file(session, application, option, "citizen", now, late_cause, statement)
        return AppealView.of(appeal, language, today)


def open_suo_motu(
    application_reference: str, staff: str, now: Optional[dt.datetime] = None, engine: Optional[Engine] = None
) -> AppealView:
    """The first appeal officer takes up a late application nobody appealed."""
    now = now or now_utc()
    today = today_in_india(now)
    with session_scope(engine or applications.engine()) as session:
        application = applications.find_by_reference(session, application_reference)
        if application is None:
            raise AppealRefused(AppealRefused.NOT_FOUND, application_reference)
        option = _option(session, application, today)
        if option.level != FIRST or option.grounds != Grounds.LATE:
            raise AppealRefused(AppealRefused.NOT_APPEALABLE, application_reference)
        # Suo motu: in time by definition (the officer's own motion has no window).
        option = replace(option, window=replace(option.window, in_time=True))
        appeal = _file(session, application, option, "suo_motu", now, "", "")
        return AppealView.of(appeal, "hi", today)


class InvalidDecision(ValueError):
    """A decision the appeal cannot take (already decided, no reason, no date);
    `code` says which, for the portal to explain in the officer's language."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


def decide_appeal(
    appeal_reference: str,
    outcome: AppealStatus,
    reason: str,
    staff: str,
    *,
    new_due_date: Optional[dt.date] = None,
    penalty_paise: Optional[int] = None,
    now: Optional[dt.datetime] = None,
    engine: Optional[Engine] = None,
) -> AppealView:
    """The appeal officer's decision: allowed with the service's new date, or
    dismissed with a reason; with the penalty imposed on the designated officer
    (at most what the Act gives for the days late)."""
    now = now or now_utc()
    today = today_in_india(now)
    reason = " ".join(reason.split())
    if outcome not in rules.DECIDED:
        raise InvalidDecision("an appeal is decided as allowed or dismissed", "outcome")
    if not reason:
        raise InvalidDecision("a decision needs its reason", "reason")
    if outcome == AppealStatus.ALLOWED and (new_due_date is None or new_due_date < today):
        raise InvalidDecision("an allowed appeal needs the service's new date, today or later", "new_date")
    with session_scope(engine or applications.engine()) as session:
        appeal = service.find_appeal(session, appeal_reference)
        if appeal is None:
            raise InvalidDecision(f"no appeal {appeal_reference}", "not_found")
        if appeal.status != AppealStatus.FILED.value:
            raise InvalidDecision(f"{appeal_reference} was already decided", "decided")
        if penalty_paise is not None:
            most = penalty_for(appeal.application, today)
            if not 0 <= penalty_paise <= most:
                raise InvalidDecision(f"the penalty can be at most {most} paise for the days late", "penalty")
        appeal.status = outcome.value
        appeal.decided_at = now
        appeal.decided_by = staff
        appeal.decision_reason = reason[:2000]
        appeal.new_due_date = new_due_date if outcome == AppealStatus.ALLOWED else None
        appeal.penalty_imposed_paise = penalty_paise
        if outcome == AppealStatus.ALLOWED and new_due_date is not None:
            appeal.application.due_date = new_due_date
        _tell_citizen(session, appeal)
        session.flush()
        return AppealView.of(appeal, "hi", today)


def _tell_citizen(session, appeal: Appeal) -> None:
    """The decision, written to the notification outbox with the decision itself."""
    application = appeal.application
    language = "en" if application.language == "en" else "hi"
    if appeal.status == AppealStatus.ALLOWED.value and appeal.new_due_date is not None:
        key, variables = "appeal_allowed", {"date": format_date(appeal.new_due_date, language)}
    else:
        key, variables = "appeal_dismissed", {"reason": appeal.decision_reason}
    outbox.enqueue(
        session,
        application.citizen_id,
        key,
        {"appeal_id": appeal.reference, "application_id": application.reference, **variables},
        language,
        subject=outbox.application_subject(application.reference or ""),
        dedupe_key=f"{key}:{appeal.reference}",
    )


def record_compensation(
    appeal_reference: str, paise: int, staff: str, now: Optional[dt.datetime] = None, engine: Optional[Engine] = None
) -> AppealView:
    """The compensation (प्रतिकर) paid to the citizen out of the penalty."""
    now = now or now_utc()
    with session_scope(engine or applications.engine()) as session:
        appeal = service.find_appeal(session, appeal_reference)
        if appeal is None:
            raise InvalidDecision(f"no appeal {appeal_reference}", "not_found")
        if appeal.penalty_imposed_paise is None or not 0 < paise <= appeal.penalty_imposed_paise:
            raise InvalidDecision("compensation is paid out of an imposed penalty, and at most that", "compensation")
        appeal.compensation_paid_paise = paise
        appeal.compensation_paid_at = now
        application = appeal.application
        outbox.enqueue(
            session,
            application.citizen_id,
            "compensation_paid",
            {"appeal_id": appeal.reference, "amount": rupees_figure(paise)},
            "en" if application.language == "en" else "hi",
            subject=outbox.application_subject(application.reference or ""),
            dedupe_key=f"compensation_paid:{appeal.reference}",
        )
        session.flush()
        return AppealView.of(appeal, "hi", today_in_india(now))


def appeals_for(channel_user_id: str, language: str = "hi", engine: Optional[Engine] = None) -> List[AppealView]:
    """The citizen's appeals, newest first."""
    with session_scope(engine or applications.engine()) as session:
        citizen = applications.find_citizen(session, channel_user_id)
        if citizen is None:
            return []
        views: List[AppealView] = []
        for application in applications.applications_of(session, citizen, limit=20):
            views.extend(AppealView.of(a, language) for a in service.appeals_of(session, application.id))
        return sorted(views, key=lambda v: (v.filed_on, v.reference), reverse=True)
