"""The portal's pages and flows through a real web process on PostgreSQL, with
conversations written by Rasa's SQLTrackerStore."""

import datetime as dt
import json

import pytest

from lokseva.db import create_engine_for, session_scope
from lokseva.devtools import processes
from lokseva.portal import callbacks
from tests.unit.portal.support import SAMPLE, all_pages, start_portal_web, store_conversations

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


@pytest.fixture(scope="module")
def web(tmp_path_factory, postgres_database_factory):
    started = start_portal_web(tmp_path_factory.mktemp("portal-pages"), postgres_database_factory)
    store_conversations(started.settings.tracker_store_url, SAMPLE)
    yield started
    processes.stop_all(started.running)


@pytest.fixture(scope="module")
def admin(web):
    return web.signed_in("admin.pages", "admin")


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_every_page_renders_in_both_languages(web, admin, lang):
    admin.get(f"/portal/lang/{lang}?next=/portal/")
    for path in all_pages():
        reply = admin.get(path)
        assert reply.status_code == 200, path
        assert f'<html lang="{lang}">' in reply.text
        assert "9876543210" not in reply.text and "7000011122" not in reply.text, f"unmasked phone on {path}"
    home = admin.get("/portal/").text
    assert ("Callback requests" if lang == "en" else "कॉल-बैक अनुरोध") in home
    admin.get("/portal/lang/hi?next=/portal/")


def test_menu_follows_the_role(web):
    trainer = web.signed_in("trainer.menu", "trainer")
    home = trainer.get("/portal/").text
    assert "/portal/trainer" in home and "/portal/conversations" in home
    assert "/portal/staff" not in home and "/portal/callbacks" not in home


def test_conversation_search_and_transcript(web, admin):
    page = admin.get("/portal/conversations?phone=3210").text
    assert "+91******3210" in page and "******1122" not in page
    by_id = admin.get("/portal/conversations?application_id=jba 2026 000123").text
    assert "+91******3210" in by_id and "******1122" not in by_id
    fallback = admin.get("/portal/conversations?fallback=1").text
    assert "******3210" in fallback and "******1122" in fallback
    bad = admin.get("/portal/conversations?phone=12&application_id=nonsense&day=2026-13-01").text
    assert "आखिरी 4 अंक" in bad and "JBA-2026-000123" in bad and "तारीख सही नहीं" in bad
    key = int(page.split('href="/portal/conversations/')[1].split('"')[0])
    transcript = admin.get(f"/portal/conversations/{key}").text
    assert "mera aadhar XXXX XXXX 9012 hai aur phone ******5678" in transcript
    assert "1234 5678 9012" not in transcript
    assert "nlu_fallback" in transcript and "check_status" in transcript
    assert transcript.count('class="user fallback') == 1 and transcript.count('class="user low') == 1
    assert admin.get("/portal/conversations/999999").status_code == 404
    viewed = web.query("SELECT target_id FROM staff_audit_log WHERE action = 'conversation_viewed'")
    assert str(key) in [r.target_id for r in viewed]


def test_callback_requests_flow(web):
    engine = create_engine_for(web.settings.database_url)
    with session_scope(engine) as s:
        request, _ = callbacks.request_callback(
            s,
            "whatsapp:+917000011122",
            ["kisi insaan se baat karni hai", "mera aadhaar 1234 5678 9012"],
            "hi",
            dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=3),
        )
        request_id = request.id
    engine.dispose()
    operator = web.signed_in("operator.calls", "operator")
    page = operator.get("/portal/callbacks").text
    assert f"#{request_id} · +91******1122" in page and "kisi insaan se baat karni hai" in page
    assert "7000011122" not in page and "1234 5678 9012" not in page
    assert "/portal/conversations/" not in page, "operators do not read conversations"
    revealed = operator.post(f"/portal/callbacks/{request_id}/reveal")
    assert revealed.status_code == 200 and "+917000011122" in revealed.text
    assert (
        web.query(
            "SELECT username FROM staff_audit_log WHERE action = 'phone_revealed' AND target_id = :t", t=str(request_id)
        )[0].username
        == "operator.calls"
    )
    done = operator.post(f"/portal/callbacks/{request_id}/status", {"status": "called", "note": "will visit on Monday"})
    assert done.status_code == 303
    assert "अनुरोध अपडेट हुआ" in operator.get(done.headers["Location"]).text
    assert "will visit on Monday" in operator.get("/portal/callbacks?status=called").text
    home = operator.get("/portal/").text
    assert "बाकी" not in home.split("कॉल-बैक अनुरोध")[1].split("</li>")[0]


def test_trainer_labels_and_exports_through_the_page(web):
    trainer = web.signed_in("trainer.export", "trainer")
    inbox = trainer.get("/portal/trainer").text
    assert "khet ki nakal chahiye" in inbox and "patwari sahab ne report nahi lagayi" in inbox
    assert "अभी कोई मूल्यांकन नहीं" in inbox
    event_id = int(inbox.split("khet ki nakal chahiye")[1].split('name="event_id" value="')[1].split('"')[0])
    reply = trainer.post(
        "/portal/trainer/label",
        {
            "event_id": str(event_id),
            "intent": "ask_service_info",
            "example": 'khet ki [nakal]{"entity": "service", "value": "land_record_copy"} chahiye',
        },
    )
    assert reply.status_code == 303
    # The same sentence with another intent than data/nlu gives: refused with the reason.
    other = int(inbox.split("patwari sahab")[1].split('name="event_id" value="')[1].split('"')[0])
    refused = trainer.post(
        "/portal/trainer/label", {"event_id": str(other), "intent": "pay_fee", "example": "status batao"}
    )
    assert refused.status_code == 400 and "check_status" in refused.text and "status batao" in refused.text
    exported = trainer.post("/portal/trainer/export")
    assert exported.status_code == 200 and "1 जोड़े गए" in exported.text
    written = (web.nlu_dir / "from_conversations.yml").read_text(encoding="utf-8")
    assert 'khet ki [nakal]{"entity": "service", "value": "land_record_copy"} chahiye' in written
    assert (
        "khet ki nakal chahiye"
        not in trainer.get("/portal/trainer").text.split('id="inbox"')[1].split('id="recent"')[0]
    )
    rows = web.query(
        "SELECT action, details FROM staff_audit_log WHERE username = 'trainer.export' AND action LIKE 'nlu_%' ORDER BY id"
    )
    assert [r.action for r in rows] == ["nlu_labelled", "nlu_exported"]
    assert json.loads(rows[1].details)["written"] == 1


def test_evaluation_figures_are_shown(web):
    web.eval_path.write_text(json.dumps({"intent": {"accuracy": 0.931, "macro_f1": 0.902}}))
    page = web.signed_in("trainer.eval", "trainer").get("/portal/trainer").text
    assert "intent · accuracy" in page and "0.931" in page


def test_analytics_counts_the_conversations(web, admin):
    page = admin.get("/portal/analytics?days=7").text
    assert "<svg" in page and "<strong>2</strong>" in page
    assert "nlu_fallback" in page
