"""Applications (/portal/applications): the queue, one application's file, the
officer's decisions; the certificate's revocation and re-issue; the uploaded documents; and
the board of home deliveries (/portal/deliveries)."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from sanic import response
from sanic.request import Request

from lokseva.catalogue import load_catalogue
from lokseva.channels.proactive import deliver_now
from lokseva.clock import today_in_india
from lokseva.db import session_scope
from lokseva.portal import decisions, deliveries, service
from lokseva.portal.auth import Permission
from lokseva.portal.decisions import QueueFilter
from lokseva.portal.http import (
    bp,
    client_ip,
    district_filter,
    engine_of,
    error_page,
    form_value,
    int_arg,
    redirect_to,
    render,
    requires,
    run,
    settings_of,
    staff_of,
)
from lokseva.certificates.service import CertificateError, issue_certificate, reissue_certificate, revoke
from lokseva.portal.service import PortalError

PAGE = 50


def _error(request: Request, error: PortalError):
    if error.code == "not_found":
        return error_page(request, 404, "error.not_found")
    if error.code == "other_tehsil":
        return error_page(request, 403, "error.other_tehsil")
    if error.code == "other_district":
        return error_page(request, 403, "error.other_district")
    return None


# --- the queue ------------------------------------------------------------------------


def _queue_filter(request: Request) -> QueueFilter:
    args = request.args
    staff = staff_of(request)
    due_within = None
    if (args.get("due_within") or "").isdigit():
        due_within = min(int(args.get("due_within")), 90)
    tehsil = args.get("tehsil")
    return QueueFilter(
        service=(args.get("service") or "").strip()[:64],
        status=(args.get("status") or "awaiting").strip()[:32],
        district=district_filter(staff, args.get("district")),
        # An officer posted to a tehsil sees it first; "all" is a choice away.
        tehsil=(staff.tehsil or "") if tehsil is None else ("" if tehsil == "all" else tehsil.strip()[:64]),
        overdue=args.get("overdue") == "1",
        due_within=due_within,
        search=(args.get("q") or "").strip()[:64],
    )


def _queue(request: Request, filters: QueueFilter, page: int):
    today = today_in_india()
    with session_scope(engine_of(request)) as session:
        rows, total = decisions.queue(session, filters, today, limit=PAGE, offset=page * PAGE)
        overdue = decisions.overdue_count(session, today, filters.tehsil, filters.district)
    return rows, total, overdue


@bp.get("/applications")
@requires(Permission.VIEW_APPLICATIONS)
async def application_queue(request: Request):
    filters = _queue_filter(request)
    page = int_arg(request, "page", 0)
    rows, total, overdue = await run(_queue, request, filters, page)
    query = urllib.parse.urlencode([(k, x) for k, values in request.args.items() if k != "page" for x in values])
    return render(
        request,
        "applications.html",
        rows=rows,
        total=total,
        overdue_total=overdue,
        filters=filters,
        catalogue=load_catalogue(),
        page=page,
        pages=(total + PAGE - 1) // PAGE,
        query=query,
        statuses=["awaiting", "all"] + [s.value for s in decisions.Status if s.value != "draft"],
    )


# --- one application --------------------------------------------------------------------


def _file(request: Request, reference: str):
    today = today_in_india()
    with session_scope(engine_of(request)) as session:
        found = decisions.application_file(session, reference, today)
        decisions.check_district(staff_of(request), found.application)
        service.audit(
            session,
            staff_of(request),
            "application_viewed",
            "application",
            found.application.reference,
            ip=client_ip(request),
        )
        return found


async def _show(request: Request, reference: str, status: int = 200, error=None, notice=None):
    try:
        found = await run(_file, request, reference)
    except PortalError as problem:
        return _error(request, problem) or error_page(request, 400, "error.not_found")
    staff = staff_of(request)
    may_decide = (
        staff.can(Permission.DECIDE_APPLICATIONS)
        and not (staff.district_code and found.application.district_code != staff.district_code)
        and not (
            staff.role == "designated_officer"
            and staff.tehsil
            and (found.application.address_tehsil or "").lower() != staff.tehsil.lower()
        )
    )
    return render(
        request,
        "application.html",
        status=status,
        file=found,
        app=found.application,
        error=error,
        notice=notice,
        may_decide=may_decide,
        reasons=REJECTION_REASONS,
        child_name_missing=decisions.child_name_missing(found.application),
    )


# Frequent reasons, offered as a start; the officer edits them to the case.
REJECTION_REASONS = ("reason.documents_missing", "reason.not_eligible", "reason.details_wrong", "reason.duplicate")


@bp.get("/applications/<reference>")
@requires(Permission.VIEW_APPLICATIONS)
async def application_view(request: Request, reference: str):
    return await _show(request, reference)


def _decide(request: Request, reference: str, action: str) -> dict:
    staff = staff_of(request)
    ip = client_ip(request)
    settings = settings_of(request)
    outcome: dict = {"action": action}
    with session_scope(engine_of(request)) as session:
        if action == "approve" and decisions.child_name_missing(decisions.get(session, reference)):
            # Not approved yet: the parent is asked for the child's name (docs/portal.md).
            notice = decisions.ask_for_child_name(session, reference, staff)
            outcome.update(reference=notice.reference, notice=notice, action="child_name", audit="child_name_asked")
        elif action == "approve":
            application = decisions.approve(session, reference, staff, late_reason=form_value(request, "late_reason"))
            outcome["reference"] = application.reference
            outcome["id"] = application.id
        elif action == "child_name":
            outcome["name"] = decisions.enter_child_name(session, reference, staff, form_value(request, "child_name"))
            outcome.update(reference=decisions.get(session, reference).reference, audit="child_name_entered")
        elif action == "reject":
            notice = decisions.reject(
                session, reference, staff, form_value(request, "reason"), late_reason=form_value(request, "late_reason")
            )
            outcome["reference"], outcome["notice"] = notice.reference, notice
        elif action == "documents":
            wanted = [d for d in (request.form.getlist("document") or [])] + [
                line for line in form_value(request, "other").splitlines() if line.strip()
            ]
            notice = decisions.request_documents(session, reference, staff, wanted, form_value(request, "note"))
            outcome["reference"], outcome["notice"] = notice.reference, notice
        elif action == "review":
            outcome["reference"] = decisions.resume_review(session, reference, staff).reference
        elif action == "reissue":
            outcome["reason"] = " ".join(form_value(request, "reason").split())
            application = decisions.reissue(session, reference, staff, outcome["reason"])
            outcome["reference"], outcome["id"] = application.reference, application.id
        elif action == "issue":
            application = decisions.get(session, reference)
            decisions.check_tehsil(staff, application)
            if decisions.child_name_missing(application):
                raise PortalError("child_name_missing")
            outcome["reference"], outcome["id"] = application.reference, application.id
        audited = outcome.get("audit") or outcome["action"]
        service.audit(
            session,
            staff,
            f"application_{audited}",
            "application",
            outcome["reference"],
            ip=ip,
            details={"reason": form_value(request, "reason")[:200]} if action in ("reject", "reissue") else None,
        )
    # After the commit: the certificate (its own unit of work) and the citizen's message.
    if outcome["action"] in ("approve", "issue", "reissue"):
        outcome.update(_issue(request, outcome["id"], outcome["reference"], settings, outcome.get("reason")))
    elif "notice" in outcome:
        notice = outcome.pop("notice")
        outcome["notified"] = deliver_now(notice.citizen_id, notice.notification_id, settings)
        _audit_notice(request, outcome["reference"], outcome["notified"])
    return outcome


def _issue(request: Request, application_id: int, reference: str, settings, reissue_reason=None) -> dict:
    """Issues the certificate, or with `reissue_reason` replaces a revoked one;
    either way the citizen gets the PDF on WhatsApp."""
    staff = staff_of(request)
    by, engine = decisions.staff_actor(staff), engine_of(request)
    try:
        if reissue_reason is None:
            issued = issue_certificate(application_id, by=by, engine=engine, settings=settings)
        else:
            issued = reissue_certificate(application_id, by, reissue_reason, engine=engine, settings=settings)
    except CertificateError as error:
        with session_scope(engine_of(request)) as session:
            service.audit(
                session,
                staff,
                "certificate_failed",
                "application",
                reference,
                ip=client_ip(request),
                details={"error": str(error)[:300]},
            )
        return {"issued": None, "issue_error": str(error), "notified": False}
    notified = deliver_now(issued.citizen_id, issued.notification_id, settings)
    with session_scope(engine_of(request)) as session:
        details = {"application": reference, "notified": notified}
        if reissue_reason is not None:
            details["reason"] = reissue_reason[:200]
        service.audit(
            session,
            staff,
            "certificate_issued" if reissue_reason is None else "certificate_reissued",
            "certificate",
            issued.number,
            ip=client_ip(request),
            details=details,
        )
    return {"issued": issued.number, "notified": notified}


def _audit_notice(request: Request, reference: str, sent: bool) -> None:
    with session_scope(engine_of(request)) as session:
        service.audit(
            session,
            staff_of(request),
            "citizen_notified" if sent else "citizen_not_notified",
            "application",
            reference,
            ip=client_ip(request),
        )


@bp.post("/applications/<reference>/<action:(approve|reject|documents|review|issue|reissue|child_name)>")
@requires(Permission.DECIDE_APPLICATIONS)
async def application_decide(request: Request, reference: str, action: str):
    try:
        outcome = await run(_decide, request, reference, action)
    except PortalError as error:
        return _error(request, error) or await _show(
            request, reference, status=400, error=(f"error.{error.code}", {"detail": error.detail})
        )
    action = outcome["action"]
    msg = {
        "approve": "approved",
        "issue": "approved",
        "reject": "rejected",
        "documents": "documents_requested",
        "review": "review_resumed",
        "reissue": "reissued",
        "child_name": "child_name_asked",
    }[action]
    if action == "child_name" and "name" in outcome:
        msg = "child_name_entered"
    elif outcome.get("issue_error"):
        msg = "reissue_failed" if action == "reissue" else "approved_not_issued"
    elif action in ("approve", "issue", "reissue", "reject", "documents", "child_name") and not outcome.get("notified"):
        msg += "_not_notified"
    return redirect_to(f"/applications/{outcome['reference']}", msg)


# --- certificates --------------------------------------------------------------------------


def _revoke(request: Request, number: str, reason: str) -> str:
    staff = staff_of(request)
    engine = engine_of(request)
    with session_scope(engine) as session:
        application = decisions.application_of_certificate(session, number)
        decisions.check_tehsil(staff, application)
        reference = application.reference
    try:
        revoke(number, by=decisions.staff_actor(staff), reason=reason, engine=engine)
    except (CertificateError, ValueError) as error:
        raise PortalError("revoke_failed", str(error)) from None
    with session_scope(engine) as session:
        service.audit(
            session,
            staff,
            "certificate_revoked",
            "certificate",
            number,
            ip=client_ip(request),
            details={"application": reference, "reason": reason[:200]},
        )
    return reference


@bp.post("/certificates/<number>/revoke")
@requires(Permission.DECIDE_APPLICATIONS)
async def certificate_revoke(request: Request, number: str):
    reason = form_value(request, "reason")
    try:
        reference = await run(_revoke, request, number.strip().upper()[:32], reason)
    except PortalError as error:
        if error.code == "revoke_failed":
            return error_page(request, 400, "error.revoke_failed")
        return _error(request, error) or error_page(request, 400, "error.not_found")
    return redirect_to(f"/applications/{reference}", "certificate_revoked")


# --- messages to the citizen ----------------------------------------------------------------


def _send_again(request: Request, reference: str, notification_id: int) -> None:
    staff = staff_of(request)
    with session_scope(engine_of(request)) as session:
        decisions.send_notification_again(session, reference, staff, notification_id)
        service.audit(
            session,
            staff,
            "notification_sent_again",
            "application",
            reference,
            ip=client_ip(request),
            details={"notification": notification_id},
        )


@bp.post("/applications/<reference>/notifications/<notification_id:int>/again")
@requires(Permission.DECIDE_APPLICATIONS)
async def notification_send_again(request: Request, reference: str, notification_id: int):
    try:
        await run(_send_again, request, reference, notification_id)
    except PortalError as error:
        return _error(request, error) or error_page(request, 404, "error.not_found")
    return redirect_to(f"/applications/{reference}", "notification_queued")


# --- uploaded documents ---------------------------------------------------------------------

_INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp"}


def _document(request: Request, reference: str, document_id: int):
    with session_scope(engine_of(request)) as session:
        found = decisions.document(session, reference, document_id)
        decisions.check_district(staff_of(request), found.application)
        service.audit(
            session,
            staff_of(request),
            "document_viewed",
            "application",
            found.application.reference,
            ip=client_ip(request),
            details={"document": document_id},
        )
        return found.storage_key, found.content_type, found.filename


@bp.get("/applications/<reference>/documents/<document_id:int>")
@requires(Permission.VIEW_APPLICATIONS)
async def application_document(request: Request, reference: str, document_id: int):
    try:
        key, content_type, filename = await run(_document, request, reference, document_id)
    except PortalError:
        return error_page(request, 404, "error.not_found")
    root = Path(settings_of(request).uploads_dir).resolve()
    path = (root / key).resolve()
    if root not in path.parents or not path.is_file():
        return error_page(request, 404, "error.not_found")
    safe_name = "".join(c for c in filename if c.isalnum() or c in "._-")[:80] or "document"
    disposition = "inline" if content_type in _INLINE_TYPES else "attachment"
    return await response.file(
        path,
        mime_type=content_type if content_type in _INLINE_TYPES else "application/octet-stream",
        headers={
            "Content-Disposition": f'{disposition}; filename="{safe_name}"',
            "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
            "Cache-Control": "private, no-store",
        },
    )


# --- home deliveries ----------------------------------------------------------------------


def _board(request: Request, status: str, tehsil: str, district: str):
    with session_scope(engine_of(request)) as session:
        return deliveries.board(session, status, tehsil, district=district), deliveries.counts(session, district)


@bp.get("/deliveries")
@requires(Permission.MANAGE_DELIVERIES)
async def delivery_board(request: Request):
    status = (request.args.get("status") or "open").strip()[:24]
    tehsil = (request.args.get("tehsil") or "").strip()[:64]
    district = district_filter(staff_of(request), request.args.get("district"))
    cards, counts = await run(_board, request, status, tehsil, district)
    return render(
        request,
        "deliveries.html",
        cards=cards,
        counts=counts,
        current_status=status,
        tehsil=tehsil,
        states=["open"] + [s.value for s in deliveries.BOARD],
        error=None,
        current_district=district,
    )


def _move(request: Request, delivery_id: int) -> bool:
    staff = staff_of(request)
    target = form_value(request, "status")
    with session_scope(engine_of(request)) as session:
        notice = deliveries.move(
            session,
            delivery_id,
            target,
            staff,
            tracking_number=form_value(request, "tracking_number"),
            note=form_value(request, "note"),
        )
        service.audit(
            session,
            staff,
            f"delivery_{target}",
            "delivery",
            delivery_id,
            ip=client_ip(request),
            details={"application": notice.reference},
        )
    sent = deliver_now(notice.citizen_id, notice.notification_id, settings_of(request))
    _audit_notice(request, notice.reference, sent)
    return sent


@bp.post("/deliveries/<delivery_id:int>/status")
@requires(Permission.MANAGE_DELIVERIES)
async def delivery_move(request: Request, delivery_id: int):
    try:
        sent = await run(_move, request, delivery_id)
    except PortalError as error:
        if error.code == "not_found":
            return error_page(request, 404, "error.not_found")
        if error.code == "other_district":
            return error_page(request, 403, "error.other_district_record")
        district = district_filter(staff_of(request), None)
        cards, counts = await run(_board, request, "open", "", district)
        return render(
            request,
            "deliveries.html",
            status=400,
            cards=cards,
            counts=counts,
            current_status="open",
            tehsil="",
            states=["open"] + [s.value for s in deliveries.BOARD],
            error=(f"error.{error.code}", {"detail": error.detail}),
            current_district=district,
        )
    return redirect_to("/deliveries", "delivery_updated" if sent else "delivery_updated_not_notified")
