"""Proactive messages through Rasa's external events, logged in the conversation."""

import datetime as dt
import json

import pytest

from lokseva.channels.notify import notify, sent_messages
from lokseva.channels.service import utcnow
from tests.integration.whatsapp_support import Phone, channel_store

pytestmark = pytest.mark.integration


def test_inside_the_window_the_notification_is_free_text_and_logged(assistant):
    phone = Phone(assistant)
    phone.chat("नमस्ते")
    result = notify(
        phone.number,
        "payment_received",
        {"application_id": "JBA-2026-000123", "amount": 30},
        settings=assistant.settings,
    )
    assert result.within_window and result.conversation_id == phone.conversation_id()
    message = phone.wait_for(2)[1]
    assert message["body"].startswith("✅ आपकी फीस ₹30 मिल गई है।") and message["content_sid"] is None
    [bot] = sent_messages(result)
    assert bot["text"] == message["body"]  # the bot said it: it is in the conversation log
    events = phone.tracker()["events"]
    assert any(e["event"] == "user" and e["parse_data"]["intent"]["name"] == "EXTERNAL_notification" for e in events)


def test_outside_the_window_the_approved_template_is_sent(assistant):
    phone = Phone(assistant)
    phone.chat("hello good morning")  # an English speaker
    store = channel_store(assistant)
    try:
        store.set_last_inbound(phone.conversation_id(), utcnow() - dt.timedelta(hours=25))
    finally:
        store.engine.dispose()
    result = notify(
        phone.number,
        "status_changed",
        {"application_id": "JBA-2026-000009", "status": "approved"},
        settings=assistant.settings,
    )
    assert not result.within_window
    message = phone.wait_for(2)[1]
    assert message["content_sid"] == "HX00000000000000000000000000000302"  # the English template
    assert json.loads(message["content_variables"]) == {"1": "JBA-2026-000009", "2": "approved"}
    assert message["rendered"].startswith("📋 The status of your application JBA-2026-000009")


def test_a_citizen_who_never_wrote_gets_the_hindi_template(assistant):
    phone = Phone(assistant)
    notify(
        phone.number,
        "certificate_ready",
        {
            "application_id": "JBA-2026-000010",
            "service_name": "आय प्रमाण पत्र",
            "document_url": "https://lokseva.example.gov.in/c/JBA-2026-000010.pdf",
        },
        settings=assistant.settings,
    )
    [message] = phone.wait_for(1)
    assert message["content_sid"] == "HX00000000000000000000000000000201"


def test_a_certificate_inside_the_window_comes_with_its_pdf_and_long_text_is_split(assistant):
    phone = Phone(assistant)
    phone.chat("नमस्ते")
    notify(
        phone.number,
        "certificate_ready",
        {
            "application_id": "JBA-2026-000011",
            "service_name": "जाति प्रमाण पत्र",
            "document_url": "https://lokseva.example.gov.in/c/JBA-2026-000011.pdf",
        },
        settings=assistant.settings,
    )
    text, pdf = phone.wait_for(3)[1:3]
    assert text["body"].startswith("🎉 जाति प्रमाण पत्र तैयार है।")
    assert pdf["media_urls"] == ["https://lokseva.example.gov.in/c/JBA-2026-000011.pdf"]
    note = "आपके आवेदन की जाँच पूरी हो गई है और पटवारी की रिपोर्ट मिल गई है। " * 30
    notify(
        phone.number,
        "status_changed",
        {"application_id": "JBA-2026-000011", "status": note},
        settings=assistant.settings,
    )
    parts = phone.wait_for(5)[3:5]
    assert all(len(p["body"]) <= 1600 for p in parts)
    assert parts[0]["body"].endswith("।") and parts[1]["body"].endswith("।")
