"""The WhatsApp channel against Rasa's REST channel, measured in the same run.

    .venv/bin/python bench/channel_bench.py [--latency 60] [--citizens 20] [--per-citizen 10] [--sqlite]

Starts the real assistant (fake Twilio, action server, Rasa server with the
current model) on free ports, with the conversations and the channel's tables on
throw-away PostgreSQL databases and the lock store on Redis, as the integration
tests do (--sqlite: the `make run` defaults instead). Then, for both channels:

  latency  one citizen at a time: from sending a message to the bot's last reply.
           REST: the HTTP request (it returns when the turn is over).
           WhatsApp: from the signed webhook to the reply arriving at the fake
           Twilio's Messages API (its own receive time), i.e. signature check,
           inbox record, acknowledgement, background turn, REST call to Twilio.
  ack      WhatsApp only: how long Twilio waits for our 200.
  load     --citizens citizens writing at once, each sending --per-citizen
           messages and waiting for each reply before the next: messages/second.
  burst    WhatsApp only: every citizen sends all messages without waiting
           (Twilio delivers as fast as citizens type): time until all replies arrived.

Prints p50/p95 and messages per second of both, and the ratio WhatsApp/REST.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from bench.support import ScratchDatabases, percentile as pct  # noqa: E402

MESSAGES = ("नमस्ते", "hello good morning")  # a greeting and its menu; alternating languages


def line(name: str, values: List[float]) -> str:
    return (
        f"  {name:<22} n={len(values):<4} p50 {pct(values, 0.5):7.1f} ms   p95 {pct(values, 0.95):7.1f} ms"
        f"   mean {statistics.mean(values):7.1f} ms"
    )


class Replies:
    """One poller of the fake Twilio's record for every waiting citizen."""

    def __init__(self, fake_url: str):
        self.fake_url = fake_url
        self.seq = requests.get(f"{fake_url}/_fake/messages", params={"after": "0"}, timeout=30).json()["messages"]
        self.seq = max((m["seq"] for m in self.seq), default=0)
        self.by_phone: Dict[str, List[dict]] = {}
        self.changed = threading.Condition()
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        session = requests.Session()
        while not self.stop:
            found = session.get(f"{self.fake_url}/_fake/messages", params={"after": str(self.seq)}, timeout=30).json()[
                "messages"
            ]
            if found:
                with self.changed:
                    for m in found:
                        self.seq = max(self.seq, m["seq"])
                        if m["direction"] == "outbound-api":
                            self.by_phone.setdefault(m["to"].split(":", 1)[1], []).append(m)
                    self.changed.notify_all()
            time.sleep(0.005)

    def wait(self, phone: str, count: int, timeout: float = 120.0) -> List[dict]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.by_phone.get(phone, [])) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{phone}: {len(self.by_phone.get(phone, []))} of {count} replies")
                self.changed.wait(left)
            return self.by_phone[phone][:count]


class WhatsApp:
    def __init__(self, settings):
        self.settings = settings
        self.url = settings.rasa_url + "/webhooks/whatsapp/webhook"
        self.signed_url = settings.public_url + "/webhooks/whatsapp/webhook"
        self.validator = RequestValidator(settings.twilio_auth_token)
        self.replies = Replies(settings.twilio_api_base.rstrip("/"))
        self.local = threading.local()

    def _session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def post(self, phone: str, text: str) -> float:
        """Sends a signed webhook; returns the wall-clock time it was sent."""
        sid = "SM" + uuid.uuid4().hex
        params = {
            "MessageSid": sid,
            "SmsMessageSid": sid,
            "AccountSid": self.settings.twilio_account_sid,
            "From": f"whatsapp:{phone}",
            "To": self.settings.twilio_whatsapp_number,
            "Body": text,
            "NumMedia": "0",
            "WaId": phone.lstrip("+"),
            "ApiVersion": "2010-04-01",
        }
        headers = {"X-Twilio-Signature": self.validator.compute_signature(self.signed_url, params)}
        sent = time.time()
        reply = self._session().post(self.url, data=params, headers=headers, timeout=60)
        reply.raise_for_status()
        return sent

    def turn(self, phone: str, text: str, expected: int) -> Tuple[float, float]:
        """(latency to the reply at Twilio, acknowledgement time), in ms."""
        started = time.perf_counter()
        sent = self.post(phone, text)
        ack = (time.perf_counter() - started) * 1000
        reply = self.replies.wait(phone, expected)[expected - 1]
        return (reply["created_at"] - sent) * 1000, ack


class Rest:
    def __init__(self, settings):
        self.url = settings.rasa_url + "/webhooks/rest/webhook"
        self.local = threading.local()

    def turn(self, sender: str, text: str) -> float:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        started = time.perf_counter()
        reply = self.local.session.post(self.url, json={"sender": sender, "message": text}, timeout=60)
        reply.raise_for_status()
        assert reply.json(), "no answer"
        return (time.perf_counter() - started) * 1000


def phones(n: int) -> List[str]:
    return [f"+9197{uuid.uuid4().int % 10**8:08d}" for _ in range(n)]


def load(citizens: int, per_citizen: int, one: Callable[[int, str, int], None]) -> float:
    """citizens x per_citizen messages, each citizen waiting for each reply: messages/s."""
    names = phones(citizens)

    def citizen(i: int) -> None:
        for n in range(per_citizen):
            one(n, names[i], n + 1)

    started = time.perf_counter()
    with ThreadPoolExecutor(citizens) as pool:
        list(pool.map(citizen, range(citizens)))
    return citizens * per_citizen / (time.perf_counter() - started)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=int, default=60, help="messages for the latency measure")
    parser.add_argument("--citizens", type=int, default=20)
    parser.add_argument("--per-citizen", type=int, default=10)
    parser.add_argument("--sqlite", action="store_true", help="make run's SQLite and in-memory lock store")
    args = parser.parse_args(argv)

    from lokseva.db import upgrade_database
    from lokseva.devtools import processes
    from lokseva.devtools.train import ensure_model
    from lokseva.settings import load_settings

    model = ensure_model()
    tmp = Path(tempfile.mkdtemp(prefix="channel-bench-"))
    databases = ScratchDatabases()
    overrides = {
        "LOKSEVA_ENV": "test",
        "UPLOADS_DIR": str(tmp / "uploads"),
        **{
            k: str(processes.free_port())
            for k in ("RASA_PORT", "ACTION_PORT", "WEB_PORT", "FAKE_TWILIO_PORT", "SANDBOX_GATEWAY_PORT")
        },
        **{k: "" for k in ("RASA_URL", "ACTION_SERVER_URL", "PUBLIC_URL", "TWILIO_API_BASE", "SANDBOX_GATEWAY_URL")},
    }
    if args.sqlite:
        overrides.update(
            DATABASE_URL=f"sqlite:///{tmp / 'lokseva.db'}",
            TRACKER_STORE_URL=f"sqlite:///{tmp / 'tracker.db'}",
            LOCK_STORE_TYPE="in_memory",
        )
    else:
        overrides.update(DATABASE_URL=databases.create(), TRACKER_STORE_URL=databases.create(), LOCK_STORE_TYPE="redis")
    settings = load_settings({**os.environ, **overrides})
    upgrade_database(settings.database_url)
    services = [s for s in processes.assistant_services(settings, model) if s.name in ("twilio", "actions", "rasa")]
    running = []
    try:
        print(
            f"==> starting {', '.join(s.name for s in services)} "
            f"({'SQLite' if args.sqlite else 'PostgreSQL + Redis lock store'})",
            flush=True,
        )
        for service in services:
            running.append(processes.start(service, settings.as_env(), tmp / "log"))
        for r in running:
            r.wait_ready()
        rest, whatsapp = Rest(settings), WhatsApp(settings)
        for i in range(6):  # warm up both paths (first inferences, connection pools)
            rest.turn("warmup", MESSAGES[i % 2])
            whatsapp.turn("+919700000000", MESSAGES[i % 2], i + 1)

        print(f"\n==> latency: one citizen at a time, {args.latency} messages each channel", flush=True)
        rest_lat = [rest.turn("latency-rest", MESSAGES[i % 2]) for i in range(args.latency)]
        phone = phones(1)[0]
        measured = [whatsapp.turn(phone, MESSAGES[i % 2], i + 1) for i in range(args.latency)]
        wa_lat, wa_ack = [m[0] for m in measured], [m[1] for m in measured]
        print(line("REST (request)", rest_lat))
        print(line("WhatsApp (to reply)", wa_lat))
        print(line("WhatsApp ack to Twilio", wa_ack))

        total = args.citizens * args.per_citizen
        print(
            f"\n==> load: {args.citizens} citizens x {args.per_citizen} messages, each waiting for its reply",
            flush=True,
        )
        rest_rate = load(args.citizens, args.per_citizen, lambda n, p, k: rest.turn(p, MESSAGES[n % 2]))
        wa_rate = load(args.citizens, args.per_citizen, lambda n, p, k: whatsapp.turn(p, MESSAGES[n % 2], k))
        print(f"  REST      {rest_rate:6.1f} messages/s")
        print(f"  WhatsApp  {wa_rate:6.1f} messages/s")

        print(f"\n==> burst: {total} WhatsApp messages sent without waiting for replies", flush=True)
        names = phones(args.citizens)
        started = time.perf_counter()

        def burst(p: str) -> None:
            for n in range(args.per_citizen):
                whatsapp.post(p, MESSAGES[n % 2])

        with ThreadPoolExecutor(args.citizens) as pool:
            list(pool.map(burst, names))
        accepted = time.perf_counter() - started
        for p in names:
            whatsapp.replies.wait(p, args.per_citizen, timeout=600)
        burst_rate = total / (time.perf_counter() - started)
        print(
            f"  all {total} acknowledged in {accepted * 1000:.0f} ms ({total / accepted:.0f} webhooks/s); "
            f"all replies after {total / burst_rate:.1f} s: {burst_rate:.1f} messages/s"
        )

        print("\n==> WhatsApp / REST")
        print(
            f"  latency p50 {pct(wa_lat, 0.5) / pct(rest_lat, 0.5):.2f}x   p95 {pct(wa_lat, 0.95) / pct(rest_lat, 0.95):.2f}x"
            f"   throughput {wa_rate / rest_rate:.2f}x (burst {burst_rate / rest_rate:.2f}x)"
        )
        whatsapp.replies.stop = True
    finally:
        processes.stop_all(running)
        if not args.sqlite:
            databases.drop()


if __name__ == "__main__":
    main()
