"""Queries and state changes of the portal's own records: staff accounts, sessions,
sign-in with lockout and the audit log (callback requests: callbacks.py).

Every function takes the unit of work's SQLAlchemy session from its caller
(a view, the create_admin command, a Rasa action) and never commits itself.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lokseva.clock import aware, now_utc
from lokseva.portal import auth
from lokseva.portal.auth import Permission
from lokseva.portal.models import (
    AuditEntry,
    LoginAttempt,
    StaffSession,
    StaffUser,
)
from lokseva.districts import district_by_code


class PortalError(ValueError):
    """A request the portal refuses; `code` names the message shown to staff."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Staff:
    """The signed-in member of staff, as views see them."""

    id: int
    username: str
    full_name: str
    role: str
    tehsil: Optional[str]
    district_code: Optional[str] = None  # None: the state, every district

    @property
    def state_wide(self) -> bool:
        return not self.district_code

    def can(self, permission: Permission) -> bool:
        return auth.allowed(self.role, permission)

    @classmethod
    def of(cls, user: StaffUser) -> "Staff":
        return cls(user.id, user.username, user.full_name, user.role, user.tehsil, user.district_code)


@dataclass(frozen=True)
class PortalSession:
    digest: str
    csrf_token: str
    staff: Optional[Staff]
    token: Optional[str] = None  # only right after the session was started: goes in the cookie


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


# --- accounts ----------------------------------------------------------------


def _district_code(code: Optional[str]) -> Optional[str]:
    """A registered district's code, or None (state-wide)."""
    if not code:
        return None
    district = district_by_code(code)
    if district is None:
        raise PortalError("bad_district", f"no district with code {code!r}")
    return district.code


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    tehsil: Optional[str] = None,
    district_code: Optional[str] = None,
) -> StaffUser:
    username = normalise_username(username)
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise PortalError("bad_username", "usernames use letters, digits, '.', '_' or '-'")
    if len(username) > 64:
        raise PortalError("bad_username", "usernames have at most 64 characters")
    if role not in auth.ROLES:
        raise PortalError("bad_role", f"role must be one of {', '.join(auth.ROLES)}")
    try:
        auth.check_password_policy(password, username)
    except auth.PasswordPolicyError as error:
        raise PortalError("weak_password", str(error)) from None
    if session.execute(sa.select(StaffUser.id).where(StaffUser.username == username)).first():
        raise PortalError("username_taken", f"the username {username!r} is taken")
    user = StaffUser(
        username=username,
        full_name=(full_name or "").strip()[:120],
        role=role,
        tehsil=tehsil or None,
        district_code=_district_code(district_code),
        password_hash=auth.hash_password(password),
        is_active=True,
        created_at=now_utc(),
        password_changed_at=now_utc(),
    )
    session.add(user)
    session.flush()
    return user


def list_staff(session: Session) -> List[StaffUser]:
    return list(session.execute(sa.select(StaffUser).order_by(StaffUser.username)).scalars())


def get_user(session: Session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise PortalError("not_found")
    return user


def set_active(session: Session, user_id: int, active: bool, now: Optional[dt.datetime] = None) -> StaffUser:
    user = get_user(session, user_id)
    user.is_active = active
    if not active:
        end_sessions_of(session, user.id, now or now_utc())
    return user


def set_password(session: Session, user_id: int, password: str, now: Optional[dt.datetime] = None) -> StaffUser:
    user = get_user(session, user_id)
    try:
        auth.check_password_policy(password, user.username)
    except auth.PasswordPolicyError as error:
        raise PortalError("weak_password", str(error)) from None
    user.password_hash = auth.hash_password(password)
    user.password_changed_at = now or now_utc()
    # A changed password signs the account out everywhere.
    end_sessions_of(session, user.id, now or now_utc())
    return user


def change_own_password(session: Session, user_id: int, current: str, new: str) -> StaffUser:
    user = get_user(session, user_id)
    if not auth.verify_password(user.password_hash, current):
        raise PortalError("wrong_password")
    return set_password(session, user_id, new)


# --- sessions ----------------------------------------------------------------


def start_session(
    session: Session,
    user_id: Optional[int],
    ip: Optional[str],
    user_agent: Optional[str],
    idle_minutes: int,
    now: Optional[dt.datetime] = None,
) -> PortalSession:
    now = now or now_utc()
    token = auth.new_token()
    times = auth.new_session_times(now, idle_minutes, authenticated=user_id is not None)
    row = StaffSession(
        id=auth.token_digest(token),
        user_id=user_id,
        csrf_token=auth.new_token(),
        created_at=now,
        last_seen_at=now,
        expires_at=times.expires_at,
        absolute_expires_at=times.absolute_expires_at,
        ip=(ip or "")[:45] or None,
        user_agent=(user_agent or "")[:200] or None,
    )
    session.add(row)
    staff = Staff.of(session.get(StaffUser, user_id)) if user_id is not None else None
    return PortalSession(row.id, row.csrf_token, staff, token=token)


def load_session(
    session: Session, token: str, idle_minutes: int, now: Optional[dt.datetime] = None
) -> Optional[PortalSession]:
    """The live session of `token`, its idle expiry pushed forward; None if the
    token is unknown, expired, ended, or its account was deactivated."""
    now = now or now_utc()
    row = session.get(StaffSession, auth.token_digest(token))
    if row is None or not auth.is_session_live(now, row.expires_at, row.absolute_expires_at, row.ended_at):
        return None
    staff = None
    if row.user_id is not None:
        user = session.get(StaffUser, row.user_id)
        if user is None or not user.is_active:
            return None
        staff = Staff.of(user)
        # Write at most once a minute: a page with several requests need not update the row each time.
        if now - aware(row.last_seen_at) > dt.timedelta(minutes=1):
            row.last_seen_at = now
            row.expires_at = auth.extended_expiry(now, idle_minutes, row.absolute_expires_at)
    return PortalSession(row.id, row.csrf_token, staff)


def end_session(session: Session, digest: str, now: Optional[dt.datetime] = None) -> None:
    row = session.get(StaffSession, digest)
    if row is not None and row.ended_at is None:
        row.ended_at = now or now_utc()


def end_sessions_of(session: Session, user_id: int, now: dt.datetime) -> None:
    session.execute(
        sa.update(StaffSession)
        .where(StaffSession.user_id == user_id, StaffSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def purge_old_sessions(session: Session, now: Optional[dt.datetime] = None) -> int:
    """Deletes sessions that expired more than a day ago (anonymous ones pile up)."""
    cutoff = (now or now_utc()) - dt.timedelta(days=1)
    result = session.execute(sa.delete(StaffSession).where(StaffSession.expires_at < cutoff))
    return result.rowcount or 0


# --- sign-in -----------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    outcome: str  # succeeded | refused | locked
    user_id: Optional[int] = None
    locked_until: Optional[dt.datetime] = None


def _failures(session: Session, where, since: dt.datetime) -> List[dt.datetime]:
    return list(
        session.execute(
            sa.select(LoginAttempt.at).where(
                *where, LoginAttempt.at > since, LoginAttempt.outcome.in_(auth.FAILED_OUTCOMES)
            )
        ).scalars()
    )


def attempt_login(
    session: Session, username: str, password: str, ip: Optional[str], now: Optional[dt.datetime] = None
) -> LoginResult:
    """Checks the lockout first, then the password. Unknown user, wrong password and
    deactivated account look the same to the person signing in."""
    now = now or now_utc()
    username = normalise_username(username)[:64]
    ip = (ip or "")[:45] or None
    # An account locks for the address its failures came from, not for everyone:
    # otherwise anyone could lock every officer out by typing wrong passwords. The
    # address's own lockout stops one address guessing many accounts.
    by_address = LoginAttempt.ip == ip if ip else LoginAttempt.ip.is_(None)
    rules = [(auth.ACCOUNT_LOCKOUT, (LoginAttempt.username == username, by_address))]
    if ip:
        rules.append((auth.ADDRESS_LOCKOUT, (LoginAttempt.ip == ip,)))
    for rule, where in rules:
        locked_until = rule.locked_until(_failures(session, where, now - rule.window), now)
        if locked_until:
            session.add(LoginAttempt(username=username, ip=ip, at=now, outcome="locked"))
            return LoginResult("locked", locked_until=locked_until)

    user = session.execute(sa.select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
    password_ok = auth.verify_password(user.password_hash if user else None, password)
    if user is None:
        outcome = "unknown_user"
    elif not password_ok:
        outcome = "bad_password"
    elif not user.is_active:
        outcome = "inactive"
    else:
        outcome = "succeeded"
    session.add(LoginAttempt(username=username, ip=ip, at=now, outcome=outcome))
    if outcome != "succeeded":
        return LoginResult("refused")
    user.last_login_at = now
    if auth.needs_rehash(user.password_hash):
        user.password_hash = auth.hash_password(password)
    return LoginResult("succeeded", user_id=user.id)


def unlock(session: Session, username: str, now: Optional[dt.datetime] = None) -> int:
    """Forgets recent failures of `username` (an admin's decision, audited by the caller)."""
    now = now or now_utc()
    result = session.execute(
        sa.update(LoginAttempt)
        .where(
            LoginAttempt.username == normalise_username(username),
            LoginAttempt.at > now - auth.ACCOUNT_LOCKOUT.window,
            LoginAttempt.outcome.in_(auth.FAILED_OUTCOMES),
        )
        .values(outcome="forgiven")
    )
    return result.rowcount or 0


# --- audit -------------------------------------------------------------------


def audit(
    session: Session,
    actor: Optional[Staff],
    action: str,
    target_type: Optional[str] = None,
    target_id: Optional[Any] = None,
    ip: Optional[str] = None,
    details: Optional[Dict[str, Any]] = None,
    username: Optional[str] = None,
    now: Optional[dt.datetime] = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=now or now_utc(),
        user_id=actor.id if actor else None,
        username=(actor.username if actor else normalise_username(username or "") or "-")[:64],
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id)[:64],
        ip=(ip or "")[:45] or None,
        details=json.dumps(details, ensure_ascii=False, default=str) if details else None,
    )
    session.add(entry)
    return entry


def list_audit(
    session: Session,
    username: str = "",
    action: str = "",
    target_id: str = "",
    limit: int = 100,
    offset: int = 0,
) -> Tuple[List[AuditEntry], int]:
    query = sa.select(AuditEntry)
    if username:
        query = query.where(AuditEntry.username == normalise_username(username))
    if action:
        query = query.where(AuditEntry.action.like(f"{action}%"))
    if target_id:
        query = query.where(AuditEntry.target_id == target_id.strip())
    total = session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(offset)
    ).scalars()
    return list(rows), total
