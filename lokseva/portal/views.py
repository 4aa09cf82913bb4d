"""The staff portal (/portal): sign-in and sign-out, the home page, one's own
account, staff accounts and the audit log. The other sections register their
routes on the same blueprint from views_*.py, imported at the end.

Register with `app.blueprint(lokseva.portal.views.bp)` (lokseva/web/app.py).
"""

from __future__ import annotations

import datetime as dt
import urllib.parse

from sanic import response
from sanic.request import Request

from lokseva.clock import today_in_india
from lokseva.db import session_scope
from lokseva.fonts import variable_font_path
from lokseva.portal import auth, callbacks, decisions, deliveries, service
from lokseva.portal.auth import Permission
from lokseva.portal.http import (
    HERE,
    LANG_COOKIE,
    PREFIX,
    bp,
    client_ip,
    engine_of,
    error_page,
    form_value,
    int_arg,
    redirect_to,
    render,
    requires,
    run,
    set_cookie,
    settings_of,
    staff_of,
)
from lokseva.portal.i18n import LANGUAGES
from lokseva.portal.service import PortalError

__all__ = ["bp"]

# --- static files (served from the package: no CDN) ---------------------------

STATIC_FILES = {
    "portal.css": (HERE / "static" / "portal.css", "text/css; charset=utf-8"),
    "noto-sans-devanagari.ttf": (variable_font_path(), "font/ttf"),
}


@bp.get("/static/<name>")
async def static_file(request: Request, name: str):
    found = STATIC_FILES.get(name)
    if found is None:
        return response.text("not found", status=404)
    path, content_type = found
    return await response.file(path, mime_type=content_type, headers={"Cache-Control": "public, max-age=86400"})


# --- language -------------------------------------------------------------------


@bp.get("/lang/<code>")
async def switch_language(request: Request, code: str):
    target = auth.safe_next(request.args.get("next"), PREFIX + "/")
    resp = response.redirect(target, status=303)
    if code in LANGUAGES:
        set_cookie(resp, settings_of(request), LANG_COOKIE, code, max_age=365 * 24 * 3600)
        resp.cookies[LANG_COOKIE]["httponly"] = False  # a preference, not a secret
    return resp


# --- sign-in / sign-out -----------------------------------------------------------


@bp.get("/login")
async def login_form(request: Request):
    if staff_of(request) is not None:
        return response.redirect(auth.safe_next(request.args.get("next"), PREFIX + "/"), status=303)
    if request.ctx.portal_session is None and not request.ctx.login_nonce:
        # A signed nonce in a cookie carries the form's CSRF token: showing the form
        # writes no row (anyone could otherwise fill the sessions table).
        request.ctx.new_login_nonce = auth.new_token()
    return render(request, "login.html", next=request.args.get("next", ""), error=None, username="")


def _login(request: Request, username: str, password: str):
    settings = settings_of(request)
    ip = client_ip(request)
    with session_scope(engine_of(request)) as session:
        result = service.attempt_login(session, username, password, ip)
        if result.outcome == "succeeded":
            # A new session id on sign-in: a token seen before sign-in is worth nothing after.
            if request.ctx.portal_session is not None:
                service.end_session(session, request.ctx.portal_session.digest)
            new = service.start_session(
                session, result.user_id, ip, request.headers.get("user-agent"), settings.portal_session_minutes
            )
            service.audit(session, new.staff, "login", "staff_user", result.user_id, ip=ip)
            service.purge_old_sessions(session)
            return result, new
        service.audit(
            session,
            None,
            "login_locked" if result.outcome == "locked" else "login_failed",
            ip=ip,
            username=username,
        )
        return result, None


@bp.post("/login")
async def login(request: Request):
    username = form_value(request, "username")
    password = request.form.get("password") or ""
    result, new = await run(_login, request, username, password)
    if new is None:
        if result.outcome == "locked":
            minutes = max(1, int((result.locked_until - dt.datetime.now(dt.timezone.utc)).total_seconds() // 60) + 1)
            error = ("login.locked", {"minutes": minutes})
        else:
            error = ("login.failed", {})
        return render(
            request,
            "login.html",
            status=429 if result.outcome == "locked" else 401,
            next=form_value(request, "next"),
            error=error,
            username=username,
        )
    request.ctx.new_session = new
    request.ctx.staff = new.staff
    return response.redirect(auth.safe_next(form_value(request, "next"), PREFIX + "/"), status=303)


def _logout(request: Request) -> None:
    if request.ctx.portal_session is None:
        return
    with session_scope(engine_of(request)) as session:
        service.end_session(session, request.ctx.portal_session.digest)
        if staff_of(request) is not None:
            service.audit(session, staff_of(request), "logout", ip=client_ip(request))


@bp.post("/logout")
async def logout(request: Request):
    await run(_logout, request)
    request.ctx.clear_cookie = True
    return response.redirect(f"{PREFIX}/login?msg=logged_out", status=303)


# --- home ---------------------------------------------------------------------------


def _home_figures(request: Request, staff: service.Staff) -> dict:
    figures = {}
    with session_scope(engine_of(request)) as session:
        if staff.can(Permission.HANDLE_CALLBACKS):
            figures["open_callbacks"] = callbacks.count_open_callbacks(session, staff.district_code or "")
        if staff.can(Permission.VIEW_APPLICATIONS):
            tehsil, district = staff.tehsil or "", staff.district_code or ""
            counts = decisions.counts_by_status(session, tehsil, district)
            figures["awaiting"] = sum(counts.get(s.value, 0) for s in decisions.AWAITING)
            figures["overdue"] = decisions.overdue_count(session, today_in_india(), tehsil, district)
        if staff.can(Permission.MANAGE_DELIVERIES):
            counts = deliveries.counts(session, staff.district_code or "")
            figures["to_print"] = counts.get("requested", 0)
    return figures


@bp.get("/")
@requires()
async def home(request: Request):
    figures = await run(_home_figures, request, staff_of(request))
    return render(request, "home.html", figures=figures, Permission=Permission)


# --- one's own account ---------------------------------------------------------------


@bp.get("/account")
@requires()
async def account(request: Request):
    return render(request, "account.html", error=None)


def _change_password(request: Request, current: str, new: str) -> None:
    staff = staff_of(request)
    with session_scope(engine_of(request)) as session:
        service.change_own_password(session, staff.id, current, new)
        service.audit(session, staff, "password_changed", "staff_user", staff.id, ip=client_ip(request))


@bp.post("/account/password")
@requires()
async def change_password(request: Request):
    current = request.form.get("current") or ""
    new = request.form.get("new") or ""
    if new != (request.form.get("repeat") or ""):
        return render(request, "account.html", status=400, error=("error.passwords_differ", {}))
    try:
        await run(_change_password, request, current, new)
    except PortalError as error:
        return render(request, "account.html", status=400, error=(f"error.{error.code}", {"detail": error.detail}))
    # Every session of the account ended, this one too: sign in again with the new password.
    request.ctx.clear_cookie = True
    return response.redirect(f"{PREFIX}/login?msg=password_changed", status=303)


# --- staff accounts (admin) -----------------------------------------------------------


def _staff_list(request: Request):
    """Every account for state admins; a district's admin sees their district's."""
    staff = staff_of(request)
    with session_scope(engine_of(request)) as session:
        return [u for u in service.list_staff(session) if staff.state_wide or u.district_code == staff.district_code]


@bp.get("/staff")
@requires(Permission.MANAGE_STAFF)
async def staff_list(request: Request):
    users = await run(_staff_list, request)
    return render(request, "staff.html", users=users, roles=list(auth.ROLES), error=None, form={})


def _create_staff(request: Request, form: dict) -> int:
    with session_scope(engine_of(request)) as session:
        user = service.create_user(
            session,
            form["username"],
            form["password"],
            form["role"],
            form["full_name"],
            form["tehsil"] or None,
            # a district's admin creates accounts of their district; the state's, of any
            district_code=staff_of(request).district_code or form.get("district") or None,
        )
        service.audit(
            session,
            staff_of(request),
            "staff_created",
            "staff_user",
            user.id,
            ip=client_ip(request),
            details={
                "username": user.username,
                "role": user.role,
                "tehsil": user.tehsil,
                "district": user.district_code,
            },
        )
        return user.id


@bp.post("/staff")
@requires(Permission.MANAGE_STAFF)
async def staff_create(request: Request):
    form = {k: form_value(request, k) for k in ("username", "full_name", "role", "tehsil", "district")}
    form["password"] = request.form.get("password") or ""
    try:
        await run(_create_staff, request, form)
    except PortalError as error:
        users = await run(_staff_list, request)
        form.pop("password")
        return render(
            request,
            "staff.html",
            status=400,
            users=users,
            roles=list(auth.ROLES),
            error=(f"error.{error.code}", {"detail": error.detail}),
            form=form,
        )
    return redirect_to("/staff", "staff_created")


def _staff_change(request: Request, user_id: int, what: str, value: str) -> None:
    staff = staff_of(request)
    with session_scope(engine_of(request)) as session:
        if what == "active":
            if user_id == staff.id:
                raise PortalError("own_account")
            user = service.set_active(session, user_id, value == "1")
            service.audit(
                session,
                staff,
                "staff_activated" if user.is_active else "staff_deactivated",
                "staff_user",
                user_id,
                ip=client_ip(request),
            )
        elif what == "password":
            service.set_password(session, user_id, value)
            service.audit(session, staff, "staff_password_reset", "staff_user", user_id, ip=client_ip(request))
        elif what == "unlock":
            user = service.get_user(session, user_id)
            forgiven = service.unlock(session, user.username)
            service.audit(
                session,
                staff,
                "staff_unlocked",
                "staff_user",
                user_id,
                ip=client_ip(request),
                details={"failures_forgiven": forgiven},
            )


@bp.post("/staff/<user_id:int>/<what:(active|password|unlock)>")
@requires(Permission.MANAGE_STAFF)
async def staff_change(request: Request, user_id: int, what: str):
    value = request.form.get("value") or request.form.get("password") or ""
    try:
        await run(_staff_change, request, user_id, what, value)
    except PortalError as error:
        if error.code == "not_found":
            return error_page(request, 404, "error.not_found")
        users = await run(_staff_list, request)
        return render(
            request,
            "staff.html",
            status=400,
            users=users,
            roles=list(auth.ROLES),
            error=(f"error.{error.code}", {"detail": error.detail}),
            form={},
        )
    return redirect_to("/staff", f"staff_{what}")


# --- audit log (admin) -------------------------------------------------------------------


def _audit_page(request: Request, filters: dict, page: int):
    with session_scope(engine_of(request)) as session:
        return service.list_audit(session, **filters, limit=100, offset=page * 100)


@bp.get("/audit")
@requires(Permission.VIEW_AUDIT)
async def audit_log(request: Request):
    filters = {k: (request.args.get(k) or "").strip()[:64] for k in ("username", "action", "target_id")}
    page = int_arg(request, "page", 0)
    entries, total = await run(_audit_page, request, filters, page)
    query = urllib.parse.urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "audit.html",
        entries=entries,
        total=total,
        filters=filters,
        page=page,
        pages=(total + 99) // 100,
        query=query,
    )


# The other sections of the portal add their routes to `bp`.
from lokseva.portal import views_applications, views_callbacks, views_conversations  # noqa: E402,F401
from lokseva.portal import views_appeals  # noqa: E402,F401
