"""The conversation store never holds a clear Aadhaar number."""

import asyncio

import pytest
import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from lokseva.privacy.tracker_store import RedactingSQLTrackerStore
from tests.unit.applications.conftest import valid_aadhaar

AADHAAR = valid_aadhaar()
SPACED = f"{AADHAAR[:4]} {AADHAAR[4:8]} {AADHAAR[8:]}"


def conversation(sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, slots=[])
    text = f"mera aadhar {SPACED} hai"
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(
        UserUttered(
            text,
            intent={"name": "inform", "confidence": 0.9},
            entities=[{"entity": "aadhaar_number", "value": AADHAAR, "start": 12, "end": 26}],
            parse_data={
                "text": text,
                "intent": {"name": "inform", "confidence": 0.9},
                "entities": [{"entity": "aadhaar_number", "value": AADHAAR, "start": 12, "end": 26}],
            },
        )
    )
    tracker.update(SlotSet("aadhaar", SPACED))  # what Rasa's from_text extraction writes
    tracker.update(SlotSet("aadhaar", "XXXX XXXX 0124"))  # what validation writes
    tracker.update(BotUttered(f"echo {AADHAAR}"))
    return tracker


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path, postgres_database_factory):
    return f"sqlite:///{tmp_path / 'tracker.db'}" if request.param == "sqlite" else postgres_database_factory()


def test_no_clear_aadhaar_reaches_the_events_table(store_url):
    store = RedactingSQLTrackerStore(domain=Domain.empty(), host=store_url)
    asyncio.run(store.save(conversation("citizen-1")))
    engine = sa.create_engine(store_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT type_name, intent_name, data FROM events")).all()
    engine.dispose()
    stored = " ".join(str(tuple(r)) for r in rows)
    assert len(rows) == 5
    assert AADHAAR not in stored and SPACED not in stored and AADHAAR[:8] not in stored
    assert "XXXX XXXX 0124" in stored and "inform" in stored

    tracker = asyncio.run(store.retrieve("citizen-1"))
    assert tracker.latest_message.text == "mera aadhar XXXX XXXX 0124 hai"
    assert tracker.latest_message.entities[0]["value"] == "XXXXXXXX0124"
    assert tracker.get_slot("aadhaar") is None or AADHAAR not in str(tracker.get_slot("aadhaar"))


def test_saving_again_adds_only_new_events_still_redacted(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = RedactingSQLTrackerStore(domain=Domain.empty(), host=url)
    tracker = conversation("c2")
    asyncio.run(store.save(tracker))
    tracker.update(UserUttered(f"dobara {AADHAAR}", intent={"name": "inform", "confidence": 1.0}))
    asyncio.run(store.save(tracker))
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        data = [r[0] for r in conn.execute(sa.text("SELECT data FROM events ORDER BY id"))]
    engine.dispose()
    assert len(data) == 6 and all(AADHAAR not in d for d in data)


@pytest.mark.parametrize(
    "typed",
    [
        f"{AADHAAR[:4]} – {AADHAAR[4:8]} – {AADHAAR[8:]}",  # autocorrect's en dashes
        f"{AADHAAR[:4]}/{AADHAAR[4:8]}/{AADHAAR[8:]}",
        f"{AADHAAR[:4]}\n{AADHAAR[4:8]}\n{AADHAAR[8:]}",
        f"{AADHAAR[:4]}, {AADHAAR[4:8]}, {AADHAAR[8:]}",
        AADHAAR.translate(str.maketrans("0123456789", "०१२३४५६७८९")),
    ],
)
def test_the_from_text_slot_and_the_text_are_masked_in_any_spelling(tmp_path, typed):
    import json

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = RedactingSQLTrackerStore(domain=Domain.empty(), host=url)
    tracker = DialogueStateTracker("c3", slots=[])
    tracker.update(UserUttered(f"aadhar {typed}", intent={"name": "inform", "confidence": 0.9}))
    tracker.update(SlotSet("aadhaar", typed))  # Rasa's from_text mapping copies the raw text
    asyncio.run(store.save(tracker))
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        data = [json.loads(d) for d in conn.execute(sa.text("SELECT data FROM events")).scalars()]
    engine.dispose()
    from lokseva.text import digits

    assert [digits(d.get("text") or d.get("value") or "") for d in data] == ["0124", "0124"]


class RecordingBroker(EventBroker):
    def __init__(self):
        self.published = []

    def publish(self, event):
        self.published.append(event)


def test_the_event_broker_gets_each_new_event_once_redacted_without_loading_the_conversation_again(tmp_path):
    broker = RecordingBroker()
    store = RedactingSQLTrackerStore(
        domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.db'}", event_broker=broker
    )

    async def no_retrieve(sender_id):  # saving finds the new events by counting the stored ones
        raise AssertionError(f"the conversation {sender_id} was loaded again to save it")

    store.retrieve = no_retrieve
    tracker = conversation("c3")
    asyncio.run(store.save(tracker))
    tracker.update(UserUttered(f"dobara {AADHAAR}", intent={"name": "inform", "confidence": 1.0}))
    asyncio.run(store.save(tracker))
    assert [e["event"] for e in broker.published] == ["action", "user", "slot", "slot", "bot", "user"]
    assert {e["sender_id"] for e in broker.published} == {"c3"}
    assert broker.published[-1]["text"] == "dobara XXXXXXXX0124"
    assert AADHAAR not in str(broker.published) and SPACED not in str(broker.published)
