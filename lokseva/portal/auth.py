"""The portal's security rules, as plain Python without a database or web server:
roles and what each may do, password hashing and policy, session tokens and
their signed cookie, CSRF token comparison, the lockout rule, session expiry.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from lokseva.clock import aware
from lokseva.signing import Keyring, keyring, same


class Permission(str, enum.Enum):
    VIEW_APPLICATIONS = "view_applications"
    DECIDE_APPLICATIONS = "decide_applications"  # approve, reject, ask for documents
    MANAGE_DELIVERIES = "manage_deliveries"
    HANDLE_CALLBACKS = "handle_callbacks"
    REVEAL_PHONE = "reveal_phone"  # see a citizen's number to call back
    VIEW_CONVERSATIONS = "view_conversations"
    TRAIN_NLU = "train_nlu"
    VIEW_ANALYTICS = "view_analytics"
    MANAGE_STAFF = "manage_staff"
    VIEW_AUDIT = "view_audit"
    VIEW_APPEALS = "view_appeals"  # the appeal queue and files
    HEAR_FIRST_APPEALS = "hear_first_appeals"  # decide first appeals, open suo-motu ones
    HEAR_SECOND_APPEALS = "hear_second_appeals"  # decide second appeals


P = Permission

# Roles (the staff's words in the comments).
ROLES: Dict[str, FrozenSet[Permission]] = {
    # Lok Seva Kendra operator (ऑपरेटर): answers callbacks, follows deliveries.
    "operator": frozenset(
        {P.VIEW_APPLICATIONS, P.MANAGE_DELIVERIES, P.HANDLE_CALLBACKS, P.REVEAL_PHONE, P.VIEW_ANALYTICS}
    ),
    # Designated officer (पदाभिहित अधिकारी): decides applications within the time limit.
    "designated_officer": frozenset(
        {
            P.VIEW_APPLICATIONS,
            P.DECIDE_APPLICATIONS,
            P.MANAGE_DELIVERIES,
            P.HANDLE_CALLBACKS,
            P.REVEAL_PHONE,
            P.VIEW_CONVERSATIONS,
            P.VIEW_ANALYTICS,
        }
    ),
    # Trainer (प्रशिक्षक): reads conversations, teaches the assistant new examples.
    "trainer": frozenset({P.VIEW_CONVERSATIONS, P.TRAIN_NLU, P.VIEW_ANALYTICS}),
    # First appeal officer (प्रथम अपील अधिकारी, e.g. the SDM): hears first appeals,
    # takes up late applications nobody appealed (suo motu).
    "first_appeal_officer": frozenset({P.VIEW_APPLICATIONS, P.VIEW_APPEALS, P.HEAR_FIRST_APPEALS, P.VIEW_ANALYTICS}),
    # Second appellate authority (द्वितीय अपीलीय प्राधिकारी, e.g. the Collector).
    "second_appellate_authority": frozenset(
        {P.VIEW_APPLICATIONS, P.VIEW_APPEALS, P.HEAR_SECOND_APPEALS, P.VIEW_ANALYTICS}
    ),
    "admin": frozenset(Permission),
}

ROLE_NAMES = {
    "operator": {"hi": "ऑपरेटर", "en": "Operator"},
    "designated_officer": {"hi": "पदाभिहित अधिकारी", "en": "Designated officer"},
    "trainer": {"hi": "प्रशिक्षक", "en": "Trainer"},
    "first_appeal_officer": {"hi": "प्रथम अपील अधिकारी", "en": "First appeal officer"},
    "second_appellate_authority": {"hi": "द्वितीय अपीलीय प्राधिकारी", "en": "Second appellate authority"},
    "admin": {"hi": "एडमिन", "en": "Admin"},
}


def allowed(role: Optional[str], permission: Permission) -> bool:
    return permission in ROLES.get(role or "", frozenset())


# --- passwords ---------------------------------------------------------------

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()  # argon2id with the library's current defaults
# Verified against when the username is unknown, so both cases take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class PasswordPolicyError(ValueError):
    """The password is too weak; the message says why (English, for the CLI and logs)."""


def check_password_policy(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordPolicyError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(set(password)) < 4:
        raise PasswordPolicyError("the password repeats too few different characters")
    if username and username.lower() in password.lower():
        raise PasswordPolicyError("the password must not contain the username")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: Optional[str], password: str) -> bool:
    """True if `password` matches; always does the work of one verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# --- tokens, cookies, CSRF ---------------------------------------------------

COOKIE_NAME = "lokseva_portal"
# Before sign-in: a signed nonce only, so showing the sign-in form writes nothing.
LOGIN_COOKIE_NAME = "lokseva_login"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the sessions table stores instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def sign_cookie(secret: "Keyring | str", token: str, purpose: str = "session") -> str:
    """`<token>.<kid>.<tag>` under the cookie keys (lokseva.signing); `secret` is the
    keyring or SESSION_SECRET itself. `purpose` keeps one cookie from passing for another."""
    message = f"{purpose}\0{token}".encode()
    return token + "." + keyring("cookie", secret).sign(message)


def unsign_cookie(secret: "Keyring | str", value: Optional[str], purpose: str = "session") -> Optional[str]:
    """The token from a cookie value, or None if the value was not signed by us."""
    if not value or "." not in value:
        return None
    token, _, signature = value.partition(".")
    if not token or not keyring("cookie", secret).verify(f"{purpose}\0{token}".encode(), signature):
        return None
    return token


def login_csrf_token(secret: "Keyring | str", nonce: str) -> str:
    """The sign-in form's CSRF token, derived from the pre-sign-in cookie's nonce:
    nothing is stored before someone signs in."""
    return keyring("cookie", secret).sign(f"login-csrf\0{nonce}".encode()).partition(".")[2]


def csrf_matches(expected: Optional[str], given: Optional[str]) -> bool:
    return bool(expected) and same(str(expected), given)


# --- session lifetime --------------------------------------------------------

ABSOLUTE_SESSION_LIFETIME = dt.timedelta(hours=12)  # one working day, then sign in again
ANONYMOUS_SESSION_LIFETIME = dt.timedelta(hours=1)  # the login form's CSRF token


@dataclass(frozen=True)
class SessionTimes:
    expires_at: dt.datetime
    absolute_expires_at: dt.datetime


def new_session_times(now: dt.datetime, idle_minutes: int, authenticated: bool) -> SessionTimes:
    if not authenticated:
        end = now + ANONYMOUS_SESSION_LIFETIME
        return SessionTimes(end, end)
    absolute = now + ABSOLUTE_SESSION_LIFETIME
    return SessionTimes(min(now + dt.timedelta(minutes=idle_minutes), absolute), absolute)


def is_session_live(
    now: dt.datetime, expires_at: dt.datetime, absolute_expires_at: dt.datetime, ended_at: Optional[dt.datetime]
) -> bool:
    return ended_at is None and now < aware(expires_at) and now < aware(absolute_expires_at)


def extended_expiry(now: dt.datetime, idle_minutes: int, absolute_expires_at: dt.datetime) -> dt.datetime:
    return min(now + dt.timedelta(minutes=idle_minutes), aware(absolute_expires_at))


# --- lockout -----------------------------------------------------------------


@dataclass(frozen=True)
class LockoutRule:
    """`max_failures` failed sign-ins within `window` lock the account (or the
    address) until the oldest of them leaves the window."""

    max_failures: int = 5
    window: dt.timedelta = dt.timedelta(minutes=15)

    def locked_until(self, failures: Iterable[dt.datetime], now: dt.datetime) -> Optional[dt.datetime]:
        recent = sorted(aware(t) for t in failures if aware(t) > now - self.window)
        if len(recent) < self.max_failures:
            return None
        # Unlocks when enough of the failures have aged out of the window.
        return recent[len(recent) - self.max_failures] + self.window


ACCOUNT_LOCKOUT = LockoutRule(max_failures=5, window=dt.timedelta(minutes=15))
# One address trying many usernames (password spraying).
ADDRESS_LOCKOUT = LockoutRule(max_failures=20, window=dt.timedelta(minutes=15))

FAILED_OUTCOMES = ("bad_password", "unknown_user", "inactive")


def safe_next(path: Optional[str], default: str) -> str:
    """Only a path inside the portal: never an open redirect to another site."""
    if path and path.startswith("/portal") and not path.startswith("//") and "\\" not in path:
        return path
    return default
