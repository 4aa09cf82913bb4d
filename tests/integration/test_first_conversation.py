"""The first conversation, through the real Rasa server and action server."""

import uuid

import jwt
import pytest
import requests
import sqlalchemy as sa

from lokseva import rasa_api

pytestmark = pytest.mark.integration


def _sender() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("greeting", ["नमस्ते", "namaste", "hi"])
def test_greeting_gets_the_hindi_menu(assistant, greeting):
    messages = assistant.say(greeting, sender=_sender())
    assert messages, "the bot did not answer"
    first = messages[0]
    assert first["text"].startswith("नमस्ते")
    # a citizen whose district is not known yet: the state, never one district's name
    assert "मध्यप्रदेश का लोक सेवा सहायक" in first["text"] and "झाबुआ" not in first["text"]
    payloads = [b["payload"] for b in first.get("buttons", [])]
    assert "/apply_service" in payloads and "/check_status" in payloads
    assert all(b["title"] for b in first["buttons"])


def test_english_message_gets_the_english_variant(assistant):
    sender = _sender()
    messages = assistant.say("hello good morning", sender=sender)
    assert "Lok Seva assistant of Madhya Pradesh" in messages[0]["text"]
    # The language sticks for a message that gives no signal either way.
    messages = assistant.say("menu", sender=sender)
    assert messages[0]["text"].startswith("Here is what I can do")


def test_conversation_is_stored_in_postgresql(assistant):
    sender = _sender()
    assistant.say("नमस्ते", sender=sender)
    tracker_url = f"{assistant.rasa_url}/conversations/{sender}/tracker"
    assert requests.get(tracker_url, timeout=30).status_code == 401, "Rasa's API needs the token"
    assert requests.get(tracker_url, params={"token": "wrong"}, timeout=30).status_code == 401
    # The secret itself in the URL (as access logs would record it) is refused too: only a signed header counts.
    assert requests.get(tracker_url, params={"token": assistant.settings.rasa_api_token}, timeout=30).status_code == 401
    forged = {"Authorization": "Bearer " + jwt.encode({"user": {"role": "admin"}}, "not-the-secret", algorithm="HS256")}
    assert requests.get(tracker_url, headers=forged, timeout=30).status_code == 401
    tracker = rasa_api.call(assistant.settings, "GET", f"/conversations/{sender}/tracker", timeout=30).json()
    assert tracker["latest_message"]["intent"]["name"] == "greet"
    engine = sa.create_engine(assistant.settings.tracker_store_url)
    with engine.connect() as conn:
        count = conn.execute(
            sa.text("SELECT count(*) FROM events WHERE sender_id = :s AND type_name = 'user'"),
            {"s": sender},
        ).scalar_one()
    engine.dispose()
    assert count == 1


def test_out_of_scope_is_declined_politely(assistant):
    messages = assistant.say("aaj cricket match ka score kya hai", sender=_sender())
    assert "माफ़ कीजिए" in messages[0]["text"]
