"""Security of the staff portal, through a real web process on PostgreSQL:
sign-in, roles, CSRF, lockout, sessions, headers, escaping, audit."""

import pytest
import requests

from lokseva.devtools import processes
from tests.unit.portal.support import PortalClient, all_pages, start_portal_web, store_conversations

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


@pytest.fixture(scope="module")
def web(tmp_path_factory, postgres_database_factory):
    started = start_portal_web(tmp_path_factory.mktemp("portal-security"), postgres_database_factory)
    yield started
    processes.stop_all(started.running)


@pytest.mark.parametrize("path", all_pages() + ["/portal/conversations/1"])
def test_unauthenticated_pages_redirect_to_login(web, path):
    reply = requests.get(web.url + path, allow_redirects=False, timeout=30)
    assert reply.status_code == 303
    assert reply.headers["Location"].startswith("/portal/login?next=")


def test_login_then_back_to_the_page_asked_for(web):
    user, password = web.staff("officer.next", "designated_officer")
    client = web.client()
    client.get("/portal/login?next=/portal/callbacks?status=closed")
    reply = client.post(
        "/portal/login", {"username": user, "password": password, "next": "/portal/callbacks?status=closed"}
    )
    assert reply.status_code == 303 and reply.headers["Location"] == "/portal/callbacks?status=closed"
    evil = web.client()
    evil.get("/portal/login")
    reply = evil.post("/portal/login", {"username": user, "password": password, "next": "https://evil.example/"})
    assert reply.headers["Location"] == "/portal/"


@pytest.mark.parametrize(
    "role, path",
    [
        ("trainer", "/portal/staff"),
        ("trainer", "/portal/audit"),
        ("trainer", "/portal/callbacks"),
        ("operator", "/portal/trainer"),
        ("operator", "/portal/conversations"),
        ("designated_officer", "/portal/staff"),
    ],
)
def test_wrong_role_gets_403(web, role, path):
    client = web.signed_in(f"{role}.{path.strip('/').replace('/', '-')}", role)
    reply = client.get(path)
    assert reply.status_code == 403
    assert "अनुमति नहीं" in reply.text
    rows = web.query(
        "SELECT action, target_id FROM staff_audit_log WHERE username = :u AND action = 'access_denied'",
        u=f"{role}.{path.strip('/').replace('/', '-')}",
    )
    assert [r.target_id for r in rows] == [path]


def test_wrong_role_cannot_post_either(web):
    client = web.signed_in("operator.poster", "operator")
    client.get("/portal/")
    assert client.post("/portal/trainer/export").status_code == 403
    assert (
        client.post("/portal/staff", {"username": "x", "role": "admin", "password": "a-Long-pass-1234"}).status_code
        == 403
    )
    assert web.query("SELECT count(*) FROM staff_users WHERE username = 'x'")[0][0] == 0


def test_posts_without_a_valid_csrf_token_are_refused(web):
    admin = web.signed_in("admin.csrf", "admin")
    admin.get("/portal/staff")
    form = {"username": "made.by.csrf", "role": "admin", "password": "a-Long-pass-1234", "full_name": ""}
    assert admin.post("/portal/staff", form, csrf=False).status_code == 403
    assert admin.post("/portal/staff", form, csrf="forged").status_code == 403
    other = web.signed_in("admin.other", "admin")
    other.get("/portal/staff")
    assert admin.post("/portal/staff", form, csrf=other.csrf).status_code == 403, "another session's token"
    assert web.query("SELECT count(*) FROM staff_users WHERE username = 'made.by.csrf'")[0][0] == 0
    assert admin.post("/portal/staff", form).status_code == 303, "the page's own token works"
    assert web.query("SELECT count(*) FROM staff_users WHERE username = 'made.by.csrf'")[0][0] == 1
    # The refusals are in the audit log.
    assert (
        web.query("SELECT count(*) FROM staff_audit_log WHERE username = 'admin.csrf' AND action = 'csrf_rejected'")[0][
            0
        ]
        == 3
    )


def test_login_form_needs_its_csrf_token(web):
    user, password = web.staff("officer.csrflogin", "designated_officer")
    fresh = requests.post(
        web.url + "/portal/login", data={"username": user, "password": password}, allow_redirects=False, timeout=30
    )
    assert fresh.status_code == 403 and "lokseva_portal" not in fresh.headers.get("Set-Cookie", "")


def test_showing_the_sign_in_form_writes_no_session(web):
    """Each cookie-less GET /portal/login used to add a sessions row: anyone could fill the table."""
    count = lambda: web.query("SELECT count(*) FROM staff_sessions")[0][0]  # noqa: E731
    before = count()
    for _ in range(25):
        assert requests.get(web.url + "/portal/login", timeout=30).status_code == 200
    assert count() == before
    # The form still works: its CSRF token comes from the signed cookie.
    user, password = web.staff("officer.nosession", "designated_officer")
    client = web.client()
    client.get("/portal/login")
    assert client.login(user, password).status_code == 303 and count() == before + 1
    forged = web.client()
    forged.get("/portal/login")
    wrong = forged.post("/portal/login", {"username": user, "password": password}, csrf="x" * len(forged.csrf))
    assert wrong.status_code == 403


def test_lockout_after_five_failures(web):
    user, password = web.staff("officer.locked", "designated_officer")
    client = web.client()
    for _ in range(5):
        reply = client.login(user, "wrong password!")
        assert reply.status_code == 401 and "गलत" in reply.text
    reply = client.login(user, password)
    assert reply.status_code == 429 and "मिनट बाद" in reply.text
    assert client.get("/portal/").status_code == 303, "not signed in"
    actions = [
        r.action for r in web.query("SELECT action FROM staff_audit_log WHERE username = 'officer.locked' ORDER BY id")
    ]
    assert actions == ["login_failed"] * 5 + ["login_locked"]
    # An admin unlocks the account (audited), then the password works.
    admin = web.signed_in("admin.unlocker", "admin")
    user_id = web.query("SELECT id FROM staff_users WHERE username = 'officer.locked'")[0][0]
    admin.get("/portal/staff")
    assert admin.post(f"/portal/staff/{user_id}/unlock").status_code == 303
    assert client.login(user, password).status_code == 303


def test_session_cookie_attributes_and_rotation(web):
    user, password = web.staff("officer.cookie", "designated_officer")
    client = web.client()
    first = client.get("/portal/login")
    before = client.http.cookies.get("lokseva_login")
    set_cookie = first.headers["Set-Cookie"]
    assert before and client.cookie is None, "before sign-in only the sign-in form's signed nonce"
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Path=/portal" in set_cookie
    assert "Secure" not in set_cookie, "plain http in tests; Secure when PUBLIC_URL is https"
    client.post("/portal/login", {"username": user, "password": password})
    assert client.cookie and client.cookie != before, "a new session id at sign-in"
    stale = PortalClient(web.url)
    stale.http.cookies.set("lokseva_portal", before, path="/portal")
    assert stale.get("/portal/").status_code == 303, "the pre-login cookie is worth nothing as a session"


def test_session_cannot_be_reused_after_logout(web):
    client = web.signed_in("officer.logout", "designated_officer")
    assert client.get("/portal/").status_code == 200
    stolen = client.cookie
    reply = client.post("/portal/logout")
    assert reply.status_code == 303 and "/portal/login" in reply.headers["Location"]
    thief = PortalClient(web.url)
    thief.http.cookies.set("lokseva_portal", stolen, path="/portal")
    reply = thief.get("/portal/")
    assert reply.status_code == 303 and reply.headers["Location"].startswith("/portal/login")
    assert "Max-Age=0" in reply.headers.get("Set-Cookie", ""), "the dead cookie is cleared"
    actions = [
        r.action for r in web.query("SELECT action FROM staff_audit_log WHERE username = 'officer.logout' ORDER BY id")
    ]
    assert actions == ["login", "logout"]


def test_session_cannot_be_reused_after_expiry(web):
    client = web.signed_in("officer.expiry", "designated_officer")
    assert client.get("/portal/").status_code == 200
    web.query(
        "UPDATE staff_sessions SET expires_at = now() - interval '1 minute' "
        "WHERE user_id = (SELECT id FROM staff_users WHERE username = 'officer.expiry')"
    )
    assert client.get("/portal/").status_code == 303


def test_tampered_cookie_is_anonymous(web):
    client = web.signed_in("officer.tamper", "designated_officer")
    token, _, signature = client.cookie.rpartition(".")
    client.http.cookies.clear()
    client.http.cookies.set("lokseva_portal", token + ".0" + signature[1:], path="/portal")
    assert client.get("/portal/").status_code == 303


def test_security_headers(web):
    reply = requests.get(web.url + "/portal/login", timeout=30)
    assert "default-src 'self'" in reply.headers["Content-Security-Policy"]
    assert reply.headers["X-Frame-Options"] == "DENY"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Cache-Control"] == "no-store"
    css = requests.get(web.url + "/portal/static/portal.css", timeout=30)
    assert css.status_code == 200 and "font-face" in css.text
    font = requests.get(web.url + "/portal/static/noto-sans-devanagari.ttf", timeout=30)
    assert font.status_code == 200 and len(font.content) > 100_000
    assert requests.get(web.url + "/portal/static/../../settings.py", timeout=30).status_code == 404


def test_citizen_text_is_escaped_and_masked(web):
    store_conversations(
        web.settings.tracker_store_url,
        [
            (
                "whatsapp:+919123456789",
                [("user", "<script>alert('x')</script> mera no 9123456789", "nlu_fallback", 0.5)],
                None,
            ),
        ],
    )
    client = web.signed_in("trainer.xss", "trainer")
    key = web_conversation_key(web, "whatsapp:+919123456789")
    page = client.get(f"/portal/conversations/{key}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert "9123456789" not in page.text and "******6789" in page.text
    inbox = client.get("/portal/trainer")
    assert "<script>alert" not in inbox.text and "9123456789" not in inbox.text


def web_conversation_key(web, sender):
    import sqlalchemy as sa

    engine = sa.create_engine(web.settings.tracker_store_url)
    with engine.connect() as conn:
        key = conn.execute(sa.text("SELECT min(id) FROM events WHERE sender_id = :s"), {"s": sender}).scalar_one()
    engine.dispose()
    return key
