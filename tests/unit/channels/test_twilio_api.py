"""The REST client against the local fake, and the fake against Twilio's contract."""

import asyncio
import json
from urllib.parse import parse_qsl

import aiohttp
import pytest
from aiohttp import web
from twilio.request_validator import RequestValidator

from lokseva.channels.twilio_client import TwilioClient, TwilioError, _retry_after
from lokseva.devtools.fake_twilio import start_fake
from tests.unit.channels.conftest import ACCOUNT_SID, AUTH_TOKEN, NUMBER, serve_locally

pytestmark = pytest.mark.anyio
TO = "whatsapp:+919876543210"


@pytest.fixture
async def fake():
    fake, runner = await start_fake(ACCOUNT_SID, AUTH_TOKEN, NUMBER, callback_delay=0.001)
    yield fake
    await runner.cleanup()


@pytest.fixture
async def client(fake):
    client = TwilioClient(ACCOUNT_SID, AUTH_TOKEN, fake.base_url, backoff_base=0.01)
    yield client
    await client.close()


async def test_a_message_is_created_with_twilios_response_shape(client, fake):
    sent = await client.send_message(to=TO, from_=NUMBER, body="नमस्ते")
    assert sent.sid.startswith("SM") and len(sent.sid) == 34
    assert sent.status == "queued"
    for key in ("account_sid", "api_version", "date_created", "direction", "num_media", "uri", "subresource_uris"):
        assert key in sent.raw
    assert sent.raw["direction"] == "outbound-api" and sent.raw["to"] == TO
    assert fake.messages[0]["body"] == "नमस्ते"


async def test_wrong_credentials_get_401(fake):
    client = TwilioClient(ACCOUNT_SID, "wrong-token", fake.base_url)
    try:
        with pytest.raises(TwilioError) as error:
            await client.send_message(to=TO, from_=NUMBER, body="x")
        assert (error.value.status, error.value.code) == (401, 20003)
        assert fake.stats["attempts"] == 1  # never retried
    finally:
        await client.close()


@pytest.mark.parametrize(
    "params, code",
    [
        ({"to": "", "body": "x"}, 21604),
        ({"from_": "", "body": "x"}, 21603),
        ({"to": "+919876543210", "body": "x"}, 21910),
        ({"to": "whatsapp:12345", "body": "x"}, 21211),
        ({"from_": "whatsapp:+15550001111", "body": "x"}, 63007),
        ({}, 21619),
        ({"body": "x" * 1601}, 21617),
        ({"media_urls": ["ftp://example.org/a.pdf"]}, 21620),
        ({"content_sid": "HXnotasid"}, 21655),
        ({"content_sid": "HX" + "0" * 32, "content_variables": "[1, 2]"}, 21656),
    ],
)
async def test_bad_requests_get_twilios_error_codes_and_are_not_retried(client, fake, params, code):
    args = {"to": TO, "from_": NUMBER, **params}
    with pytest.raises(TwilioError) as error:
        await client.send_message(**args)
    assert (error.value.status, error.value.code) == (400, code)
    assert error.value.more_info.endswith(str(code))
    assert fake.stats["attempts"] == 1


async def test_1600_characters_are_accepted(client):
    await client.send_message(to=TO, from_=NUMBER, body="क" * 1600)


async def test_429_is_retried_after_retry_after(client, fake):
    waits = []

    async def sleep(seconds):
        waits.append(seconds)

    client._sleep = sleep
    fake.api_failures.clear()
    async with aiohttp.ClientSession() as http:
        await http.post(fake.base_url + "/_fake/fail", json={"status": 429, "times": 2, "retry_after": 3})
    sent = await client.send_message(to=TO, from_=NUMBER, body="x")
    assert sent.sid and waits == [3.0, 3.0] and fake.stats["attempts"] == 3


async def test_5xx_backs_off_exponentially(client, fake):
    waits = []

    async def sleep(seconds):
        waits.append(seconds)

    client._sleep = sleep
    client.backoff_base = 1.0
    async with aiohttp.ClientSession() as http:
        await http.post(fake.base_url + "/_fake/fail", json={"status": 500, "times": 3})
    await client.send_message(to=TO, from_=NUMBER, body="x")
    assert len(waits) == 3
    for attempt, wait in enumerate(waits, 1):  # jittered within [d/2, d], d = 1, 2, 4 s
        assert 2 ** (attempt - 1) / 2 <= wait <= 2 ** (attempt - 1)


async def test_an_unreachable_api_is_retried_then_reported(client):
    client.api_base = "http://127.0.0.1:9"  # nothing listens on the discard port
    client.max_attempts = 2
    with pytest.raises(TwilioError, match="cannot connect"):
        await client.send_message(to=TO, from_=NUMBER, body="x")


def test_retry_after_forms():
    assert _retry_after("7") == 7.0
    assert _retry_after(None) is None and _retry_after("soon") is None
    assert 0 <= _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") <= 0.0


async def test_status_callbacks_are_signed_like_twilio(fake, client):
    """A receiver validating with twilio's RequestValidator accepts the fake's callbacks."""
    received = []
    public = "https://lokseva.example.gov.in/webhooks/whatsapp/status"

    async def status(request):
        params = dict(parse_qsl((await request.read()).decode(), keep_blank_values=True))
        valid = RequestValidator(AUTH_TOKEN).validate(public, params, request.headers["X-Twilio-Signature"])
        received.append((params["MessageStatus"], valid))
        return web.Response(text="")

    app = web.Application()
    app.router.add_post("/webhooks/whatsapp/status", status)
    runner, port = await serve_locally(app)
    fake.forward = [("https://lokseva.example.gov.in/", f"http://127.0.0.1:{port}/")]
    try:
        await client.send_message(to=TO, from_=NUMBER, body="x", status_callback=public)
        for _ in range(200):
            if len(received) == 3:
                break
            await asyncio.sleep(0.01)
        assert received == [("queued", True), ("sent", True), ("delivered", True)]
        async with aiohttp.ClientSession() as http:
            await http.post(fake.base_url + "/_fake/read", json={"phone": "+919876543210"})
        for _ in range(200):
            if len(received) == 4:
                break
            await asyncio.sleep(0.01)
        assert received[-1] == ("read", True)
    finally:
        await runner.cleanup()


async def test_recorded_messages_can_be_listed_by_number_and_since_a_point(client, fake):
    await client.send_message(to=TO, from_=NUMBER, body="one")
    await client.send_message(to="whatsapp:+919800000000", from_=NUMBER, body="other")
    await client.send_message(to=TO, from_=NUMBER, body="two")
    async with aiohttp.ClientSession() as http:
        async with http.get(fake.base_url + "/_fake/messages", params={"to": TO}) as resp:
            listed = (await resp.json())["messages"]
        assert [m["body"] for m in listed] == ["one", "two"]
        async with http.get(
            fake.base_url + "/_fake/messages", params={"to": TO, "after": str(listed[0]["seq"])}
        ) as resp:
            assert [m["body"] for m in (await resp.json())["messages"]] == ["two"]
        await http.delete(fake.base_url + "/_fake/messages")
        async with http.get(fake.base_url + "/_fake/messages") as resp:
            assert (await resp.json())["messages"] == []


async def test_templates_are_rendered_like_whatsapp_shows_them(client, fake):
    await client.send_message(
        to=TO,
        from_=NUMBER,
        content_sid="HX00000000000000000000000000000301",
        content_variables=json.dumps({"1": "JBA-2026-000007", "2": "जाँच में"}),
    )
    assert fake.messages[0]["rendered"] == "📋 आपके आवेदन JBA-2026-000007 की स्थिति बदली है:\nजाँच में"
