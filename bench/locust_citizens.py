"""Locust users for bench/cluster_bench.py (run by it, one Locust process per measurement).

WhatsAppCitizen: a citizen on WhatsApp, as Twilio delivers them: signed webhooks to
the load balancer, the replies read back from the fake Twilio. Each one greets, asks
for an income certificate, names the district, fills in the form, confirms it (the receipt and the
payment link come back), asks for the status, then a new citizen starts. Reported
as "webhook→reply": from sending the webhook to the first reply at the fake Twilio.

StockRasaUser: the same greeting on stock Rasa's REST channel (the reply is in the
HTTP response), reported as "rest→reply".

The target comes from the environment (BENCH_*), set by cluster_bench.py.
"""

from __future__ import annotations

import os
import random
import time
import uuid

import requests
from locust import FastHttpUser, events, task
from twilio.request_validator import RequestValidator

from lokseva.devtools.cluster import income_form

PUBLIC_URL = os.environ.get("BENCH_PUBLIC_URL", "")
FAKE_TWILIO = os.environ.get("BENCH_FAKE_TWILIO", "")
AUTH_TOKEN = os.environ.get("BENCH_TWILIO_AUTH_TOKEN", "")
ACCOUNT_SID = os.environ.get("BENCH_TWILIO_ACCOUNT_SID", "")
NUMBER = os.environ.get("BENCH_TWILIO_NUMBER", "whatsapp:+14155238886")
AADHAAR = os.environ.get("BENCH_AADHAAR", "")
WEBHOOK = "/webhooks/whatsapp/webhook"
FORM = income_form(AADHAAR) + ["mera aavedan kahan tak pahuncha"]
QUIET = 0.3  # s without a new reply: the turn is over (a turn may send several messages)
POLL = 0.02  # s between looks at the fake Twilio


def report(name: str, started: float, error: Exception = None) -> None:
    events.request.fire(
        request_type="WA",
        name=name,
        response_time=(time.perf_counter() - started) * 1000,
        response_length=0,
        exception=error,
        context={},
    )


class WhatsAppCitizen(FastHttpUser):
    host = PUBLIC_URL

    def on_start(self) -> None:
        self.validator = RequestValidator(AUTH_TOKEN)
        self.fake = requests.Session()

    def received(self, phone: str) -> int:
        reply = self.fake.get(f"{FAKE_TWILIO}/_fake/messages", params={"to": f"whatsapp:{phone}"}, timeout=30)
        return len(reply.json()["messages"])

    @task
    def apply_for_an_income_certificate(self) -> None:
        phone = "+9197" + "".join(random.choices("0123456789", k=8))
        seen = 0
        for text in FORM:
            sid = "SM" + uuid.uuid4().hex
            params = {
                "MessageSid": sid,
                "SmsMessageSid": sid,
                "AccountSid": ACCOUNT_SID,
                "From": f"whatsapp:{phone}",
                "To": NUMBER,
                "Body": text,
                "NumMedia": "0",
                "WaId": phone.lstrip("+"),
                "ProfileName": "Bench",
            }
            signature = self.validator.compute_signature(PUBLIC_URL + WEBHOOK, params)
            started = time.perf_counter()
            with self.client.post(
                WEBHOOK,
                data=params,
                headers={"X-Twilio-Signature": signature},
                name="webhook (ack)",
                catch_response=True,
            ) as ack:
                if ack.status_code != 200:
                    ack.failure(f"HTTP {ack.status_code}")
                    return
            deadline = started + 120
            while (count := self.received(phone)) <= seen:
                if time.perf_counter() > deadline:
                    report("webhook→reply", started, TimeoutError(text))
                    return
                time.sleep(POLL)
            report("webhook→reply", started)
            seen = count
            while True:  # the rest of this turn's messages
                time.sleep(QUIET)
                count = self.received(phone)
                if count == seen:
                    break
                seen = count


class StockRasaUser(FastHttpUser):
    host = os.environ.get("BENCH_STOCK_URL", "")

    @task
    def greet(self) -> None:
        sender = uuid.uuid4().hex
        for text in ("hello", "good morning", "hi", "hey"):
            started = time.perf_counter()
            with self.client.post(
                "/webhooks/rest/webhook",
                json={"sender": sender, "message": text},
                name="rest (http)",
                catch_response=True,
            ) as reply:
                if reply.status_code != 200 or not reply.json():
                    reply.failure(f"HTTP {reply.status_code}: {reply.text[:80]}")
                    continue
            report("rest→reply", started)
            time.sleep(QUIET)  # the same pause as a WhatsApp citizen's between turns
