"""A citizen on WhatsApp, through the real Rasa server, action server and the fake Twilio."""

import io
import re
import time
from pathlib import Path

import pytest

from lokseva.channels.whatsapp import STATUS_PATH, WEBHOOK_PATH
from tests.integration.whatsapp_support import Phone, channel_store, same_sid

pytestmark = pytest.mark.integration


def test_greeting_gets_the_menu_as_a_list_and_a_number_still_chooses(assistant):
    phone = Phone(assistant)
    menu = phone.chat("नमस्ते")
    assert menu["body"].startswith("नमस्ते 🙏") and "मध्यप्रदेश" in menu["body"]
    assert menu["interactive"]["type"] == "list-picker"
    assert [i["item"] for i in menu["interactive"]["items"][:2]] == ["प्रमाण पत्र के लिए आवेदन", "आवेदन की स्थिति"]
    answer = phone.chat("२")["body"]
    assert re.search("[\u0900-\u097f]", answer), answer  # answered in Hindi
    tracker = phone.tracker()
    assert tracker["latest_message"]["intent"]["name"] == "check_status"
    assert tracker["latest_message"]["metadata"]["button_reply"] == "२"
    assert tracker["slots"]["language"] == "hi"  # "/check_status" is not English
    assert phone.number[3:] not in tracker["sender_id"]
    assert tracker["latest_input_channel"] == "whatsapp"


def test_hinglish_ordinal_after_the_menu(assistant):
    phone = Phone(assistant)
    phone.chat("menu")
    assert phone.chat("pehla")["body"]
    assert phone.tracker()["latest_message"]["intent"]["name"] == "apply_service"


def test_english_greeting_gets_the_english_menu(assistant):
    phone = Phone(assistant)
    assert "Lok Seva assistant of Madhya Pradesh" in phone.chat("hello good morning")["body"]


@pytest.mark.parametrize("case", ["forged", "request_url", "altered", "missing"])
def test_bad_signatures_get_403_from_the_rasa_server(assistant, case):
    phone = Phone(assistant)
    params = phone.params("नमस्ते")
    if case == "forged":
        reply = phone.post(params, signature="bm90IGEgc2lnbmF0dXJl")
    elif case == "request_url":  # signed for the Rasa server's own URL, not the public one
        reply = phone.post(params, sign_url=assistant.settings.rasa_url + WEBHOOK_PATH)
    elif case == "altered":
        signature = phone.validator.compute_signature(assistant.settings.public_url + WEBHOOK_PATH, params)
        params["Body"] = "मेरा आवेदन रद्द करो"
        reply = phone.post(params, signature=signature)
    else:
        reply = phone.post(params, signature="")
    assert reply.status_code == 403
    assert phone.post(phone.params("नमस्ते")).status_code == 200  # the same phone, correctly signed
    time.sleep(1)
    assert len(phone.wait_for(1)) == 1


def test_the_webhook_is_acknowledged_with_empty_twiml(assistant):
    reply = Phone(assistant).post(Phone(assistant).params("hi"))
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("text/xml")
    assert reply.text.endswith("<Response></Response>")


def test_a_redelivered_message_gets_one_reply(assistant):
    phone = Phone(assistant)
    params = phone.params("नमस्ते")
    for _ in range(3):
        assert phone.post(params).status_code == 200
    phone.wait_done(params["MessageSid"])
    phone.wait_for(1)
    time.sleep(1)
    assert len(phone.received()) == 1
    users = [e for e in phone.tracker()["events"] if e["event"] == "user"]
    assert len(users) == 1 and same_sid(users[0]["message_id"], params["MessageSid"])


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_pdf_and_a_photo_are_received_and_stored(assistant):
    phone = Phone(assistant)
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    png = _png()
    sent = phone.send(
        "",
        NumMedia="2",
        MediaUrl0=phone.upload(pdf, "application/pdf"),
        MediaContentType0="application/pdf",
        MediaUrl1=phone.upload(png, "image/png"),
        MediaContentType1="image/png",
    )
    phone.wait_done(sent["MessageSid"])
    reply = phone.wait_for(1)[0]["body"]
    assert reply.startswith("✅ आपके 2 दस्तावेज़ मिल गए।")
    stored = Path(assistant.settings.uploads_dir) / phone.conversation_id()
    assert sorted(p.read_bytes() for p in stored.iterdir()) == sorted([pdf, png])
    assert phone.tracker()["latest_message"]["intent"]["name"] == "upload_document"


def test_oversize_and_wrong_files_are_refused_politely(assistant):
    phone = Phone(assistant)
    big = b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)
    phone.send("", NumMedia="1", MediaUrl0=phone.upload(big, "application/pdf"), MediaContentType0="application/pdf")
    assert "5 MB से ज़्यादा" in phone.wait_for(1)[0]["body"]
    phone.send(
        "",
        NumMedia="1",
        MediaUrl0=phone.upload(b"BEGIN:VCARD\nEND:VCARD", "text/vcard"),
        MediaContentType0="text/vcard",
    )
    assert "PDF भेजें" in phone.wait_for(2)[1]["body"]
    assert not (Path(assistant.settings.uploads_dir) / phone.conversation_id()).exists()


def test_a_location_pin_is_understood(assistant):
    phone = Phone(assistant)
    sent = phone.send("", Latitude="22.7677", Longitude="74.5954", Address="कलेक्टर कार्यालय, झाबुआ", Label="")
    phone.wait_done(sent["MessageSid"])
    assert phone.wait_for(1)[0]["body"].startswith("📍 आपकी लोकेशन मिल गई (कलेक्टर कार्यालय, झाबुआ)।")
    slots = phone.tracker()["slots"]
    assert slots["citizen_location"]["latitude"] == 22.7677


def test_delivery_statuses_are_recorded(assistant):
    phone = Phone(assistant)
    sent = phone.chat("नमस्ते")
    store = channel_store(assistant)
    try:
        for _ in range(100):
            rows = store.outbound(message_sid=sent["sid"])
            if rows and rows[0]["status"] == "delivered":
                break
            time.sleep(0.1)
        assert rows[0]["status"] == "delivered"
        assert rows[0]["conversation_id"] == phone.conversation_id()
    finally:
        store.engine.dispose()
    forged = {"MessageSid": sent["sid"], "MessageStatus": "failed", "ErrorCode": "30008"}
    assert phone.post(forged, signature="Zm9yZ2Vk", path=STATUS_PATH).status_code == 403
