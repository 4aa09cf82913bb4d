"""The channel's sender of the notification outbox, against a real database and a
local stand-in for Rasa's HTTP API (POST /conversations/{id}/trigger_intent, as
documented; the integration tests use the real Rasa server): in order per
citizen, a citizen without a WhatsApp number done at once, a wrong message
failed for staff, Rasa down retried later and the run stopped."""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List

import pytest
import sqlalchemy as sa

from lokseva.applications.models import Citizen
from lokseva.channels.proactive import UNDELIVERABLE, Sender
from lokseva.db import create_engine_for, session_scope, upgrade_database
from lokseva.notifications import outbox
from lokseva.notifications.models import Notification
from lokseva.settings import load_settings


class FakeRasa:
    """Answers trigger_intent like Rasa (200 and the tracker), or fails on demand."""

    def __init__(self):
        self.calls: List[dict] = []
        self.status = 200
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if fake.status == 200:
                    fake.calls.append({"path": self.path.split("?")[0], **body})
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"tracker": {"events": []}}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def keys(self) -> List[str]:
        return [json.loads(c["entities"]["notification"])["key"] for c in self.calls]


@pytest.fixture
def rasa():
    fake = FakeRasa()
    yield fake
    fake.server.shutdown()


@pytest.fixture
def sender(tmp_path, rasa):
    settings = load_settings(
        {
            **os.environ,
            "LOKSEVA_ENV": "test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'n.db'}",
            "SIGNING_KEY": "unit-test-signing-key",
            "RASA_URL": rasa.url,
        }
    )
    upgrade_database(settings.database_url)
    engine = create_engine_for(settings.database_url)
    yield Sender(settings, engine)
    engine.dispose()


def citizen(engine, name, phone=None) -> int:
    with session_scope(engine) as s:
        row = Citizen(channel_user_id=name, whatsapp_number=phone, language="hi")
        s.add(row)
        s.flush()
        return row.id


def write(engine, citizen_id, key="status_changed", **variables) -> int:
    variables = variables or {"application_id": "JBA-2026-000001", "status": key}
    with session_scope(engine) as s:
        return outbox.enqueue(s, citizen_id, key, variables, "hi")


def row(engine, notification_id) -> Notification:
    with session_scope(engine) as s:
        return s.get(Notification, notification_id)


def test_notifications_go_in_order_and_each_once(sender, rasa):
    engine = sender.engine
    who = citizen(engine, "wa-1", "+919800000001")
    first = write(engine, who, "status_changed")
    second = write(engine, who, "payment_received", application_id="JBA-2026-000001", amount="30")
    counts = sender.deliver_due()
    assert (counts["sent"], counts["rasa_unavailable"]) == (2, 0)
    assert rasa.keys() == ["status_changed", "payment_received"]
    assert all(c["name"] == "EXTERNAL_notification" and c["path"].endswith("/trigger_intent") for c in rasa.calls)
    assert row(engine, first).status == row(engine, second).status == "sent"
    assert sender.deliver_due()["sent"] == 0 and len(rasa.calls) == 2, "never twice"


def test_no_whatsapp_number_is_done_and_a_wrong_message_fails_for_staff(sender, rasa):
    engine = sender.engine
    rest = write(engine, citizen(engine, "rest-1"))
    who = citizen(engine, "wa-2", "+919800000002")
    wrong = write(engine, who, "no_such_message", application_id="x")
    after = write(engine, who)
    sender.deliver_due()
    assert (row(engine, rest).status, row(engine, rest).last_error) == ("sent", UNDELIVERABLE)
    assert row(engine, wrong).status == "failed" and "refused" in row(engine, wrong).last_error
    assert row(engine, after).status == "sent", "a failed one does not hold back the next"
    assert rasa.keys() == ["status_changed"]


def test_rasa_down_is_tried_again_later_and_stops_the_run(sender, rasa):
    engine = sender.engine
    one, two = citizen(engine, "wa-3", "+919800000003"), citizen(engine, "wa-4", "+919800000004")
    first, later, other = write(engine, one), write(engine, one), write(engine, two)
    rest = write(engine, citizen(engine, "rest-2"))
    rasa.status = 503
    counts = sender.deliver_due()
    assert (counts["sent"], counts["rasa_unavailable"]) == (0, 1)
    assert row(engine, rest).status == "sent", "what needs no Rasa is still done"
    failed = row(engine, first)
    assert failed.status == "pending" and failed.attempts == 1 and "503" in failed.last_error
    assert failed.not_before is not None
    assert row(engine, other).attempts == 0, "after the first citizen Rasa could not take, no other is tried"
    sender.deliver_due()  # the next run: the first waits for its next try; the other citizen's is tried
    assert (row(engine, first).attempts, row(engine, other).attempts) == (1, 1) and rasa.calls == []
    rasa.status = 200
    with engine.begin() as conn:
        conn.execute(sa.update(Notification).values(not_before=None))
    assert sender.deliver_due()["sent"] == 3
    assert [row(engine, n).status for n in (first, later, other)] == ["sent"] * 3
