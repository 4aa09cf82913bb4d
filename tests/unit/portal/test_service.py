"""Accounts, sign-in with lockout, sessions, audit and callbacks on a real
(migrated) database."""

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from lokseva.db import session_scope
from lokseva.portal import callbacks, service
from lokseva.portal.models import CallbackRequest, LoginAttempt, StaffSession, StaffUser
from lokseva.portal.service import PortalError

NOW = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.timezone.utc)
PASSWORD = "a-Long-pass-1234"


@pytest.fixture
def officer_id(engine):
    with session_scope(engine) as s:
        return service.create_user(s, " Officer.Petlawad ", PASSWORD, "designated_officer", "Meena", "Petlawad").id


def test_accounts_are_created_with_hashed_passwords(engine, officer_id):
    with session_scope(engine) as s:
        user = s.get(StaffUser, officer_id)
        assert user.username == "officer.petlawad", "usernames are case-insensitive"
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        assert user.tehsil == "Petlawad" and user.is_active
    with session_scope(engine) as s:
        with pytest.raises(PortalError) as taken:
            service.create_user(s, "OFFICER.petlawad", PASSWORD, "operator")
        assert taken.value.code == "username_taken"
    for args, code in [
        (("x y", PASSWORD, "operator"), "bad_username"),
        (("ok", PASSWORD, "superuser"), "bad_role"),
        (("ok", "short", "operator"), "weak_password"),
    ]:
        with session_scope(engine) as s, pytest.raises(PortalError) as error:
            service.create_user(s, *args)
        assert error.value.code == code


def test_the_database_refuses_an_unknown_role(engine):
    with pytest.raises(sa.exc.IntegrityError), session_scope(engine) as s:
        s.add(StaffUser(username="x", full_name="", role="root", password_hash="h", is_active=True))


def login(engine, username, password, ip="10.0.0.1", now=NOW):
    with session_scope(engine) as s:
        return service.attempt_login(s, username, password, ip, now)


def test_login_succeeds_with_the_right_password_only(engine, officer_id):
    assert login(engine, "OFFICER.PETLAWAD", PASSWORD).outcome == "succeeded"
    assert login(engine, "officer.petlawad", PASSWORD + "x").outcome == "refused"
    assert login(engine, "nobody", PASSWORD).outcome == "refused", "unknown users look like wrong passwords"
    with session_scope(engine) as s:
        outcomes = [a.outcome for a in s.execute(sa.select(LoginAttempt).order_by(LoginAttempt.id)).scalars()]
        assert outcomes == ["succeeded", "bad_password", "unknown_user"]
        assert s.get(StaffUser, officer_id).last_login_at is not None


def test_five_failures_lock_the_account_for_fifteen_minutes(engine, officer_id):
    for minute in range(5):
        assert login(engine, "officer.petlawad", "wrong", now=NOW + dt.timedelta(minutes=minute)).outcome == "refused"
    locked = login(engine, "officer.petlawad", PASSWORD, now=NOW + dt.timedelta(minutes=5))
    assert locked.outcome == "locked", "even the right password is refused while locked"
    assert locked.locked_until == NOW + dt.timedelta(minutes=15)
    assert (
        login(engine, "officer.petlawad", PASSWORD, now=NOW + dt.timedelta(minutes=15, seconds=1)).outcome
        == "succeeded"
    )


def test_someone_elses_failures_do_not_lock_the_officer_out(engine, officer_id):
    """The lock is on the account for the address that failed: a stranger typing
    wrong passwords cannot lock every officer out of the portal."""
    for minute in range(5):
        login(engine, "officer.petlawad", "wrong", ip="203.0.113.9", now=NOW + dt.timedelta(minutes=minute))
    assert (
        login(engine, "officer.petlawad", PASSWORD, ip="203.0.113.9", now=NOW + dt.timedelta(minutes=5)).outcome
        == "locked"
    )
    assert (
        login(engine, "officer.petlawad", PASSWORD, ip="10.9.9.9", now=NOW + dt.timedelta(minutes=6)).outcome
        == "succeeded"
    )


def test_an_admin_can_unlock(engine, officer_id):
    for minute in range(5):
        login(engine, "officer.petlawad", "wrong", now=NOW + dt.timedelta(minutes=minute))
    with session_scope(engine) as s:
        assert service.unlock(s, "officer.petlawad", now=NOW + dt.timedelta(minutes=5)) == 5
    assert login(engine, "officer.petlawad", PASSWORD, now=NOW + dt.timedelta(minutes=6)).outcome == "succeeded"


def test_one_address_trying_many_accounts_is_locked(engine, officer_id):
    for i in range(20):
        login(engine, f"guess{i}", "wrong", ip="203.0.113.7", now=NOW)
    assert login(engine, "officer.petlawad", PASSWORD, ip="203.0.113.7", now=NOW).outcome == "locked"
    assert login(engine, "officer.petlawad", PASSWORD, ip="10.0.0.2", now=NOW).outcome == "succeeded"


def test_deactivated_accounts_cannot_sign_in(engine, officer_id):
    with session_scope(engine) as s:
        service.set_active(s, officer_id, False)
    assert login(engine, "officer.petlawad", PASSWORD).outcome == "refused"


def start(engine, user_id, now=NOW, minutes=30):
    with session_scope(engine) as s:
        return service.start_session(s, user_id, "10.0.0.1", "pytest", minutes, now)


def load(engine, token, now):
    with session_scope(engine) as s:
        return service.load_session(s, token, 30, now)


def test_sessions_expire_when_idle_and_are_extended_by_use(engine, officer_id):
    started = start(engine, officer_id)
    with session_scope(engine) as s:
        row = s.get(StaffSession, started.digest)
        assert row.id != started.token, "only the digest is stored"
    assert load(engine, started.token, NOW + dt.timedelta(minutes=29)).staff.username == "officer.petlawad"
    # That use pushed the idle expiry to 29 + 30 minutes.
    assert load(engine, started.token, NOW + dt.timedelta(minutes=50)) is not None
    assert load(engine, started.token, NOW + dt.timedelta(minutes=81)) is None
    assert load(engine, "forged-token", NOW) is None


def test_sessions_end_on_logout_deactivation_and_password_change(engine, officer_id, staff):
    a, b, c = (start(engine, officer_id) for _ in range(3))
    with session_scope(engine) as s:
        service.end_session(s, a.digest, NOW)
    assert load(engine, a.token, NOW) is None and load(engine, b.token, NOW) is not None
    with session_scope(engine) as s:
        service.set_password(s, officer_id, "another-Long-pass-9", now=NOW)
    assert load(engine, b.token, NOW) is None and load(engine, c.token, NOW) is None
    d = start(engine, officer_id)
    with session_scope(engine) as s:
        service.set_active(s, officer_id, False, now=NOW)
    assert load(engine, d.token, NOW) is None


def test_anonymous_sessions_hold_a_csrf_token_only(engine):
    anonymous = start(engine, None)
    loaded = load(engine, anonymous.token, NOW + dt.timedelta(minutes=59))
    assert loaded.staff is None and loaded.csrf_token == anonymous.csrf_token
    assert load(engine, anonymous.token, NOW + dt.timedelta(minutes=61)) is None


def test_old_sessions_are_purged(engine, officer_id):
    start(engine, None, now=NOW - dt.timedelta(days=3))
    kept = start(engine, officer_id)
    with session_scope(engine) as s:
        assert service.purge_old_sessions(s, NOW) == 1
        assert [r.id for r in s.execute(sa.select(StaffSession)).scalars()] == [kept.digest]


def test_own_password_change_needs_the_current_one(engine, officer_id):
    with session_scope(engine) as s, pytest.raises(PortalError) as error:
        service.change_own_password(s, officer_id, "wrong", "another-Long-pass-9")
    assert error.value.code == "wrong_password"
    with session_scope(engine) as s:
        service.change_own_password(s, officer_id, PASSWORD, "another-Long-pass-9")
    assert login(engine, "officer.petlawad", "another-Long-pass-9").outcome == "succeeded"


def test_audit_log_records_who_what_when_target_and_ip(engine, staff):
    with session_scope(engine) as s:
        service.audit(
            s, staff["admin"], "staff_created", "staff_user", 7, ip="10.1.2.3", details={"role": "trainer"}, now=NOW
        )
        service.audit(s, None, "login_failed", ip="10.1.2.4", username="Ghost", now=NOW)
    with session_scope(engine) as s:
        entries, total = service.list_audit(s)
        assert total == 2
        latest = {e.action: e for e in entries}
        created = latest["staff_created"]
        assert (created.username, created.target_type, created.target_id, created.ip) == (
            "admin1",
            "staff_user",
            "7",
            "10.1.2.3",
        )
        assert json.loads(created.details) == {"role": "trainer"}
        assert latest["login_failed"].username == "ghost" and latest["login_failed"].user_id is None
        assert service.list_audit(s, username="admin1")[1] == 1
        assert service.list_audit(s, action="login")[1] == 1
        assert service.list_audit(s, target_id="7")[1] == 1


@pytest.mark.parametrize(
    "typed", ["2345 - 6789 - 0124", "2345/6789/0124", "2345–6789–0124", "2345,\n6789,\n0124", "२३४५ ६७८९ ०१२४"]
)
def test_callback_requests_keep_no_aadhaar_number_in_any_spelling(engine, typed):
    from lokseva.text import digits

    with session_scope(engine) as s:
        request, _ = callbacks.request_callback(
            s, "whatsapp:+919876543211", [f"aadhaar {typed} hai"], "hi", NOW + dt.timedelta(hours=6), now=NOW
        )
        assert digits(json.loads(request.last_messages)[0]) == "0124"


def test_callback_requests_mask_numbers_and_do_not_duplicate(engine, staff):
    call_by = NOW + dt.timedelta(hours=6)
    with session_scope(engine) as s:
        first, created = callbacks.request_callback(
            s,
            "whatsapp:+919876543210",
            ["namaste", "mera aadhaar 1234 5678 9012", "baat karni hai"],
            "hi",
            call_by,
            application_id="JBA-2026-000123",
            now=NOW,
        )
        assert created
    with session_scope(engine) as s:
        again, created = callbacks.request_callback(
            s, "whatsapp:+919876543210", ["jaldi call karo"], "hi", call_by, now=NOW
        )
        assert not created and again.id == first.id
    with session_scope(engine) as s:
        row = s.get(CallbackRequest, first.id)
        assert row.phone_masked == "+91******3210"
        assert json.loads(row.last_messages) == ["jaldi call karo"]
        assert row.application_id == "JBA-2026-000123", "kept from the first request"
        assert callbacks.count_open_callbacks(s) == 1
        callbacks.update_callback(s, first.id, "called", staff["admin"], "called, will visit Monday")
    with session_scope(engine) as s:
        assert callbacks.count_open_callbacks(s) == 0
        assert [r.id for r, _ in callbacks.list_callbacks(s, "called")] == [first.id]
        _, created = callbacks.request_callback(s, "whatsapp:+919876543210", ["phir se"], "hi", call_by, now=NOW)
        assert created, "a new request once the old one was handled"
    with session_scope(engine) as s:
        first_row = s.get(CallbackRequest, first.id)
        assert "1234 5678 9012" not in first_row.last_messages
        with pytest.raises(PortalError):
            callbacks.update_callback(s, first.id, "lost", staff["admin"])
