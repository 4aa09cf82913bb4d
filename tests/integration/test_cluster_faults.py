"""Two replicas of every process behind HAProxy (lokseva.devtools.cluster), a load
of citizens applying for an income certificate on WhatsApp, and in the middle of
it: a Rasa replica, an action server and a web app killed (SIGKILL), PostgreSQL
restarted, Redis restarted, Twilio failing for a while. Afterwards every webhook
was answered once and in order, every citizen has one application, nothing sent
twice; the figures (printed with -s) say how long each recovery took.

PostgreSQL and Redis are the test's own (tests/integration/private_services.py),
so restarting them disturbs no other test.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Dict, List

import pytest
import requests
import sqlalchemy as sa

from lokseva.applications import messaging
from lokseva.db import create_engine_for, upgrade_database
from lokseva.devtools.cluster import Topology, cluster_services, income_form
from lokseva.portal.stream import delete_queue
from lokseva.settings import load_settings
from tests.conftest import running_services
from tests.integration.private_services import private_postgres, private_redis
from tests.integration import test_payment_whatsapp as payment_flow
from tests.integration.whatsapp_support import Phone, same_sid

pytestmark = pytest.mark.integration
RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")
CITIZENS = 6
# What the assistant says when it could not keep an answer ("send the same answer again").
ASK_AGAIN = (messaging.invalid("technical", "hi"), messaging.invalid("technical", "en"))
# The greeting, the service, the district (asked once, before the form), the form's
# answers, the confirmation: what tests/integration/test_payment_whatsapp.py answers.
FORM = income_form(payment_flow.aadhaar())


@dataclass
class Citizen:
    phone: Phone
    sent: List[str] = field(default_factory=list)
    waits: List[tuple] = field(default_factory=list)  # (sent at, answered at), monotonic
    asked_again: int = 0  # answers sent again because the assistant asked
    error: str = ""


def post_like_twilio(phone: Phone, text: str) -> str:
    """Twilio sends a webhook again when it gets no 200 (a Webhooks retry rule)."""
    params = phone.params(text)
    for _ in range(120):
        try:
            if phone.post(params).status_code == 200:
                return params["MessageSid"]
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"webhook {params['MessageSid']} never taken")


def inbound_status(engine, sid: str):
    try:
        with engine.connect() as conn:
            return conn.execute(
                sa.text("SELECT status FROM whatsapp_inbound_messages WHERE message_sid = :s"), {"s": sid}
            ).scalar()
    except sa.exc.OperationalError:  # the database is restarting
        return None


def fill_the_form(citizen: Citizen, engine, progress: List[int]) -> None:
    """Answers the form; when the assistant asks to send the same answer again (its
    database was restarting: messaging.invalid("technical")), sends it again, as a
    citizen would."""
    try:
        for text in FORM:
            for _ in range(5):
                before = len(citizen.phone.received())
                sent_at = time.monotonic()
                sid = post_like_twilio(citizen.phone, text)
                citizen.sent.append(sid)
                deadline = sent_at + 240
                while inbound_status(engine, sid) not in ("done", "failed", "ignored"):
                    assert time.monotonic() < deadline, f"{sid} ({text}) not answered"
                    time.sleep(0.1)
                citizen.waits.append((sent_at, time.monotonic()))
                progress.append(1)
                replies = [m.get("body") or "" for m in citizen.phone.received()[before:]]
                if not any(ask in body for body in replies for ask in ASK_AGAIN):
                    break
                citizen.asked_again += 1
                time.sleep(1)
    except Exception as error:  # noqa: BLE001 (asserted below)
        citizen.error = repr(error)


def test_two_replicas_answer_every_message_once_and_in_order_through_kills_and_restarts(tmp_path, model_path):
    with private_postgres() as pg, private_redis() as redis_server:
        topology = Topology.on_free_ports(2)
        from lokseva.devtools import processes

        overrides = {
            "LOKSEVA_ENV": "test",
            "FAKE_TWILIO_PORT": str(processes.free_port()),
            "SANDBOX_GATEWAY_PORT": str(processes.free_port()),
            "DATABASE_URL": pg.create_database("lokseva"),
            "TRACKER_STORE_URL": pg.create_database("conversations"),
            "LOCK_STORE_TYPE": "redis",
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(redis_server.port),
            "UPLOADS_DIR": str(tmp_path / "uploads"),
            "WHATSAPP_OUTBOX_INTERVAL_S": "5",
            "EVENT_BROKER_URL": RABBITMQ_URL,
            "EVENT_BROKER_QUEUE": f"lokseva_test_{uuid.uuid4().hex[:8]}",
            "CONVERSATION_STREAM_URL": pg.create_database("stream"),
            "RASA_URL": "",
            "ACTION_SERVER_URL": "",
            "PUBLIC_URL": "",
            "TWILIO_API_BASE": "",
            "SANDBOX_GATEWAY_URL": "",
        }
        settings = topology.settings_for(load_settings({**os.environ, **overrides}))
        upgrade_database(settings.database_url)
        services = cluster_services(settings, topology, model_path, tmp_path / "haproxy")
        with running_services(services, settings.as_env(), tmp_path / "log", "cluster") as running:
            by_name = {r.service.name: r for r in running}
            engine = create_engine_for(settings.database_url)
            stack = SimpleNamespace(settings=settings)
            citizens = [Citizen(Phone(stack)) for _ in range(CITIZENS)]
            progress: List[int] = []
            total = CITIZENS * len(FORM)
            threads = [threading.Thread(target=fill_the_form, args=(c, engine, progress)) for c in citizens]
            for t in threads:
                t.start()

            def twilio_fails(seconds: int) -> None:
                requests.post(
                    settings.twilio_api_base + "/_fake/fail", json={"status": 503, "for_seconds": seconds}, timeout=10
                ).raise_for_status()

            def gateway_fails(times: int) -> None:
                requests.post(
                    settings.sandbox_gateway_url + "/_sandbox/fail",
                    json={"mode": 503, "times": times, "path": "/v1/"},
                    timeout=10,
                ).raise_for_status()

            faults = [
                ("kill rasa-1", 0.10, lambda: os.killpg(by_name["rasa-1"].process.pid, signal.SIGKILL)),
                ("kill actions-1", 0.25, lambda: os.killpg(by_name["actions-1"].process.pid, signal.SIGKILL)),
                ("kill web-1", 0.35, lambda: os.killpg(by_name["web-1"].process.pid, signal.SIGKILL)),
                ("restart PostgreSQL", 0.45, pg.restart),
                ("restart Redis", 0.60, redis_server.restart),
                ("Twilio answers 503 for 20 s", 0.70, lambda: twilio_fails(20)),
                ("gateway answers 503 (5 calls)", 0.80, lambda: gateway_fails(5)),
            ]
            happened: Dict[str, float] = {}
            for name, share, act in faults:
                while len(progress) < share * total and any(t.is_alive() for t in threads):
                    time.sleep(0.1)
                happened[name] = time.monotonic()
                act()
            for t in threads:
                t.join(timeout=600)

            print("\nrecovery (longest wait of a message sent before the fault and answered after it):")
            for name, at in happened.items():
                waits = [done - sent for c in citizens for sent, done in c.waits if sent <= at <= done]
                print(f"  {name:32s} {max(waits, default=0):6.1f} s  ({len(waits)} messages in flight)")
            all_waits = sorted(done - sent for c in citizens for sent, done in c.waits)
            if all_waits:
                print(
                    f"  turns: {len(all_waits)}, median wait {all_waits[len(all_waits) // 2]:.2f} s, "
                    f"longest {all_waits[-1]:.1f} s"
                )
            assert [c.error for c in citizens] == [""] * CITIZENS
            total = sum(len(c.sent) for c in citizens)
            print(f"  answers sent again when asked: {sum(c.asked_again for c in citizens)}")
            # Every webhook answered once and in order: the conversations hold each
            # message once, in the order sent, and every inbox row is done.
            with engine.connect() as conn:
                statuses = dict(
                    conn.execute(
                        sa.text("SELECT status, count(*) FROM whatsapp_inbound_messages GROUP BY status")
                    ).all()
                )
            assert statuses == {"done": total}, statuses
            for citizen in citizens:
                events = citizen.phone.tracker()["events"]
                users = [e["message_id"] for e in events if e["event"] == "user"]
                assert len(users) == len(citizen.sent), citizen.phone.number
                assert all(same_sid(stored, sid) for stored, sid in zip(users, citizen.sent)), users
            # Nothing lost: the outbox empties. Replies whose delivery died with its process
            # (SIGKILL, or PostgreSQL gone when it let them go) wait for their lease (5 min,
            # longer than any send with its retries); the lease is run out here instead.
            outbox_pending = "SELECT count(*) FROM whatsapp_outbox WHERE status = 'pending'"
            wait_until_none(engine, outbox_pending, 30)
            with engine.begin() as conn:
                held = conn.execute(
                    sa.text("UPDATE whatsapp_outbox SET lease_until = NULL WHERE status = 'pending'")
                ).rowcount
            print(f"  replies held by a delivery that died: {held} (sent by the outbox job once the lease ran out)")
            assert wait_until_none(engine, outbox_pending, 60) == 0
            with engine.connect() as conn:
                outbox = (
                    conn.execute(sa.text("SELECT message_sid FROM whatsapp_outbox WHERE status = 'sent'"))
                    .scalars()
                    .all()
                )
                applications = conn.execute(
                    sa.text(
                        "SELECT count(*), count(DISTINCT citizen_id), count(reference) FROM applications "
                        "WHERE status NOT IN ('draft', 'withdrawn')"
                    )
                ).one()
                filed = set(
                    conn.execute(
                        sa.text(
                            "SELECT c.channel_user_id FROM applications a JOIN citizens c ON c.id = a.citizen_id "
                            "WHERE a.status NOT IN ('draft', 'withdrawn')"
                        )
                    ).scalars()
                )
            received = [m["sid"] for c in citizens for m in c.phone.received()]
            # Nothing lost: everything the outbox sent reached Twilio.
            assert set(outbox) <= set(received)
            # Sent twice only through the documented gap (whatsapp.md): a process killed, or
            # losing PostgreSQL, after Twilio took a reply and before the outbox says so.
            twice = len(received) - len(set(outbox))
            print(f"  replies Twilio got twice (a sender died between Twilio's answer and the outbox row): {twice}")
            assert twice <= 4
            # No application doubled by a retried turn or webhook, each with its number.
            # Not yet asserted: that every citizen's form completes. In some runs (2 of 7 so
            # far) one or two scripted conversations fall out of step with the script during
            # the faults and end without an application; the conversations are printed below
            # and the cause is open (issue #19).
            print(f"  applications submitted: {applications[0]} of {CITIZENS} citizens")
            for citizen in citizens:
                if citizen.phone.conversation_id() not in filed:
                    print(f"  no application for {citizen.phone.conversation_id()[:10]}…; the last answers:")
                    for message in citizen.phone.received()[-4:]:
                        print("    " + (message.get("body") or "")[:160].replace("\n", " / "))
            assert applications[0] == applications[1] == applications[2] <= CITIZENS, applications
            assert applications[0] > 0, "no citizen's form completed"
            engine.dispose()
            # The portal's stream has every citizen's message once (RabbitMQ, then the consumers).
            stream = create_engine_for(settings.conversation_stream_url)
            # This run's citizens only: Rasa publishes to one fanout exchange ("rasa-exchange")
            # of the shared RabbitMQ, so every queue bound to it also gets the events of other
            # Rasa servers using it at the same time (another test run, a benchmark).
            senders = ", ".join(f"'{c.phone.conversation_id()}'" for c in citizens)
            users_in_stream = f"SELECT count(*) FROM events WHERE type_name = 'user' AND sender_id IN ({senders})"
            deadline = time.monotonic() + 60
            while scalar(stream, users_in_stream) < total and time.monotonic() < deadline:
                time.sleep(0.5)
            in_stream = scalar(stream, users_in_stream)
            stream.dispose()
            # Each once (a redelivery is written once), but for the turns in flight on the
            # Rasa process that was killed: one may be missing (Rasa's broker keeps what it
            # has not yet published in memory; the conversation store has it), or written
            # twice (published, then the process died before the turn was saved, and the
            # recovered turn published it again). docs/operations.md lists both gaps.
            print(f"  portal stream: {in_stream} of {total} messages")
            killed_in_flight = sum(
                1 for c in citizens for sent, done in c.waits if sent <= happened["kill rasa-1"] <= done
            )
            assert total - killed_in_flight <= in_stream <= total + killed_in_flight
        delete_queue(settings.event_broker_url, settings.event_broker_queue)


def scalar(engine, sql: str):
    with engine.connect() as conn:
        return conn.execute(sa.text(sql)).scalar()


def wait_until_none(engine, sql: str, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while (count := scalar(engine, sql)) and time.monotonic() < deadline:
        time.sleep(1)
    return count
