"""What the bot sends: numbered buttons, long texts, files, retries, notifications."""

import asyncio
import dataclasses
import datetime as dt
import json

import pytest

from lokseva.channels.notifications import render
from lokseva.channels.service import utcnow
from lokseva.channels.text import utf16_len
from lokseva.channels.whatsapp import WhatsAppOutput
from tests.unit.channels.conftest import start_harness

pytestmark = pytest.mark.anyio


async def test_buttons_are_numbered_when_interactive_messages_are_off(settings, store):
    harness, stop = await start_harness(dataclasses.replace(settings, whatsapp_interactive=False), store)
    try:
        await harness.send(body="menu")
        menu = (await harness.wait_for_outbound(1))[0]["body"]
        assert menu == "चुनें:\n\n1. आवेदन करें\n2. स्थिति\n3. फीस"
        await harness.send(body="3")
        await harness.settle()
        assert harness.bot.received[-1].text == "/pay_fee"
    finally:
        await stop()


async def test_buttons_are_reply_buttons_and_a_number_still_chooses_one(harness):
    await harness.send(body="menu")
    menu = (await harness.wait_for_outbound(1))[0]
    assert menu["interactive"]["type"] == "quick-reply" and menu["body"] == "चुनें:"
    await harness.send(body="२")
    await harness.settle()
    chosen = harness.bot.received[-1]
    assert chosen.text == "/check_status"
    assert chosen.metadata["button_reply"] == "२"


@pytest.mark.parametrize(
    "reply, payload",
    [
        ("1", "/apply_service"),
        ("१", "/apply_service"),
        ("pehla", "/apply_service"),
        ("पहला", "/apply_service"),
        ("first", "/apply_service"),
        ("1️⃣", "/apply_service"),
        ("2 number", "/check_status"),
        ("तीसरा वाला", "/pay_fee"),
        ("स्थिति", "/check_status"),
        ("  फीस ", "/pay_fee"),
    ],
)
async def test_replies_map_to_the_buttons_payload(harness, reply, payload):
    await harness.send(body="menu")
    await harness.settle()
    await harness.send(body=reply)
    await harness.settle()
    assert harness.bot.received[-1].text == payload


async def test_a_reply_only_answers_the_last_message(harness):
    await harness.send(body="menu")
    await harness.send(body="मेरा नाम रमेश")  # the bot answers without buttons
    await harness.send(body="2")
    await harness.settle()
    assert harness.bot.received[-1].text == "2"
    await harness.send(body="menu")
    await harness.send(body="7")  # no seventh button
    await harness.settle()
    assert harness.bot.received[-1].text == "7"


async def test_button_memory_survives_a_restart(settings, store):
    first, stop = await start_harness(settings, store)
    await first.send(body="menu")
    await first.settle()
    await stop()
    second, stop = await start_harness(settings, store)
    try:
        await second.send(body="3")
        await second.settle()
        assert second.bot.received[-1].text == "/pay_fee"
    finally:
        await stop()


async def test_a_long_answer_is_split_under_1600_characters_at_dandas(harness):
    await harness.send(body="long")
    await harness.settle()
    parts = [m["body"] for m in harness.outbound()]
    assert len(parts) == 2
    assert all(utf16_len(p) <= 1600 for p in parts)
    assert all(p.endswith("।") for p in parts)
    assert " ".join(parts) == ("यह एक लंबा वाक्य है। " * 150).strip()


async def test_documents_and_images_go_as_media(harness):
    await harness.send(body="document")
    await harness.send(body="image")
    await harness.settle()
    document, image = harness.outbound()
    assert document["media_urls"] == ["https://lokseva.example.gov.in/c/JBA-2026-000123.pdf"]
    assert document["body"] == "certificate.pdf"
    assert document["sid"].startswith("MM")
    assert image["media_urls"] == ["https://lokseva.example.gov.in/i/qr.png"]


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_429_and_5xx_are_retried(harness, status):
    await harness.fail(status=status, times=2)
    await harness.send(body="फिर से")
    await harness.settle()
    assert [m["body"] for m in harness.outbound()] == ["मिला: फिर से"]
    assert harness.fake.stats["attempts"] == 3


async def test_retry_after_is_honoured(harness):
    waits = []

    async def record_sleep(seconds):
        waits.append(seconds)

    harness.channel.client._sleep = record_sleep
    await harness.fail(status=429, times=1, retry_after=2)
    await harness.send(body="धीरे")
    await harness.settle()
    assert waits == [2.0]
    assert len(harness.outbound()) == 1


async def test_other_4xx_are_not_retried_and_are_recorded(harness):
    await harness.fail(status=400, times=1)
    await harness.send(body="गलत")
    await harness.settle()
    assert harness.outbound() == []
    assert harness.fake.stats["attempts"] == 1
    cid = harness.store.conversation_for("+919876543210")
    [row] = harness.store.outbound(conversation_id=cid)
    assert (row["status"], row["error_code"]) == ("not_sent", 21211)


async def test_retries_give_up_after_the_last_attempt(harness):
    harness.channel.client.max_attempts = 3
    await harness.fail(status=500, times=5)
    await harness.send(body="बंद")
    await harness.settle()
    assert harness.fake.stats["attempts"] == 3
    assert harness.outbound() == []


async def test_a_notification_inside_the_window_is_free_text_with_its_document(harness):
    await harness.send(body="नमस्ते")  # the citizen wrote: the 24-hour window is open
    await harness.settle()
    cid = harness.store.conversation_for("+919876543210")
    notification = render(
        "certificate_ready",
        {
            "application_id": "JBA-2026-000123",
            "service_name": "आय प्रमाण पत्र",
            "document_url": "https://lokseva.example.gov.in/c/JBA-2026-000123.pdf",
        },
        "hi",
    )
    out = WhatsAppOutput(harness.channel)
    await out.send_response(cid, {"text": notification.text, "custom": {"notification": notification.as_dict()}})
    _, text, document = harness.outbound()
    assert text["body"] == notification.text and text["content_sid"] is None
    assert document["media_urls"] == ["https://lokseva.example.gov.in/c/JBA-2026-000123.pdf"]


async def test_a_notification_outside_the_window_is_the_approved_template(harness):
    phone = "+919876500001"
    cid = harness.store.ensure_contact(phone)
    harness.store.set_last_inbound(cid, utcnow() - dt.timedelta(hours=25))
    notification = render("payment_received", {"application_id": "JBA-2026-000123", "amount": "30"}, "hi")
    await WhatsAppOutput(harness.channel).send_response(
        cid, {"text": notification.text, "custom": {"notification": notification.as_dict()}}
    )
    [sent] = harness.outbound(phone)
    assert sent["content_sid"] == "HX00000000000000000000000000000101"
    assert json.loads(sent["content_variables"]) == {"1": "JBA-2026-000123", "2": "30"}
    assert sent["body"] == ""
    assert sent["rendered"] == notification.text  # what the citizen sees


async def test_a_message_to_an_unknown_conversation_is_dropped_not_sent_elsewhere(harness):
    await WhatsAppOutput(harness.channel).send_response("wa-" + "0" * 32, {"text": "किसे?"})
    assert harness.fake.messages == []


async def test_sending_does_not_block_the_event_loop(harness):
    """While a send waits on Twilio (a retry pause), the loop keeps serving webhooks."""
    release = asyncio.Event()

    async def slow_sleep(_seconds):
        await release.wait()

    harness.channel.client._sleep = slow_sleep
    await harness.fail(status=503, times=1)
    await harness.send("+919800000001", "अटका")
    while harness.fake.stats["refused"] < 1:  # its reply got the 503 and waits to retry
        await asyncio.sleep(0.01)
    await harness.send("+919800000002", "चलता")
    await harness.wait_for_outbound(1, "+919800000002")
    assert harness.outbound("+919800000001") == []
    release.set()
    await harness.wait_for_outbound(1, "+919800000001")


async def test_a_template_quick_reply_button_sends_its_payload(harness):
    await harness.send(body="हाँ, भुगतान करना है", ButtonText="हाँ, भुगतान करना है", ButtonPayload="/pay_fee")
    await harness.settle()
    message = harness.bot.received[-1]
    assert message.text == "/pay_fee" and message.metadata["button_reply"] == "हाँ, भुगतान करना है"
