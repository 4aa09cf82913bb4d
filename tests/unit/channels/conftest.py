"""The WhatsApp channel on a real HTTP server, a real database and the local fake
Twilio, all in the test's event loop. Only Rasa is replaced, by `ScriptedBot`
(the integration tests use the real Rasa server).

The channel's public URL differs from the address it listens on, as behind the
production proxy: Twilio signs the public URL.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import aiohttp
import pytest
from sanic import Sanic
from twilio.request_validator import RequestValidator

from lokseva.channels.service import ChannelStore
from lokseva.channels.whatsapp import WEBHOOK_PATH, WhatsAppInput
from lokseva.db import create_engine_for, upgrade_database
from lokseva.devtools.fake_twilio import FakeTwilio, start_fake
from lokseva.settings import Settings, load_settings

PUBLIC_URL = "https://lokseva.example.gov.in"
ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
NUMBER = "whatsapp:+14155238886"


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return load_settings(
        {
            **os.environ,
            "LOKSEVA_ENV": "test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'channel.db'}",
            "UPLOADS_DIR": str(tmp_path / "uploads"),
            "SIGNING_KEY": "unit-test-signing-key",
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        }
    )


@pytest.fixture
def store(settings) -> ChannelStore:
    upgrade_database(settings.database_url)
    engine = create_engine_for(settings.database_url)
    yield ChannelStore(engine, settings.signing_key)
    engine.dispose()


SERVICES = [
    ("income", "आय प्रमाण पत्र"),
    ("caste", "जाति प्रमाण पत्र"),
    ("domicile", "मूल निवासी प्रमाण पत्र"),
    ("birth", "जन्म प्रमाण पत्र"),
    ("death", "मृत्यु प्रमाण पत्र"),
    ("khasra", "खसरा / खतौनी की नकल (भूमि रिकॉर्ड)"),
]


class ScriptedBot:
    """Stands in for Rasa's agent: records each UserMessage and answers through
    the message's output channel, like Rasa does."""

    def __init__(self):
        self.received: List[Any] = []
        self.delay = 0.0
        self.fail_on: Optional[str] = None
        self.gates: Dict[str, asyncio.Event] = {}  # a message with this text waits for the event

    async def __call__(self, message) -> None:
        self.received.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        if message.text in self.gates:
            await self.gates[message.text].wait()
        if message.text == self.fail_on:
            raise RuntimeError("the bot broke")
        out, sender = message.output_channel, message.sender_id
        if message.text == "menu":
            await out.send_response(
                sender,
                {
                    "text": "चुनें:",
                    "buttons": [
                        {"title": "आवेदन करें", "payload": "/apply_service"},
                        {"title": "स्थिति", "payload": "/check_status"},
                        {"title": "फीस", "payload": "/pay_fee"},
                    ],
                },
            )
        elif message.text == "services":
            await out.send_response(
                sender,
                {
                    "text": "कौन सा प्रमाण पत्र चाहिए?",
                    "buttons": [
                        {"title": title, "payload": f'/choose_service{{"service": "{key}"}}'} for key, title in SERVICES
                    ],
                },
            )
        elif message.text == "long":
            await out.send_response(sender, {"text": "यह एक लंबा वाक्य है। " * 150})
        elif message.text == "document":
            await out.send_response(
                sender,
                {
                    "custom": {
                        "document": {
                            "url": "https://lokseva.example.gov.in/c/JBA-2026-000123.pdf",
                            "filename": "certificate.pdf",
                        }
                    }
                },
            )
        elif message.text == "image":
            await out.send_response(sender, {"image": "https://lokseva.example.gov.in/i/qr.png"})
        else:
            await out.send_response(sender, {"text": f"मिला: {message.text}"})


@dataclass
class Harness:
    channel: WhatsAppInput
    bot: ScriptedBot
    fake: FakeTwilio
    store: ChannelStore
    local_url: str
    http: aiohttp.ClientSession
    validator: RequestValidator = field(default_factory=lambda: RequestValidator(AUTH_TOKEN))

    def params(self, phone: str = "+919876543210", body: Optional[str] = "", **extra: str) -> Dict[str, str]:
        sid = "SM" + uuid.uuid4().hex
        params = {
            "MessageSid": sid,
            "SmsMessageSid": sid,
            "SmsSid": sid,
            "AccountSid": ACCOUNT_SID,
            "From": f"whatsapp:{phone}",
            "To": NUMBER,
            "Body": body if body is not None else "",
            "NumMedia": "0",
            "NumSegments": "1",
            "ProfileName": "Test",
            "WaId": phone.lstrip("+"),
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
        }
        params.update(extra)
        return params

    async def post(
        self,
        params: Dict[str, str],
        *,
        signature: Optional[str] = None,
        sign_url: Optional[str] = None,
        path: str = WEBHOOK_PATH,
    ) -> aiohttp.ClientResponse:
        if signature is None:
            signature = self.validator.compute_signature(sign_url or PUBLIC_URL + path, params)
        async with self.http.post(
            self.local_url + path, data=params, headers={"X-Twilio-Signature": signature}
        ) as resp:
            await resp.read()
            return resp

    async def send(self, phone: str = "+919876543210", body: str = "", **extra: str) -> Dict[str, str]:
        params = self.params(phone, body, **extra)
        for _ in range(3):  # a 500 (not recorded: SQLite busy on a loaded machine) is retried, as Twilio does
            resp = await self.post(params)
            if resp.status != 500:
                break
        assert resp.status == 200, resp.status
        return params

    async def fail(self, **spec: Any) -> None:
        """The fake's next answers fail: {"status": 503, "times": N} (POST /_fake/fail)."""
        async with self.http.post(self.fake.base_url + "/_fake/fail", json=spec) as resp:
            assert resp.status == 200

    def outbound(self, phone: str = "+919876543210") -> List[Dict]:
        return [m for m in self.fake.messages if m["direction"] == "outbound-api" and m["to"] == f"whatsapp:{phone}"]

    async def settle(self, timeout: float = 60.0) -> None:
        """Waits until every queued turn ran."""
        assert await self.channel.turns.drain(timeout), "turns still running"

    async def wait_for_outbound(self, count: int, phone: str = "+919876543210", timeout: float = 30.0) -> List[Dict]:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.outbound(phone)) < count:
            assert asyncio.get_running_loop().time() < deadline, self.outbound(phone)
            await asyncio.sleep(0.01)
        return self.outbound(phone)


async def start_harness(
    settings: Settings, store: ChannelStore, bot: Optional[ScriptedBot] = None, fake: Optional[FakeTwilio] = None
):
    """Starts the fake (unless given) and a Sanic server with the channel; returns (harness, stop)."""
    runner = None
    if fake is None:
        fake, runner = await start_fake(ACCOUNT_SID, AUTH_TOKEN, NUMBER, callback_delay=0.001)
    channel = WhatsAppInput(ACCOUNT_SID, AUTH_TOKEN, NUMBER, PUBLIC_URL, fake.base_url, settings=settings, store=store)
    channel.client.backoff_base = 0.01  # quick retries in tests
    bot = bot or ScriptedBot()
    app = Sanic(f"channel_test_{uuid.uuid4().hex[:8]}")
    Sanic.test_mode = True  # lets Sanic 21.12 start several apps in one process (as sanic-testing does)
    app.blueprint(channel.blueprint(bot), url_prefix="/webhooks/whatsapp")
    # Sanic reads port=0 as "the default, 8000", which collides with a running web
    # app; a socket already bound to a free port is really free.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    local_url = f"http://127.0.0.1:{server.server.sockets[0].getsockname()[1]}"
    # Status callbacks: Twilio calls the public URL; the "proxy" forwards to us.
    fake.forward = [(PUBLIC_URL + "/webhooks/", local_url + "/webhooks/")]
    http = aiohttp.ClientSession()
    harness = Harness(channel, bot, fake, store, local_url, http)

    async def stop() -> None:
        await http.close()
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()
        if runner is not None:
            await runner.cleanup()

    return harness, stop


@pytest.fixture
async def harness(settings, store):
    h, stop = await start_harness(settings, store)
    yield h
    await stop()


async def serve_locally(app):
    """Starts an aiohttp app on a free local port; returns (runner, port). The caller cleans up."""
    from aiohttp import web

    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]
