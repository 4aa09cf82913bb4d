"""The notification outbox through the real Rasa server, action server and fake
Twilio: a certificate issued while Rasa is stopped reaches the citizen once
Rasa is back, once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lokseva.certificates.service import issue_certificate
from lokseva.channels.proactive import deliver_now
from lokseva.channels.scheduled import run_job
from lokseva.db import create_engine_for
from lokseva.devtools import processes
from tests.integration.certificates.conftest import approved_application
from tests.integration.whatsapp_support import Phone

pytestmark = pytest.mark.integration


def _notification(engine, notification_id):
    with engine.connect() as conn:
        return (
            conn.execute(sa.text("SELECT * FROM notifications WHERE id = :i"), {"i": notification_id}).mappings().one()
        )


def _wait_over(engine, notification_id):
    """The time before the next try has passed."""
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE notifications SET not_before = NULL WHERE id = :i"), {"i": notification_id})


def test_a_certificate_issued_while_rasa_is_stopped_arrives_once_rasa_is_back(assistant):
    phone = Phone(assistant)
    phone.chat("नमस्ते")  # inside WhatsApp's 24-hour window
    engine = create_engine_for(assistant.settings.database_url)
    index = next(i for i, r in enumerate(assistant.running) if r.service.name == "rasa")
    rasa = assistant.running[index]
    try:
        reference = approved_application(
            "income_certificate", phone.conversation_id(), engine=engine, whatsapp_number=phone.number
        )["reference"]
        before = len(phone.received())
        rasa.stop()
        try:
            issued = issue_certificate(reference, "staff:1", engine=engine, settings=assistant.settings)
            # The portal's try right after the commit, then the outbox job's: Rasa is down.
            assert not deliver_now(issued.citizen_id, issued.notification_id, assistant.settings)
            assert _notification(engine, issued.notification_id)["not_before"] is not None, "a wait before the next try"
            _wait_over(engine, issued.notification_id)
            counts = run_job(assistant.settings)["notifications"]
            assert counts["rasa_unavailable"] == 1 and counts["sent"] == 0
            row = _notification(engine, issued.notification_id)
            assert row["status"] == "pending" and row["attempts"] == 2
            assert "unreachable" in row["last_error"] and row["not_before"] is not None
        finally:
            restarted = processes.start(rasa.service, assistant.env, rasa.log_path.parent)
            assistant.running[index] = restarted
            restarted.wait_ready()
        assert len(phone.received()) == before, "nothing went out while Rasa was down"

        _wait_over(engine, issued.notification_id)
        assert run_job(assistant.settings)["notifications"]["sent"] == 1
        text, document = phone.wait_for(before + 2)[before : before + 2]
        assert text["body"].startswith("🎉 आय प्रमाण पत्र तैयार है।") and reference in text["body"]
        [url] = document["media_urls"]
        assert url.startswith(assistant.settings.public_url + "/media/")
        assert _notification(engine, issued.notification_id)["status"] == "sent"

        # Once: another run (and the stack's own periodic job) sends nothing more.
        assert run_job(assistant.settings)["notifications"]["sent"] == 0
        assert len(phone.received()) == before + 2
    finally:
        engine.dispose()
