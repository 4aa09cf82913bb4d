"""DPDP through the real Rasa server and action server: the notice, "mera data
delete karo", and the retention job on the real (PostgreSQL) conversation store."""

import uuid

import pytest
import sqlalchemy as sa

from lokseva.data_rights import retention

pytestmark = pytest.mark.integration


def texts(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def test_notice_then_erasure_then_the_job_deletes_the_conversation(assistant):
    sender = f"erase-{uuid.uuid4().hex[:8]}"
    first = texts(assistant.say("aay praman patra banwana hai", sender=sender))
    assert "🔒" in first and "डेटा संरक्षण बोर्ड" in first, "the notice before the first personal question"
    assistant.say("stop", sender=sender)
    assistant.say("haan", sender=sender)
    erased = texts(assistant.say("mera data delete karo", sender=sender))
    assert "मिटा" in erased and "एक दिन" in erased
    engine = sa.create_engine(assistant.settings.tracker_store_url)
    try:

        def stored():
            with engine.connect() as conn:
                return conn.execute(
                    sa.text("SELECT intent_name, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
                ).all()

        assert "apply_service" in [intent for intent, _ in stored()]
        counts = retention.run_retention(assistant.settings)
        assert counts["erased_events"] > 0
        left = stored()
        assert "apply_service" not in [intent for intent, _ in left], "the application's turns are gone"
        assert "data_erasure_requested_at" in str(left), "the request itself (and the reply) stay"
        assert retention.run_retention(assistant.settings)["erased_events"] == 0, "safe to run twice"
    finally:
        engine.dispose()
