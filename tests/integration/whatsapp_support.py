"""Helpers for the WhatsApp integration tests: a citizen's phone as Twilio would
deliver it (signed webhooks to the real Rasa server), and the fake Twilio's
record of what the assistant sent."""

from __future__ import annotations

import random
import re
import time
import uuid
from typing import Dict, List, Optional

import requests
from twilio.request_validator import RequestValidator

from lokseva import rasa_api
from lokseva.channels.service import ChannelStore
from lokseva.channels.whatsapp import WEBHOOK_PATH, same_message_id
from lokseva.db import create_engine_for


def new_phone() -> str:
    return "+9198" + "".join(random.choices("0123456789", k=8))


class Phone:
    """A citizen on WhatsApp, as the assistant sees them through Twilio."""

    def __init__(self, assistant, number: Optional[str] = None):
        self.assistant = assistant
        self.settings = assistant.settings
        self.number = number or new_phone()
        self.validator = RequestValidator(self.settings.twilio_auth_token)
        self.fake = self.settings.twilio_api_base.rstrip("/")

    def params(self, body: str = "", **extra: str) -> Dict[str, str]:
        sid = ("MM" if extra.get("NumMedia", "0") != "0" else "SM") + uuid.uuid4().hex
        params = {
            "MessageSid": sid,
            "SmsMessageSid": sid,
            "SmsSid": sid,
            "AccountSid": self.settings.twilio_account_sid,
            "From": f"whatsapp:{self.number}",
            "To": self.settings.twilio_whatsapp_number,
            "Body": body,
            "NumMedia": "0",
            "NumSegments": "1",
            "ProfileName": "Test",
            "WaId": self.number.lstrip("+"),
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
        }
        params.update(extra)
        return params

    def post(
        self,
        params: Dict[str, str],
        signature: Optional[str] = None,
        sign_url: Optional[str] = None,
        path: str = WEBHOOK_PATH,
    ) -> requests.Response:
        if signature is None:
            signature = self.validator.compute_signature(sign_url or self.settings.public_url + path, params)
        return requests.post(
            self.settings.rasa_url + path, data=params, headers={"X-Twilio-Signature": signature}, timeout=30
        )

    def send(self, body: str = "", **extra: str) -> Dict[str, str]:
        params = self.params(body, **extra)
        reply = self.post(params)
        assert reply.status_code == 200, reply.text
        return params

    def upload(self, content: bytes, content_type: str) -> str:
        reply = requests.post(
            f"{self.fake}/_fake/media", data=content, headers={"Content-Type": content_type}, timeout=30
        )
        reply.raise_for_status()
        return reply.json()["url"]

    def received(self, after: int = 0) -> List[Dict]:
        reply = requests.get(
            f"{self.fake}/_fake/messages", params={"to": f"whatsapp:{self.number}", "after": str(after)}, timeout=30
        )
        reply.raise_for_status()
        return reply.json()["messages"]

    def wait_for(self, count: int, timeout: float = 60.0) -> List[Dict]:
        """The first `count` messages the assistant sent to this phone (waits for them)."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.received()
            if len(messages) >= count:
                return messages
            assert time.monotonic() < deadline, f"only {len(messages)} of {count} replies: {messages}"
            time.sleep(0.1)

    def wait_done(self, message_sid: str, timeout: float = 120.0) -> str:
        """Waits until the turn of this message is over (its tracker saved): the
        channel marks the inbox row done, failed or ignored only then."""
        store = ChannelStore(create_engine_for(self.settings.database_url), self.settings.signing_key)
        deadline = time.monotonic() + timeout
        try:
            while True:
                status = store.inbound_status(message_sid)
                if status in ("done", "failed", "ignored"):
                    return status
                assert time.monotonic() < deadline, f"{message_sid} still {status}"
                time.sleep(0.05)
        finally:
            store.engine.dispose()

    def chat(self, body: str, timeout: float = 60.0) -> Dict:
        """Sends `body`, waits for the whole turn, returns the first message it sent back."""
        before = len(self.received())
        assert self.wait_done(self.send(body)["MessageSid"], timeout) == "done"
        return self.wait_for(before + 1, timeout)[before]

    def conversation_id(self) -> str:
        return ChannelStore(None, self.settings.signing_key).conversation_for(self.number)

    def tracker(self) -> Dict:
        return rasa_api.call(
            self.settings, "GET", f"/conversations/{self.conversation_id()}/tracker", timeout=30
        ).json()


def wait_until(phone: "Phone", condition, timeout: float = 90.0) -> List[Dict]:
    """The phone's received messages once `condition(messages)` holds."""
    deadline = time.monotonic() + timeout
    while True:
        messages = phone.received()
        if condition(messages):
            return messages
        assert time.monotonic() < deadline, [m["body"] for m in messages[-4:]]
        time.sleep(0.2)


def link_in(text: str) -> str:
    """The payment link in a message."""
    return re.search(r"https?://\S+/i/[\w-]+", text).group(0)


# Is a message id from the tracker (digits possibly masked) the MessageSid sent?
same_sid = same_message_id


def fake_api(assistant, path: str, **json) -> Dict:
    reply = requests.post(assistant.settings.twilio_api_base.rstrip("/") + path, json=json, timeout=30)
    reply.raise_for_status()
    return reply.json()


def fake_stats(assistant) -> Dict:
    return requests.get(assistant.settings.twilio_api_base.rstrip("/") + "/_fake/stats", timeout=30).json()


def channel_store(assistant) -> ChannelStore:
    return ChannelStore(create_engine_for(assistant.settings.database_url), assistant.settings.signing_key)
