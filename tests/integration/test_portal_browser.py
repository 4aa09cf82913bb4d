"""The portal in a real browser: Debian's headless Chromium driven by
Playwright (never `playwright install`). Screenshots of every page on a phone
and a laptop are kept in test-artifacts/portal/."""

import datetime as dt
import json

import pytest

from lokseva.db import create_engine_for, session_scope
from lokseva.devtools import processes
from lokseva.portal import callbacks, decisions, service
from tests.conftest import ARTIFACTS
from tests.unit.portal.support import SAMPLE, start_portal_web, store_conversations, submit_application

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 800}}
SHOTS = ARTIFACTS / "portal"


@pytest.fixture(scope="module")
def web(tmp_path_factory, postgres_database_factory):
    started = start_portal_web(tmp_path_factory.mktemp("portal-browser"), postgres_database_factory)
    store_conversations(started.settings.tracker_store_url, SAMPLE)
    engine = create_engine_for(started.settings.database_url)
    with session_scope(engine) as session:
        callbacks.request_callback(
            session,
            "whatsapp:+917000011122",
            ["khet ki nakal chahiye", "kisi insaan se baat karni hai"],
            "hi",
            dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=3),
            application_id="JBA-2026-000123",
        )
    now = dt.datetime.now(dt.timezone.utc)
    started.references = [
        submit_application(engine, phone="+919826012345", name="Ramesh Bhuriya"),
        submit_application(
            engine, phone="+919826000099", name="Kamla Damor", tehsil="Petlawad", now=now - dt.timedelta(days=30)
        ),
        submit_application(
            engine, phone="+919826000098", name="Sunil Bhabor", service="birth_certificate", status="under_review"
        ),
    ]
    # An issued certificate waiting for the post room, and the NLU bench's figures.
    reference = submit_application(engine, phone="+919826000097", name="Geeta Ninama", status="under_review")
    with session_scope(engine) as session:
        officer = service.Staff.of(
            service.create_user(session, "officer.seed", "a-Long-pass-1234", "designated_officer")
        )
    with session_scope(engine) as session:
        application_id = decisions.approve(session, reference, officer).id
    from lokseva.certificates.service import issue_certificate

    issue_certificate(application_id, by="staff:1", engine=engine, settings=started.settings, notify=False)
    started.query(
        "INSERT INTO deliveries (certificate_id, application_id, status, village, tehsil, pin, landmark, "
        "address_source, fee_paise, requested_by, created_at, updated_at) SELECT c.id, c.application_id, "
        "'requested', 'Kalyanpura', 'Jhabua', '457661', 'near the temple', 'application', 2000, 'citizen', now(), now() "
        "FROM certificates c WHERE c.application_id = :a",
        a=application_id,
    )
    started.eval_path.write_text(
        json.dumps(
            {
                "evaluated_on": "tests/nlu/heldout.yml",
                "training_examples": 2008,
                "results": {
                    "ours": {
                        "intent_accuracy": 0.912,
                        "macro_f1": 0.897,
                        "off_topic_rejection": 0.92,
                        "in_scope_fallback_rate": 0.065,
                        "service": {"accuracy": 1.0},
                        "application_id": {"accuracy": 0.98},
                        "latency_ms": {"p50": 14.1},
                        "training_seconds": 298.6,
                        "per_intent_f1": {"affirm": 0.67, "goodbye": 0.7, "inform": 0.78, "greet": 0.86},
                        "errors": [{"text": "ram ram bhai chalta hu", "gold": "goodbye", "predicted": "nlu_fallback"}],
                    },
                    "stock": {
                        "intent_accuracy": 0.71,
                        "macro_f1": 0.64,
                        "off_topic_rejection": 0.55,
                        "in_scope_fallback_rate": 0.21,
                        "latency_ms": {"p50": 9.3},
                        "training_seconds": 85.0,
                    },
                },
            }
        )
    )
    engine.dispose()
    yield started
    processes.stop_all(started.running)


def sign_in(page, web, username, password):
    page.goto(web.url + "/portal/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(web.url + "/portal/")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_trainer_labels_a_fallback_message_and_exports_it(web, browser):
    user, password = web.staff("trainer.browser", "trainer")
    context = browser.new_context(viewport=VIEWPORTS["laptop"])
    page = context.new_page()
    page.goto(web.url + "/portal/trainer")
    assert "/portal/login" in page.url, "signed-out staff land on the login page"
    sign_in(page, web, user, password)
    page.goto(web.url + "/portal/trainer")
    item = page.locator("[data-test=inbox-item]", has_text="patwari sahab ne report nahi lagayi")
    assert item.count() == 1
    assert "नहीं समझा" in item.inner_text(), "flagged as a fallback"
    item.locator("input[name=example]").fill("patwari sahab ne report nahi lagayi")
    item.locator("select[name=intent]").select_option("check_status")
    shot(page, "trainer-labelling-laptop")
    item.locator("button.primary").click()
    page.wait_for_url("**/portal/trainer?msg=labelled")
    assert page.locator(".flash").inner_text().startswith("सिखा दिया")
    assert page.locator("[data-test=inbox-item]", has_text="patwari sahab").count() == 0
    page.click("#export button.primary")
    result = page.locator("[data-test=export-result]")
    assert "1 जोड़े गए" in result.inner_text()
    shot(page, "trainer-exported-laptop")
    exported = (web.nlu_dir / "from_conversations.yml").read_text(encoding="utf-8")
    assert "- intent: check_status" in exported and "- patwari sahab ne report nahi lagayi" in exported
    context.close()


def test_logout_in_the_browser_ends_the_session(web, browser):
    user, password = web.staff("officer.browser", "designated_officer")
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    sign_in(page, web, user, password)
    cookie = next(c for c in context.cookies() if c["name"] == "lokseva_portal")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find("lokseva_portal") == -1, "scripts cannot read the session"
    page.click("[data-test=logout]")
    page.wait_for_url("**/portal/login?msg=logged_out")
    other = browser.new_context()
    other.add_cookies([cookie])
    replay = other.new_page()
    replay.goto(web.url + "/portal/")
    assert "/portal/login" in replay.url
    other.close()
    context.close()


def test_officer_approves_an_application(web, browser):
    """Approve in the browser: the certificate is issued and the citizen's
    notification attempted (this test runs no Rasa, so the page says the message
    could not go out; test_portal_end_to_end sees it arrive in the fake Twilio)."""
    user, password = web.staff("officer.clicks", "designated_officer")
    reference = web.references[0]
    context = browser.new_context(viewport=VIEWPORTS["laptop"])
    page = context.new_page()
    sign_in(page, web, user, password)
    page.click("nav.main >> text=आवेदन")
    page.click(f"text={reference}")
    assert page.locator("[data-test=aadhaar]").inner_text().startswith("XXXX XXXX ")
    shot(page, "application-before-laptop")
    page.click("[data-test=approve]")
    page.wait_for_url(f"**/portal/applications/{reference}?msg=*")
    assert "msg=approved" in page.url
    assert page.locator(".status").first.inner_text() == "प्रमाण पत्र जारी"
    history = page.locator("section.panel", has_text="इतिहास").inner_text()
    assert "स्वीकृत" in history and "officer.clicks" in history
    shot(page, "application-approved-laptop")
    rows = web.query(
        "SELECT h.to_status, h.changed_by FROM application_status_history h JOIN applications a "
        "ON a.id = h.application_id WHERE a.reference = :r ORDER BY h.id",
        r=reference,
    )
    assert [r.to_status for r in rows][-2:] == ["approved", "certificate_issued"]
    notified = web.query("SELECT details FROM staff_audit_log WHERE action = 'certificate_issued'")
    assert '"notified": false' in notified[0].details, "the notification was attempted and reported"
    context.close()


def test_district_staff_see_only_their_districts_callbacks_deliveries_and_conversations(web, browser):
    """Issue #13: an Indore officer sees none of Jhabua's callback requests, home
    deliveries or conversations (and gets 403 on a Jhabua transcript's address);
    Jhabua's officer sees them, numbers masked; state staff see all, with a district filter."""
    import sqlalchemy as sa

    from tests.unit.portal.support import make_staff

    # The citizen who asked for a call said they live in Jhabua.
    web.query(
        "INSERT INTO citizens (channel_user_id, whatsapp_number, language, district_code, created_at) "
        "VALUES ('whatsapp:+917000011122', '+917000011122', 'hi', 'JBA', now()) "
        "ON CONFLICT (channel_user_id) DO UPDATE SET district_code = 'JBA'"
    )
    tracker = sa.create_engine(web.settings.tracker_store_url)
    with tracker.connect() as conn:
        key = conn.execute(
            sa.text("SELECT min(id) FROM events WHERE sender_id = 'whatsapp:+917000011122'")
        ).scalar_one()
    tracker.dispose()
    password = "a-Long-pass-1234"
    make_staff(web.settings.database_url, "do.indore.browser", "designated_officer", password, district_code="IND")
    make_staff(web.settings.database_url, "do.jhabua.browser", "designated_officer", password, district_code="JBA")
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    sign_in(page, web, "do.indore.browser", password)
    for path in ("/portal/callbacks", "/portal/deliveries"):
        page.goto(web.url + path)
        assert page.locator("li.card").count() == 0, path
        assert page.locator("select[name=district]").count() == 0, "a district's staff pick no district"
    page.goto(web.url + "/portal/conversations")
    assert page.locator("table.cards tbody tr").count() == 0
    shot(page, "callbacks-other-district-phone")
    answer = page.goto(web.url + f"/portal/conversations/{key}")
    assert answer is not None and answer.status == 403
    assert "दूसरे ज़िले" in page.locator("main").inner_text()
    context.close()

    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    sign_in(page, web, "do.jhabua.browser", password)
    page.goto(web.url + "/portal/callbacks")
    card = page.locator("li.card")
    assert card.count() == 1 and "+91******1122" in card.inner_text() and "7000011122" not in card.inner_text()
    page.goto(web.url + "/portal/deliveries")
    assert page.locator("[data-test=delivery]").count() == 1
    assert "9826000097" not in page.locator("main").inner_text(), "the number is masked on the board"
    page.goto(web.url + "/portal/conversations")
    assert [t.strip() for t in page.locator("table.cards tbody tr td:first-child").all_inner_texts()] == [
        "+91******1122"
    ]
    assert page.goto(web.url + f"/portal/conversations/{key}").status == 200
    context.close()

    user, _ = web.staff("state.district.filter", "admin")
    context = browser.new_context(viewport=VIEWPORTS["laptop"])
    page = context.new_page()
    sign_in(page, web, user, password)
    page.goto(web.url + "/portal/callbacks")
    assert page.locator("li.card [data-test=district]").first.inner_text() == "झाबुआ"
    page.select_option("select[name=district]", "IND")
    page.click("form.filters button")
    page.wait_for_url("**/portal/callbacks?*district=IND*")
    assert page.locator("li.card").count() == 0
    shot(page, "callbacks-state-district-filter-laptop")
    page.goto(web.url + "/portal/deliveries?district=JBA")
    assert page.locator("[data-test=delivery]").count() == 1
    context.close()


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_pages_fit_the_screen(web, browser, viewport):
    """Every page on a phone and a laptop: nothing wider than the screen, the
    Devanagari font loaded from the app itself; screenshots kept for review."""
    user, password = web.staff(f"admin.{viewport}", "admin")
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(web.url) else None)
    sign_in(page, web, user, password)
    pages = {
        "home": "/portal/",
        "applications": "/portal/applications?tehsil=all",
        "application": f"/portal/applications/{web.references[1]}",
        "deliveries": "/portal/deliveries",
        "callbacks": "/portal/callbacks",
        "conversations": "/portal/conversations",
        "trainer": "/portal/trainer",
        "analytics": "/portal/analytics",
        "staff": "/portal/staff",
        "audit": "/portal/audit",
        "account": "/portal/account",
    }
    page.goto(web.url + "/portal/conversations?phone=3210")
    pages["transcript"] = page.locator("table.cards a").first.get_attribute("href")
    for name, path in pages.items():
        page.goto(web.url + path)
        assert page.locator("h1").count() == 1, name
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[viewport]["width"], f"{name} is {width}px wide on a {viewport}"
        shot(page, f"{name}-{viewport}")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Devanagari\"', 'नमस्ते')")
    assert external == [], "everything is served by the app (no CDN)"
    page.goto(web.url + "/portal/lang/en?next=/portal/trainer")
    assert page.locator("h1").inner_text() == "Trainer inbox"
    shot(page, f"trainer-english-{viewport}")
    context.close()
