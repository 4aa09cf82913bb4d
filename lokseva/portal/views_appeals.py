"""Appeals and time limits (/portal/appeals, /portal/time-limits).

- The appeal queue per level, scoped to the officer's district: first appeals for
  the first appeal officer (प्रथम अपील अधिकारी), second appeals for the second
  appellate authority (द्वितीय अपीलीय प्राधिकारी); the suo-motu list of late
  applications nobody appealed.
- One appeal: the application's whole file and history, the designated officer's
  reason for a late decision, the penalty the Act gives for the days late, and the
  decision (allowed with a new date, or dismissed with a reason; the penalty
  imposed) and the compensation paid, through lokseva.appeals.flows, which tells
  the citizen in the same unit of work.
- Time limits: what falls due today and tomorrow, what is late, the day's digest
  (lokseva.appeals.officework), and the performance per service, officer and
  district, with its CSV export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Optional

from sanic import response
from sanic.request import Request

from lokseva.appeals import flows, officework, rules
from lokseva.appeals import service as appeals
from lokseva.appeals.flows import AppealRefused, AppealView, InvalidDecision
from lokseva.appeals.rules import AppealStatus
from lokseva.catalogue import load_catalogue
from lokseva.channels.proactive import deliver_now
from lokseva.clock import today_in_india
from lokseva.db import session_scope
from lokseva.portal import decisions, service
from lokseva.portal.auth import Permission
from lokseva.portal.http import (
    bp,
    client_ip,
    engine_of,
    error_page,
    form_value,
    int_arg,
    language_of,
    redirect_to,
    render,
    requires,
    run,
    settings_of,
    staff_of,
)
from lokseva.portal.service import PortalError, Staff
from lokseva.portal.http import district_filter

HEARS = {1: Permission.HEAR_FIRST_APPEALS, 2: Permission.HEAR_SECOND_APPEALS}


def hears(staff: Staff, level: int) -> bool:
    return staff.can(HEARS[level])


def _levels(staff: Staff):
    return [level for level in (1, 2) if hears(staff, level)] or [1, 2]


# --- the queue ------------------------------------------------------------------------


def _queue(request: Request, level: int, district: str):
    today = today_in_india()
    with session_scope(engine_of(request)) as session:
        lang = language_of(request)
        pending = [AppealView.of(a, lang, today) for a in appeals.pending_appeals(session, district or None, level)]
        decided = [AppealView.of(a, lang, today) for a in appeals.recently_decided(session, district or None, level)]
        suo_motu = []
        if level == 1:
            suo_motu = [r for r in officework.late_undecided(session, district or None, today) if not r.appealed]
        return pending, decided, suo_motu, today


@bp.get("/appeals")
@requires(Permission.VIEW_APPEALS)
async def appeal_queue(request: Request):
    staff = staff_of(request)
    levels = _levels(staff)
    level = int_arg(request, "level", levels[0], 1, 2)
    if level not in levels:
        level = levels[0]
    district = district_filter(staff, request.args.get("district"))
    pending, decided, suo_motu, today = await run(_queue, request, level, district)
    return render(
        request,
        "appeals.html",
        level=level,
        levels=levels,
        pending=pending,
        decided=decided,
        suo_motu=suo_motu,
        today=today,
        district_code=district,
        catalogue=load_catalogue(),
    )


# --- one appeal ---------------------------------------------------------------------------


def _appeal(request: Request, reference: str):
    today = today_in_india()
    staff = staff_of(request)
    with session_scope(engine_of(request)) as session:
        appeal = appeals.find_appeal(session, reference.strip().upper()[:24])
        if appeal is None:
            raise PortalError("not_found")
        if staff.district_code and appeal.district_code != staff.district_code:
            raise PortalError("other_district", appeal.district_code)
        application = appeal.application
        file = decisions.application_file(session, application.reference, today)
        lang = language_of(request)
        views = [AppealView.of(a, lang, today) for a in appeals.appeals_of(session, application.id)]
        late = officework.late_decisions_of(session, application.id)
        names = decisions.actor_names(
            session,
            [r.decided_by for r in late]
            + [a.decided_by for a in appeals.appeals_of(session, application.id) if a.decided_by],
        )
        decided = flows.decided_on(application)
        days = rules.days_late(application.due_date, decided or today)
        service.audit(session, staff, "appeal_viewed", "appeal", appeal.reference, ip=client_ip(request))
        return {
            "appeal": AppealView.of(appeal, lang, today),
            "statement": appeal.statement,
            "late_cause": appeal.late_cause,
            "filed_by": appeal.filed_by,
            "file": file,
            "app": application,
            "appeals": views,
            "late_decisions": late,
            "names": names,
            "days_late": days,
            "penalty_max": rules.penalty_paise(days),
            "today": today,
        }


async def _show(request: Request, reference: str, status: int = 200, error=None):
    try:
        found = await run(_appeal, request, reference)
    except PortalError as problem:
        if problem.code == "other_district":
            return error_page(request, 403, "error.other_district")
        return error_page(request, 404, "error.not_found")
    appeal = found["appeal"]
    staff = staff_of(request)
    return render(
        request,
        "appeal.html",
        status=status,
        error=error,
        may_decide=hears(staff, appeal.level) and appeal.status == AppealStatus.FILED,
        may_compensate=hears(staff, appeal.level),
        catalogue=load_catalogue(),
        per_day=rules.PENALTY_PER_DAY_PAISE,
        cap=rules.PENALTY_CAP_PAISE,
        **found,
    )


@bp.get("/appeals/<reference>")
@requires(Permission.VIEW_APPEALS)
async def appeal_view(request: Request, reference: str):
    return await _show(request, reference)


def _rupees_to_paise(text: str) -> Optional[int]:
    text = text.replace(",", "").replace("₹", "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise PortalError("amount") from None
    if value < 0 or value > 1_00_00_000:
        raise PortalError("amount")
    return int(round(value * 100))


def _date(text: str) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        raise PortalError("date") from None


def _scope(request: Request, reference: str):
    """The appeal, if this officer hears its level in its district: (level, citizen id)."""
    staff = staff_of(request)
    with session_scope(engine_of(request)) as session:
        appeal = appeals.find_appeal(session, reference)
        if appeal is None:
            raise PortalError("not_found")
        if staff.district_code and appeal.district_code != staff.district_code:
            raise PortalError("other_district", appeal.district_code)
        if not hears(staff, appeal.level):
            raise PortalError("forbidden")
        return appeal.application.citizen_id


def _decide(request: Request, reference: str, what: str) -> str:
    staff = staff_of(request)
    engine = engine_of(request)
    citizen_id = _scope(request, reference)
    actor = decisions.staff_actor(staff)
    if what == "decide":
        outcome = {"allowed": AppealStatus.ALLOWED, "dismissed": AppealStatus.DISMISSED}.get(
            form_value(request, "outcome")
        )
        if outcome is None:
            raise InvalidDecision("no outcome", "outcome")
        view = flows.decide_appeal(
            reference,
            outcome,
            form_value(request, "reason"),
            actor,
            new_due_date=_date(form_value(request, "new_due_date")),
            penalty_paise=_rupees_to_paise(form_value(request, "penalty")),
            engine=engine,
        )
        details = {
            "outcome": outcome.value,
            "penalty_paise": view.penalty_imposed_paise,
            "new_due_date": view.new_due_date.isoformat() if view.new_due_date else None,
        }
        flash = f"appeal_{outcome.value}"
    else:
        paise = _rupees_to_paise(form_value(request, "amount"))
        view = flows.record_compensation(reference, paise or 0, actor, engine=engine)
        details = {"compensation_paise": view.compensation_paid_paise}
        flash = "compensation_recorded"
    # Written to the outbox with the decision; sent now, or by the outbox job.
    deliver_now(citizen_id, None, settings_of(request))
    with session_scope(engine) as session:
        service.audit(session, staff, f"appeal_{what}", "appeal", reference, ip=client_ip(request), details=details)
    return flash


@bp.post("/appeals/<reference>/<what:(decide|compensation)>")
@requires(Permission.VIEW_APPEALS)
async def appeal_decide(request: Request, reference: str, what: str):
    reference = reference.strip().upper()[:24]
    try:
        flash = await run(_decide, request, reference, what)
    except PortalError as error:
        if error.code in ("not_found", "other_district", "forbidden"):
            return error_page(
                request,
                404 if error.code == "not_found" else 403,
                "error.forbidden" if error.code == "forbidden" else f"error.{error.code}",
            )
        return await _show(request, reference, status=400, error=(f"error.appeal_{error.code}", {}))
    except InvalidDecision as error:
        return await _show(request, reference, status=400, error=(f"error.appeal_{error.code}", {}))
    return redirect_to(f"/appeals/{reference}", flash)


def _open_suo_motu(request: Request, application_reference: str) -> str:
    staff = staff_of(request)
    with session_scope(engine_of(request)) as session:
        application = decisions.get(session, application_reference)
        decisions.check_district(staff, application)
        canonical = application.reference
    view = flows.open_suo_motu(canonical, decisions.staff_actor(staff), engine=engine_of(request))
    with session_scope(engine_of(request)) as session:
        service.audit(
            session,
            staff,
            "appeal_suo_motu",
            "appeal",
            view.reference,
            ip=client_ip(request),
            details={"application": canonical},
        )
    return view.reference


@bp.post("/appeals/suo-motu/<reference>")
@requires(Permission.HEAR_FIRST_APPEALS)
async def appeal_suo_motu(request: Request, reference: str):
    try:
        opened = await run(_open_suo_motu, request, reference)
    except PortalError as error:
        return error_page(
            request,
            403 if error.code == "other_district" else 404,
            "error.other_district" if error.code == "other_district" else "error.not_found",
        )
    except AppealRefused:
        return redirect_to("/appeals?level=1", "suo_motu_refused")
    return redirect_to(f"/appeals/{opened}", "suo_motu_opened")


# --- time limits -----------------------------------------------------------------------------


def _time_limits(request: Request, district: str):
    today = today_in_india()
    staff = staff_of(request)
    tehsil = staff.tehsil if staff.role == "designated_officer" else None
    with session_scope(engine_of(request)) as session:
        due = officework.falling_due(session, district or None, today, tehsil=tehsil)
        late = officework.late_undecided(session, district or None, today, tehsil=tehsil)
        digests = officework.digests_of(session, district or None, limit=7 if district else 55)
        return due, late, digests, today


@bp.get("/time-limits")
@requires(Permission.VIEW_APPLICATIONS)
async def time_limits(request: Request):
    district = district_filter(staff_of(request), request.args.get("district"))
    due, late, digests, today = await run(_time_limits, request, district)
    todays = [d for d in digests if d.day == today]
    return render(
        request,
        "time_limits.html",
        due=due,
        late=late,
        digests=digests,
        todays=todays,
        today=today,
        district_code=district,
        catalogue=load_catalogue(),
    )


def _performance(request: Request, district: str, since: Optional[dt.date], until: Optional[dt.date]):
    today = today_in_india()
    with session_scope(engine_of(request)) as session:
        rows = officework.performance(session, district or None, today, since, until)
        names = decisions.actor_names(session, [r.officer for r in rows if r.officer])
        return rows, names


def _period(request: Request):
    try:
        since = dt.date.fromisoformat((request.args.get("since") or "").strip()) if request.args.get("since") else None
        until = dt.date.fromisoformat((request.args.get("until") or "").strip()) if request.args.get("until") else None
    except ValueError:
        since = until = None
    return since, until


async def _performance_of(request: Request):
    district = district_filter(staff_of(request), request.args.get("district"))
    since, until = _period(request)
    rows, names = await run(_performance, request, district, since, until)
    return district, since, until, rows, names


@bp.get("/time-limits/performance")
@requires(Permission.VIEW_ANALYTICS)
async def time_limit_performance(request: Request):
    district, since, until, rows, names = await _performance_of(request)
    return render(
        request,
        "performance.html",
        rows=rows,
        names=names,
        district_code=district,
        since=since,
        until=until,
        catalogue=load_catalogue(),
        query=request.query_string,
    )


def _audit_export(request: Request, district: str, count: int) -> None:
    with session_scope(engine_of(request)) as session:
        service.audit(
            session,
            staff_of(request),
            "time_limits_exported",
            "district",
            district or "all",
            ip=client_ip(request),
            details={"rows": count},
        )


@bp.get("/time-limits/performance.csv")
@requires(Permission.VIEW_ANALYTICS)
async def time_limit_performance_csv(request: Request):
    district, _, _, rows, names = await _performance_of(request)
    await run(_audit_export, request, district, len(rows))
    out = io.StringIO()
    csv.writer(out).writerows(officework.csv_rows(rows, names))
    return response.text(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="time-limits-{district or "all"}.csv"',
            "Cache-Control": "private, no-store",
        },
    )
