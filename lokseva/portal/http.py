"""The portal's web plumbing: the Sanic blueprint, the session and CSRF
middleware, security headers, template rendering and the permission check.

Database work is synchronous SQLAlchemy; views run it in a worker thread
(`run`) so that one slow query never stalls the webhooks sharing this process.
"""

from __future__ import annotations

import asyncio
import functools
import urllib.parse
from pathlib import Path
from typing import Any, Callable, Optional

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sanic import Blueprint, response
from sanic.request import Request

from lokseva.clock import to_ist
from lokseva.db import get_engine, session_scope
from lokseva.districts import district_by_code
from lokseva.money import format_rupees
from lokseva.portal import auth, i18n
from lokseva.portal.auth import Permission
from lokseva.portal.service import PortalSession, Staff, audit, load_session
from lokseva.settings import Settings

PREFIX = "/portal"
HERE = Path(__file__).parent
LANG_COOKIE = "portal_lang"

bp = Blueprint("portal", url_prefix=PREFIX)

_templates = Environment(
    loader=FileSystemLoader(str(HERE / "templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _ist(moment, fmt: str = "%d-%m-%Y %H:%M") -> str:
    return to_ist(moment).strftime(fmt) if moment else "—"


_templates.filters["ist"] = _ist
_templates.filters["percent"] = lambda v: "—" if v is None else f"{v * 100:.0f}%"


def _rupees(paise) -> str:
    return "—" if paise is None or paise == "" else format_rupees(int(paise))


_templates.filters["rupees"] = _rupees


async def run(fn: Callable, *args, **kwargs) -> Any:
    """Runs blocking database work off the event loop."""
    return await asyncio.to_thread(functools.partial(fn, *args, **kwargs))


def settings_of(request: Request) -> Settings:
    return request.app.ctx.settings


def engine_of(request: Request):
    return get_engine(settings_of(request).database_url)


def tracker_engine_of(request: Request):
    """Where the conversations are read: the stream's compact table when there is one
    (lokseva.portal.stream), else the conversation store."""
    settings = settings_of(request)
    return get_engine(settings.conversation_stream_url or settings.tracker_store_url)


def client_ip(request: Request) -> str:
    # remote_addr is set only when Sanic is told to trust a proxy (SANIC_PROXIES_COUNT).
    return (request.remote_addr or request.ip or "")[:45]


def staff_of(request: Request) -> Optional[Staff]:
    return getattr(request.ctx, "staff", None)


def language_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE)
    return lang if lang in i18n.LANGUAGES else "hi"


# --- sessions and CSRF ---------------------------------------------------------


def _load(settings: Settings, token: str) -> Optional[PortalSession]:
    with session_scope(get_engine(settings.database_url)) as session:
        return load_session(session, token, settings.portal_session_minutes)


@bp.middleware("request")
async def attach_session(request: Request):
    request.ctx.portal_session = None
    request.ctx.staff = None
    request.ctx.new_session = None
    request.ctx.clear_cookie = False
    request.ctx.login_nonce = None
    request.ctx.new_login_nonce = None
    if request.path.startswith(f"{PREFIX}/static/"):
        return None
    settings = settings_of(request)
    cookies = settings.keyring("cookie")
    request.ctx.login_nonce = auth.unsign_cookie(cookies, request.cookies.get(auth.LOGIN_COOKIE_NAME), "login")
    token = auth.unsign_cookie(cookies, request.cookies.get(auth.COOKIE_NAME))
    if token:
        session = await run(_load, settings, token)
        if session is None:
            request.ctx.clear_cookie = True  # expired or ended: forget it
        else:
            request.ctx.portal_session = session
            request.ctx.staff = session.staff
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        expected = csrf_token_of(request) or None
        given = request.form.get("csrf_token") if request.form else None
        given = given or request.headers.get("x-csrf-token")
        if not auth.csrf_matches(expected, given):
            if request.ctx.staff is not None:
                await run(_audit_denied, request, "csrf_rejected")
            return error_page(request, 403, "error.csrf")
    return None


@bp.middleware("response")
async def security_headers(request: Request, resp):
    headers = resp.headers
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    )
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith(f"{PREFIX}/static/"):
        headers["Cache-Control"] = "no-store"
    settings = settings_of(request)
    new: Optional[PortalSession] = getattr(request.ctx, "new_session", None)
    if new is not None and new.token:
        set_cookie(resp, settings, auth.COOKIE_NAME, auth.sign_cookie(settings.keyring("cookie"), new.token))
        if getattr(request.ctx, "login_nonce", None):
            set_cookie(resp, settings, auth.LOGIN_COOKIE_NAME, "", max_age=0)
    elif getattr(request.ctx, "clear_cookie", False):
        set_cookie(resp, settings, auth.COOKIE_NAME, "", max_age=0)
    nonce = getattr(request.ctx, "new_login_nonce", None)
    if nonce:
        set_cookie(resp, settings, auth.LOGIN_COOKIE_NAME, auth.sign_cookie(settings.keyring("cookie"), nonce, "login"))


def set_cookie(resp, settings: Settings, name: str, value: str, max_age: Optional[int] = None) -> None:
    resp.cookies[name] = value
    cookie = resp.cookies[name]
    cookie["path"] = PREFIX
    cookie["httponly"] = True
    cookie["samesite"] = "Lax"
    if settings.public_url.startswith("https://"):
        cookie["secure"] = True
    if max_age is not None:
        cookie["max-age"] = max_age


def csrf_token_of(request: Request) -> str:
    new = getattr(request.ctx, "new_session", None)
    current = new or getattr(request.ctx, "portal_session", None)
    if current:
        return current.csrf_token
    # Before sign-in: derived from the sign-in cookie's nonce, nothing stored.
    nonce = getattr(request.ctx, "new_login_nonce", None) or getattr(request.ctx, "login_nonce", None)
    return auth.login_csrf_token(settings_of(request).keyring("cookie"), nonce) if nonce else ""


# --- rendering -----------------------------------------------------------------

NAV = [
    ("/", "nav.home", None),
    ("/applications", "nav.applications", Permission.VIEW_APPLICATIONS),
    ("/time-limits", "nav.time_limits", Permission.VIEW_APPLICATIONS),
    ("/appeals", "nav.appeals", Permission.VIEW_APPEALS),
    ("/deliveries", "nav.deliveries", Permission.MANAGE_DELIVERIES),
    ("/callbacks", "nav.callbacks", Permission.HANDLE_CALLBACKS),
    ("/conversations", "nav.conversations", Permission.VIEW_CONVERSATIONS),
    ("/trainer", "nav.trainer", Permission.TRAIN_NLU),
    ("/analytics", "nav.analytics", Permission.VIEW_ANALYTICS),
    ("/staff", "nav.staff", Permission.MANAGE_STAFF),
    ("/audit", "nav.audit", Permission.VIEW_AUDIT),
]
ENABLED_SECTIONS = {path for path, _, _ in NAV}


def render(request: Request, template: str, status: int = 200, **context) -> response.HTTPResponse:
    lang = language_of(request)
    staff = staff_of(request)
    nav = [
        (PREFIX + path if path != "/" else PREFIX + "/", key)
        for path, key, permission in NAV
        if path in ENABLED_SECTIONS and staff is not None and (permission is None or staff.can(permission))
    ]
    message = request.args.get("msg")
    html = _templates.get_template(template).render(
        t=i18n.translator(lang),
        lang=lang,
        other_lang="en" if lang == "hi" else "hi",
        staff=staff,
        role_name=(auth.ROLE_NAMES.get(staff.role, {}).get(lang) if staff else ""),
        csrf_token=csrf_token_of(request),
        nav=nav,
        path=request.path,
        here=request.path + (f"?{request.query_string}" if request.query_string else ""),
        prefix=PREFIX,
        flash=message if message in i18n.FLASH_CODES else None,
        district=i18n.district_name(staff, lang),
        tehsils=i18n.tehsils(staff),
        districts=i18n.districts(lang),
        district_names=dict(i18n.districts(lang)),
        can=lambda name: staff is not None and staff.can(Permission(name)),
        known_keys=i18n.MESSAGES,
        **context,
    )
    return response.html(html, status=status)


def district_filter(staff, asked: Optional[str]) -> str:
    """A district's staff see their district; state staff the one they pick, or all ("")."""
    if staff.district_code:
        return staff.district_code
    district = district_by_code((asked or "").strip()[:3])
    return district.code if district else ""


def error_page(request: Request, status: int, key: str) -> response.HTTPResponse:
    return render(request, "error.html", status=status, error_key=key, error_status=status)


def redirect_to(path: str, msg: Optional[str] = None) -> response.HTTPResponse:
    target = PREFIX + path
    if msg:
        target += ("&" if "?" in target else "?") + urllib.parse.urlencode({"msg": msg})
    return response.redirect(target, status=303)


def _audit_denied(request: Request, action: str) -> None:
    with session_scope(engine_of(request)) as session:
        audit(session, staff_of(request), action, "path", request.path[:64], ip=client_ip(request))


def requires(permission: Optional[Permission] = None):
    """Signed-in staff only (others go to the login page); with `permission`,
    staff without it get 403 and the attempt is audited."""

    def decorate(handler):
        @functools.wraps(handler)
        async def wrapper(request: Request, *args, **kwargs):
            staff = staff_of(request)
            if staff is None:
                wanted = request.path + (f"?{request.query_string}" if request.query_string else "")
                if request.method != "GET":
                    wanted = PREFIX + "/"
                return response.redirect(f"{PREFIX}/login?" + urllib.parse.urlencode({"next": wanted}), status=303)
            if permission is not None and not staff.can(permission):
                await run(_audit_denied, request, "access_denied")
                return error_page(request, 403, "error.forbidden")
            return await handler(request, *args, **kwargs)

        return wrapper

    return decorate


def form_value(request: Request, name: str, default: str = "") -> str:
    value = request.form.get(name) if request.form else None
    return (value if value is not None else default).strip()


def form_ints(request: Request, name: str) -> list:
    values = request.form.getlist(name) if request.form else []
    ids = []
    for value in values or []:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    return ids


def int_arg(request: Request, name: str, default: int, low: int = 0, high: int = 10_000) -> int:
    try:
        return min(max(int(request.args.get(name, default)), low), high)
    except (TypeError, ValueError):
        return default
