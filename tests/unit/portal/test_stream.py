"""The conversation stream: Rasa's event broker publishes to the real RabbitMQ
(127.0.0.1:5672), the consumer writes the compact table, the portal reads it."""

import asyncio
import os
import uuid

import pytest
from rasa.utils.endpoints import EndpointConfig

from lokseva.db import create_engine_for
from lokseva.portal import conversations
from lokseva.portal.stream import STREAM_EVENTS, OptionalPikaEventBroker, compact, consume, delete_queue, write

BROKER_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")
SENDER = "wa-" + "a" * 32


def user_event(text: str, at: float) -> dict:
    return {
        "sender_id": SENDER,
        "event": "user",
        "timestamp": at,
        "text": text,
        "message_id": "SM" + "1" * 32,
        "input_channel": "whatsapp",
        "metadata": {"whatsapp": {"message_sid": "SM" + "1" * 32}},
        "parse_data": {
            "text": text,
            "intent": {"name": "greet", "confidence": 0.97},
            "entities": [{"entity": "service", "value": "income", "start": 0, "end": 3, "extractor": "x"}],
            "intent_ranking": [{"name": "greet", "confidence": 0.97}] * 10,
            "response_selector": {"big": "x" * 1000},
        },
    }


def test_only_what_the_portal_reads_is_kept():
    row = compact(user_event("नमस्ते", 1.0))
    assert row["type_name"] == "user" and row["intent_name"] == "greet"
    assert "response_selector" not in row["data"] and "extractor" not in row["data"]
    assert compact({"sender_id": SENDER, "event": "user_featurization", "timestamp": 2.0}) is None
    assert compact({"event": "bot", "text": "x"}) is None  # no conversation


def test_a_redelivered_event_is_written_once(tmp_path):
    engine = create_engine_for(f"sqlite:///{tmp_path / 'stream.db'}")
    STREAM_EVENTS.metadata.create_all(engine)
    rows = [
        compact(user_event("नमस्ते", 1.0)),
        compact({"sender_id": SENDER, "event": "bot", "timestamp": 1.1, "text": "नमस्ते 🙏", "data": {"buttons": []}}),
    ]
    assert write(engine, rows) == 2
    assert write(engine, rows) == 0
    engine.dispose()


@pytest.mark.postgres
def test_rasa_events_reach_the_portal_through_rabbitmq(postgres_database_factory):
    engine = create_engine_for(postgres_database_factory())
    queue = f"lokseva_test_{uuid.uuid4().hex[:8]}"

    async def run():
        stop = asyncio.Event()
        consumer = asyncio.create_task(consume(BROKER_URL, engine, queue, stop=stop, idle_flush=0.1))
        await asyncio.sleep(1.0)  # the consumer's queue is bound before Rasa publishes
        broker = await OptionalPikaEventBroker.from_endpoint_config(EndpointConfig(url=BROKER_URL, queue=queue))
        assert await OptionalPikaEventBroker.from_endpoint_config(EndpointConfig(url="")) is None
        broker.publish(user_event("नमस्ते", 100.0))
        broker.publish(
            {
                "sender_id": SENDER,
                "event": "bot",
                "timestamp": 100.5,
                "text": "नमस्ते 🙏 मैं",
                "data": {"buttons": [{"title": "आवेदन", "payload": "/apply"}]},
            }
        )
        for _ in range(100):
            with engine.connect() as conn:
                if conn.execute(STREAM_EVENTS.select()).all().__len__() == 2:
                    break
            await asyncio.sleep(0.1)
        await broker.close()
        stop.set()
        await consumer

    asyncio.run(run())
    delete_queue(BROKER_URL, queue)
    turns = conversations.transcript(engine, SENDER, threshold=0.7)
    assert [(t.kind, t.text) for t in turns] == [("user", "नमस्ते"), ("bot", "नमस्ते 🙏 मैं")]
    assert turns[0].intent == "greet" and turns[1].buttons == ["आवेदन"]
    engine.dispose()


def test_the_consumer_waits_out_a_database_restart_and_loses_nothing(tmp_path, monkeypatch):
    """A batch that cannot be written (PostgreSQL restarting) stays unacknowledged
    and is written once the database is back; the consumer keeps going."""
    import sqlalchemy as sa

    from lokseva.portal import stream

    engine = create_engine_for(f"sqlite:///{tmp_path / 'stream.db'}")
    queue = f"lokseva_test_{uuid.uuid4().hex[:8]}"
    failures = []
    real_write = stream.write

    def write_after_a_restart(engine, rows):
        if len(failures) < 2:
            failures.append(len(rows))
            raise sa.exc.OperationalError("INSERT", {}, Exception("the database system is starting up"))
        return real_write(engine, rows)

    monkeypatch.setattr(stream, "write", write_after_a_restart)

    def ours():  # the queue is bound to Rasa's fanout exchange: other runs' events come too
        with engine.connect() as conn:
            return (
                conn.execute(sa.select(STREAM_EVENTS.c.data).where(STREAM_EVENTS.c.sender_id == SENDER)).scalars().all()
            )

    async def run():
        stop = asyncio.Event()
        consumer = asyncio.create_task(consume(BROKER_URL, engine, queue, stop=stop, idle_flush=0.1))
        await asyncio.sleep(1.0)
        broker = await OptionalPikaEventBroker.from_endpoint_config(EndpointConfig(url=BROKER_URL, queue=queue))
        broker.publish(user_event("पहला", 200.0))
        await asyncio.sleep(0.3)  # the first batch meets the restart
        broker.publish(user_event("दूसरा", 201.0))
        for _ in range(100):
            if len(ours()) == 2:
                break
            await asyncio.sleep(0.1)
        assert not consumer.done()  # still consuming
        await broker.close()
        stop.set()
        await consumer

    try:
        asyncio.run(run())
    finally:
        delete_queue(BROKER_URL, queue)
    texts = ours()
    engine.dispose()
    assert failures == [1, 1]  # the first batch, tried again while the database was away
    assert len(texts) == 2 and any("पहला" in t for t in texts) and any("दूसरा" in t for t in texts)
