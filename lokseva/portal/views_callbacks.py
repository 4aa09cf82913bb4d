"""Callback requests (/portal/callbacks): citizens who asked on WhatsApp to talk
to a person. The number stays masked until a member of staff asks to see it to
call; that request is audited."""

from __future__ import annotations

import json

from sanic.request import Request

from lokseva.db import session_scope
from lokseva.portal import callbacks, conversations, directory, service
from lokseva.portal.auth import Permission
from lokseva.portal.http import (
    bp,
    client_ip,
    district_filter,
    engine_of,
    error_page,
    form_value,
    redirect_to,
    render,
    requires,
    run,
    staff_of,
    tracker_engine_of,
)
from lokseva.portal.service import PortalError

STATUSES = ("open", "called", "closed")


def _list(request: Request, status: str, district: str):
    with session_scope(engine_of(request)) as session:
        rows = callbacks.list_callbacks(session, status, district=district)
        items = [
            {
                "id": r.id,
                "created_at": r.created_at,
                "call_by": r.call_by,
                "phone": r.phone_masked,
                "messages": json.loads(r.last_messages or "[]"),
                "application_id": r.application_id,
                "language": r.language,
                "status": r.status,
                "note": r.note,
                "sender_id": r.sender_id,
                "district_code": code,
            }
            for r, code in rows
        ]
    tracker = tracker_engine_of(request)
    for item in items:
        item["conversation"] = conversations.key_of(tracker, item.pop("sender_id"))
    return items


@bp.get("/callbacks")
@requires(Permission.HANDLE_CALLBACKS)
async def callback_list(request: Request):
    status = request.args.get("status", "open")
    status = status if status in STATUSES else "open"
    staff = staff_of(request)
    district = district_filter(staff, request.args.get("district"))
    items = await run(_list, request, status, district)
    return render(
        request,
        "callbacks.html",
        items=items,
        current_status=status,
        statuses=STATUSES,
        revealed=None,
        can_view_conversations=staff.can(Permission.VIEW_CONVERSATIONS),
        current_district=district,
    )


def _update(request: Request, request_id: int, status: str, note: str) -> None:
    staff = staff_of(request)
    with session_scope(engine_of(request)) as session:
        callbacks.update_callback(session, request_id, status, staff, note)
        service.audit(
            session,
            staff,
            f"callback_{status}",
            "callback_request",
            request_id,
            ip=client_ip(request),
            details={"note": bool(note)},
        )


@bp.post("/callbacks/<request_id:int>/status")
@requires(Permission.HANDLE_CALLBACKS)
async def callback_status(request: Request, request_id: int):
    status = form_value(request, "status")
    try:
        await run(_update, request, request_id, status, form_value(request, "note"))
    except PortalError as error:
        return _refused(request, error) or error_page(request, 400, f"error.{error.code}")
    return redirect_to("/callbacks", "callback_updated")


def _refused(request: Request, error: PortalError):
    if error.code == "not_found":
        return error_page(request, 404, "error.not_found")
    if error.code == "other_district":
        return error_page(request, 403, "error.other_district_record")
    return None


def _reveal(request: Request, request_id: int) -> dict:
    staff = staff_of(request)
    with session_scope(engine_of(request)) as session:
        row = callbacks.get_callback(session, request_id, staff)
        number = directory.phone_of(session, row.sender_id)
        service.audit(
            session,
            staff,
            "phone_revealed",
            "callback_request",
            request_id,
            ip=client_ip(request),
            details={"known": number is not None},
        )
        return {"id": row.id, "number": number}


@bp.post("/callbacks/<request_id:int>/reveal")
@requires(Permission.REVEAL_PHONE)
async def callback_reveal(request: Request, request_id: int):
    try:
        revealed = await run(_reveal, request, request_id)
    except PortalError as error:
        return _refused(request, error) or error_page(request, 404, "error.not_found")
    staff = staff_of(request)
    district = district_filter(staff, None)
    items = await run(_list, request, "open", district)
    return render(
        request,
        "callbacks.html",
        items=items,
        current_status="open",
        statuses=STATUSES,
        revealed=revealed,
        can_view_conversations=staff.can(Permission.VIEW_CONVERSATIONS),
        current_district=district,
    )
