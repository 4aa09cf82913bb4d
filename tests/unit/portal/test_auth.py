"""The portal's security rules without a database."""

import datetime as dt

import pytest

from lokseva.portal import auth
from lokseva.portal.auth import Permission as P

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone.utc)


def test_roles_grant_what_the_job_needs_and_nothing_more():
    assert auth.allowed("designated_officer", P.DECIDE_APPLICATIONS)
    assert not auth.allowed("operator", P.DECIDE_APPLICATIONS)
    assert not auth.allowed("trainer", P.VIEW_APPLICATIONS), "trainers never see applicants' data"
    assert auth.allowed("trainer", P.TRAIN_NLU) and auth.allowed("trainer", P.VIEW_CONVERSATIONS)
    assert not auth.allowed("operator", P.VIEW_CONVERSATIONS)
    assert not auth.allowed("designated_officer", P.MANAGE_STAFF)
    assert all(auth.allowed("admin", p) for p in P)
    assert not auth.allowed(None, P.VIEW_ANALYTICS) and not auth.allowed("root", P.VIEW_ANALYTICS)


def test_role_names_match_the_database_constraint():
    from lokseva.portal.models import ROLE_VALUES

    assert set(auth.ROLES) == set(ROLE_VALUES) == set(auth.ROLE_NAMES)


def test_passwords_are_argon2_hashed_and_verified():
    hashed = auth.hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$") and "correct" not in hashed
    assert auth.verify_password(hashed, "correct horse battery")
    assert not auth.verify_password(hashed, "correct horse batterY")
    assert not auth.verify_password(None, "correct horse battery"), "unknown user"
    assert not auth.verify_password("not-a-hash", "x")


@pytest.mark.parametrize(
    "password, why",
    [
        ("short1!", "at least"),
        ("aaaaaaaaaaaa", "too few"),
        ("ravi.kumar-2026!", "username"),
    ],
)
def test_weak_passwords_are_refused(password, why):
    with pytest.raises(auth.PasswordPolicyError, match=why):
        auth.check_password_policy(password, "ravi.kumar")


def test_cookie_signature_detects_tampering():
    cookie = auth.sign_cookie("secret-1", "tok")
    assert auth.unsign_cookie("secret-1", cookie) == "tok"
    assert auth.unsign_cookie("secret-2", cookie) is None, "another secret"
    assert auth.unsign_cookie("secret-1", "tuk" + cookie[3:]) is None, "another token"
    for junk in (None, "", "no-dot", ".sig", "tok."):
        assert auth.unsign_cookie("secret-1", junk) is None


def test_session_tokens_are_random_and_stored_as_digests():
    a, b = auth.new_token(), auth.new_token()
    assert a != b and len(a) >= 40
    assert auth.token_digest(a) != a and len(auth.token_digest(a)) == 64


def test_csrf_comparison():
    assert auth.csrf_matches("abc", "abc")
    assert not auth.csrf_matches("abc", "abd")
    assert not auth.csrf_matches("abc", None) and not auth.csrf_matches(None, None) and not auth.csrf_matches("", "")


def test_session_expiry_idle_and_absolute():
    times = auth.new_session_times(NOW, 30, authenticated=True)
    assert times.expires_at == NOW + dt.timedelta(minutes=30)
    assert times.absolute_expires_at == NOW + dt.timedelta(hours=12)
    assert auth.is_session_live(NOW + dt.timedelta(minutes=29), times.expires_at, times.absolute_expires_at, None)
    assert not auth.is_session_live(NOW + dt.timedelta(minutes=30), times.expires_at, times.absolute_expires_at, None)
    assert not auth.is_session_live(NOW, times.expires_at, times.absolute_expires_at, NOW), "ended"
    # Activity extends the idle expiry, never past the absolute one.
    late = NOW + dt.timedelta(hours=11, minutes=50)
    assert auth.extended_expiry(late, 30, times.absolute_expires_at) == times.absolute_expires_at
    anonymous = auth.new_session_times(NOW, 30, authenticated=False)
    assert anonymous.expires_at == NOW + dt.timedelta(hours=1)


def test_naive_datetimes_from_sqlite_are_read_as_utc():
    naive_end = (NOW + dt.timedelta(minutes=5)).replace(tzinfo=None)
    assert auth.is_session_live(NOW, naive_end, naive_end, None)


def test_lockout_after_five_failures_in_fifteen_minutes():
    rule = auth.LockoutRule(max_failures=5, window=dt.timedelta(minutes=15))
    failures = [NOW - dt.timedelta(minutes=m) for m in (1, 2, 3, 4)]
    assert rule.locked_until(failures, NOW) is None
    failures.append(NOW - dt.timedelta(minutes=10))
    assert rule.locked_until(failures, NOW) == NOW + dt.timedelta(minutes=5), "until the oldest ages out"
    old = [NOW - dt.timedelta(minutes=16 + m) for m in range(10)]
    assert rule.locked_until(old, NOW) is None, "failures outside the window do not count"


@pytest.mark.parametrize(
    "given, expected",
    [
        ("/portal/conversations?phone=1234", "/portal/conversations?phone=1234"),
        ("https://evil.example/portal", "/portal/"),
        ("//evil.example/portal", "/portal/"),
        ("/portal\\..\\x", "/portal/"),
        ("/health", "/portal/"),
        (None, "/portal/"),
    ],
)
def test_next_stays_inside_the_portal(given, expected):
    assert auth.safe_next(given, "/portal/") == expected
