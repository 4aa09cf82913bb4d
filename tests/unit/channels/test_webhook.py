"""The webhook: signatures, acknowledgement, redeliveries, per-citizen order."""

import asyncio

import pytest

from lokseva.channels.whatsapp import EMPTY_TWIML, STATUS_PATH, WEBHOOK_PATH
from tests.unit.channels.conftest import PUBLIC_URL, start_harness

pytestmark = pytest.mark.anyio


async def test_a_signed_message_is_acknowledged_with_empty_twiml_and_answered(harness):
    params = harness.params(body="नमस्ते")
    resp = await harness.post(params)
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("text/xml")
    replies = await harness.wait_for_outbound(1)
    assert replies[0]["body"] == "मिला: नमस्ते"
    assert replies[0]["from"] == "whatsapp:+14155238886"
    message = harness.bot.received[0]
    assert message.sender_id.startswith("wa-") and "9876543210" not in message.sender_id
    assert message.message_id == params["MessageSid"]
    assert message.input_channel == "whatsapp"


async def test_the_acknowledgement_does_not_wait_for_the_turn(harness):
    gate = harness.bot.gates["धीरे"] = asyncio.Event()
    await harness.send(body="धीरे")  # acknowledged (200) while the turn is still blocked
    while not harness.bot.received:
        await asyncio.sleep(0.01)
    assert not harness.outbound()
    gate.set()
    assert [m["body"] for m in await harness.wait_for_outbound(1)] == ["मिला: धीरे"]


async def test_empty_twiml_is_valid_xml():
    import xml.etree.ElementTree as ET

    assert ET.fromstring(EMPTY_TWIML).tag == "Response"


@pytest.mark.parametrize("case", ["missing", "forged", "request_url", "altered", "other_token"])
async def test_bad_signatures_are_refused_with_403(harness, case):
    from twilio.request_validator import RequestValidator

    params = harness.params(body="मेरा आवेदन")
    if case == "missing":
        resp = await harness.post(params, signature="")
    elif case == "forged":
        resp = await harness.post(params, signature="dGhpcyBpcyBub3QgYSBzaWduYXR1cmU=")
    elif case == "request_url":
        # Signed for the URL the server sees, not the public URL Twilio called.
        resp = await harness.post(params, sign_url=harness.local_url + WEBHOOK_PATH)
    elif case == "altered":
        signature = harness.validator.compute_signature(PUBLIC_URL + WEBHOOK_PATH, params)
        params["Body"] = "कुछ और"
        resp = await harness.post(params, signature=signature)
    else:
        signature = RequestValidator("another-token").compute_signature(PUBLIC_URL + WEBHOOK_PATH, params)
        resp = await harness.post(params, signature=signature)
    assert resp.status == 403
    await asyncio.sleep(0.05)
    assert not harness.bot.received
    assert harness.store.inbound_status(params["MessageSid"]) is None


async def test_a_media_only_message_with_an_empty_body_passes_the_signature_check(harness):
    """Twilio signs Body="" too; Sanic's request.form would drop it."""
    url = (await _store_media(harness, b"%PDF-1.4 test", "application/pdf"))["url"]
    params = harness.params(body="", NumMedia="1", MediaUrl0=url, MediaContentType0="application/pdf")
    resp = await harness.post(params)
    assert resp.status == 200


async def test_malformed_messages_are_refused_with_400(harness):
    params = harness.params(body="x")
    params["MessageSid"] = params["SmsMessageSid"] = "../../etc/passwd"
    assert (await harness.post(params)).status == 400
    params = harness.params(body="x")
    params["From"] = "whatsapp:not-a-number"
    assert (await harness.post(params)).status == 400


async def test_a_redelivered_message_is_processed_once(harness):
    params = harness.params(body="पहली बार")
    for _ in range(3):
        assert (await harness.post(params)).status == 200
    await harness.settle()
    await asyncio.sleep(0.05)
    assert len(harness.bot.received) == 1
    assert len(harness.outbound()) == 1
    assert harness.store.inbound_status(params["MessageSid"]) == "done"


async def test_concurrent_redeliveries_are_processed_once(harness):
    params = harness.params(body="एक साथ")
    responses = await asyncio.gather(*(harness.post(params) for _ in range(5)))
    assert {r.status for r in responses} == {200}
    await harness.settle()
    assert len(harness.bot.received) == 1


async def test_a_redelivery_after_a_restart_is_processed_once(settings, store):
    first, stop = await start_harness(settings, store)
    params = first.params(body="पुनः")
    await first.post(params)
    await first.settle()
    await stop()
    second, stop = await start_harness(settings, store)  # a new process, same database
    try:
        await second.post(params)
        await second.settle()
        assert not second.bot.received
    finally:
        await stop()


async def test_each_citizens_messages_run_in_order(harness):
    phones = [f"+9198765{i:05d}" for i in range(10)]

    async def citizen(phone):
        for n in range(8):
            await harness.send(phone, f"संदेश {n}")

    await asyncio.gather(*(citizen(p) for p in phones))
    await harness.settle(timeout=90)
    for phone in phones:
        bodies = [m["body"] for m in harness.outbound(phone)]
        assert bodies == [f"मिला: संदेश {n}" for n in range(8)]


async def test_a_slow_turn_holds_back_only_its_own_citizen(harness):
    gate = harness.bot.gates["रुको"] = asyncio.Event()
    await harness.send("+919800000001", "रुको")
    await harness.send("+919800000001", "उसके बाद")
    await harness.send("+919800000002", "दूसरा नागरिक")
    await harness.wait_for_outbound(1, "+919800000002")  # not stuck behind citizen 1
    assert harness.outbound("+919800000001") == []  # "उसके बाद" waits for "रुको"
    gate.set()
    replies = await harness.wait_for_outbound(2, "+919800000001")
    assert [m["body"] for m in replies] == ["मिला: रुको", "मिला: उसके बाद"]


async def test_a_failing_turn_does_not_block_the_citizens_next_message(harness):
    harness.bot.fail_on = "टूटा"
    broken = await harness.send(body="टूटा")
    await harness.send(body="ठीक")
    await harness.settle()
    assert [m["body"] for m in harness.outbound()] == ["मिला: ठीक"]
    assert harness.store.inbound_status(broken["MessageSid"]) == "failed"


async def test_an_abandoned_message_is_recovered_by_another_process(settings, store):
    """A process recorded a message (and Twilio got its 200), then died before the turn."""
    import datetime as dt

    import sqlalchemy as sa

    from lokseva.channels.models import WhatsAppInboundMessage

    h, stop = await start_harness(settings, store)
    h.channel._sweeper.cancel()  # sweep by hand, so the counts below are this test's
    try:
        params = h.params(body="बचा लो")
        assert store.record_inbound(params["MessageSid"], "+919876543210", params, owner="dead-process")
        assert await h.channel.sweep() == 0  # its lease still runs: the owner may be alive
        with store.engine.begin() as conn:
            conn.execute(sa.update(WhatsAppInboundMessage).values(lease_until=dt.datetime(2000, 1, 1)))
        assert await h.channel.sweep() == 1
        await h.settle()
        assert [m["body"] for m in h.outbound()] == ["मिला: बचा लो"]
        assert store.inbound_status(params["MessageSid"]) == "done"
        assert await h.channel.sweep() == 0
    finally:
        await stop()


async def test_status_callbacks_are_signature_checked_and_recorded(harness):
    await harness.send(body="स्थिति")
    sent = (await harness.wait_for_outbound(1))[0]
    for _ in range(200):  # the fake calls back queued -> sent -> delivered
        rows = harness.store.outbound(message_sid=sent["sid"])
        if rows and rows[0]["status"] == "delivered":
            break
        await asyncio.sleep(0.01)
    assert rows[0]["status"] == "delivered"
    assert rows[0]["conversation_id"] == harness.store.conversation_for("+919876543210")

    forged = {"MessageSid": sent["sid"], "MessageStatus": "failed", "ErrorCode": "30008"}
    assert (await harness.post(forged, signature="Zm9yZ2Vk", path=STATUS_PATH)).status == 403
    late = {"MessageSid": sent["sid"], "MessageStatus": "sent"}  # out of order: never moves back
    assert (await harness.post(late, path=STATUS_PATH)).status == 200
    failed = {"MessageSid": sent["sid"], "MessageStatus": "failed", "ErrorCode": "63016"}
    assert (await harness.post(failed, path=STATUS_PATH)).status == 200
    row = harness.store.outbound(message_sid=sent["sid"])[0]
    assert (row["status"], row["error_code"]) == ("failed", 63016)


async def test_a_delivery_failure_reported_by_twilio_is_recorded(harness):
    await harness.http.post(harness.fake.base_url + "/_fake/fail", json={"delivery_error": 63016, "times": 1})
    await harness.send(body="खिड़की")
    sent = (await harness.wait_for_outbound(1))[0]
    for _ in range(200):
        rows = harness.store.outbound(message_sid=sent["sid"])
        if rows and rows[0]["status"] == "failed":
            break
        await asyncio.sleep(0.01)
    assert (rows[0]["status"], rows[0]["error_code"]) == ("failed", 63016)


async def _store_media(harness, content: bytes, content_type: str):
    async with harness.http.post(
        harness.fake.base_url + "/_fake/media", data=content, headers={"Content-Type": content_type}
    ) as resp:
        return await resp.json()


async def test_logs_never_show_a_full_phone_number(harness, caplog):
    import logging

    caplog.set_level(logging.DEBUG, logger="lokseva")
    params = harness.params("+919812345678", body="नमस्ते")
    await harness.post(params)
    await harness.post(params)  # a redelivery is logged
    await harness.http.post(harness.fake.base_url + "/_fake/fail", json={"status": 400, "times": 1})
    await harness.send("+919812345678", "फिर")  # a refused send is logged
    await harness.settle()
    assert "+91******5678" in caplog.text
    assert "9812345678" not in caplog.text


@pytest.mark.parametrize("path", [WEBHOOK_PATH, "/webhooks/whatsapp/status"])
async def test_an_oversized_webhook_is_refused_before_anything_else(harness, path):
    params = harness.params(body="क" * 70_000)
    resp = await harness.post(params, path=path)
    assert resp.status == 413
    await asyncio.sleep(0.05)
    assert not harness.bot.received and harness.store.inbound_status(params["MessageSid"]) is None
