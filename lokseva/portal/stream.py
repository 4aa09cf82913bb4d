"""The conversations as a stream: Rasa's events through RabbitMQ into a compact table
that the portal's conversation review and analytics read, instead of scanning the
conversation store of every Rasa replica's turns.

    Rasa (event_broker in endpoints.yml) ─► RabbitMQ exchange "rasa-exchange" ─► queue
        ─► python -m lokseva.portal.stream ─► `events` table in CONVERSATION_STREAM_URL

The table has the columns of Rasa's own `events` table (lokseva.portal.conversations
reads either, unchanged), but only the events a reader of a conversation sees (user,
bot, action, slot, session start) and, of each, only what the portal shows. The
events are the conversation store's, Aadhaar numbers already masked
(lokseva.privacy.tracker_store streams what it stores).

At least once: a message is acknowledged after its row is committed, and a row is
keyed by a hash of the event, so a redelivered event is written once.
Several consumers may run (RabbitMQ shares the queue among them).

With EVENT_BROKER_URL empty (make run, most tests) Rasa publishes nothing and the
portal reads the conversation store.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import sys
from typing import Any, Dict, List, Optional
from urllib.parse import unquote, urlparse

import rasa.shared.core.events  # noqa: F401 (Rasa's PikaEventBroker uses it without importing it)
import sqlalchemy as sa
from rasa.core.brokers.pika import PikaEventBroker

from lokseva.db import create_engine_for
from lokseva.settings import get_settings

logger = logging.getLogger(__name__)

QUEUE = "lokseva_conversation_events"  # EVENT_BROKER_QUEUE's default
EXCHANGE = "rasa-exchange"  # Rasa's PikaEventBroker's fanout exchange
SHOWN_TYPES = ("user", "bot", "action", "slot", "session_started")
BATCH = 200

_metadata = sa.MetaData()
STREAM_EVENTS = sa.Table(
    "events",  # the name and columns of Rasa's table: the portal's queries read both
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float, index=True),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
    sa.Column("event_key", sa.String(64), nullable=False, unique=True),  # a redelivery is written once
)


class OptionalPikaEventBroker(PikaEventBroker):
    """Rasa's RabbitMQ broker, configured from one URL (amqp://user:password@host:port/vhost);
    none at all when the URL is empty."""

    @classmethod
    async def from_endpoint_config(cls, broker_config, event_loop=None) -> Optional["OptionalPikaEventBroker"]:
        if broker_config is None or not broker_config.url:
            return None
        url = urlparse(broker_config.url)
        broker = cls(
            broker_config.url,
            username=unquote(url.username or "guest"),
            password=unquote(url.password or "guest"),
            port=url.port or 5672,
            queues=[broker_config.kwargs.get("queue") or QUEUE],
            event_loop=event_loop,
        )
        await broker.connect()
        return broker


def compact(event: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The row for one of Rasa's events, or None for events nobody reads."""
    kind = event.get("event")
    sender = event.get("sender_id")
    if kind not in SHOWN_TYPES or not sender:
        return None
    data: Dict[str, Any] = {"event": kind, "timestamp": event.get("timestamp")}
    intent_name = action_name = None
    if kind == "user":
        parse = event.get("parse_data") or {}
        intent = parse.get("intent") or {}
        intent_name = intent.get("name")
        data.update(
            text=event.get("text"),
            message_id=event.get("message_id"),
            parse_data={
                "intent": {"name": intent_name, "confidence": intent.get("confidence")},
                "intent_ranking": (parse.get("intent_ranking") or [])[:3],
                "entities": [
                    {"entity": e.get("entity"), "value": e.get("value")}
                    for e in parse.get("entities") or []
                    if isinstance(e, dict)
                ],
            },
        )
    elif kind == "bot":
        buttons = (event.get("data") or {}).get("buttons") or []
        data.update(
            text=event.get("text"),
            data={"buttons": [{"title": b.get("title")} for b in buttons if isinstance(b, dict)]},
        )
    elif kind == "action":
        action_name = event.get("name")
        data["name"] = action_name
    elif kind == "slot":
        data.update(name=event.get("name"), value=event.get("value"))
    key = hashlib.sha256(json.dumps(event, sort_keys=True, default=str).encode()).hexdigest()
    return {
        "sender_id": str(sender)[:255],
        "type_name": kind,
        "timestamp": event.get("timestamp"),
        "intent_name": intent_name,
        "action_name": action_name,
        "data": json.dumps(data, ensure_ascii=False),
        "event_key": key,
    }


def write(engine: sa.engine.Engine, rows: List[Dict[str, Any]]) -> int:
    """Writes the rows not written before (a redelivery); returns how many were new."""
    if not rows:
        return 0
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert

            return conn.execute(insert(STREAM_EVENTS).on_conflict_do_nothing(), rows).rowcount
        new = 0
        for row in rows:
            new += conn.execute(STREAM_EVENTS.insert().prefix_with("OR IGNORE"), row).rowcount
        return new


async def consume(
    broker_url: str,
    engine: sa.engine.Engine,
    queue_name: str = QUEUE,
    stop: Optional[asyncio.Event] = None,
    idle_flush: float = 0.5,
) -> None:
    """Copies the queue into the table, in batches, until `stop` is set."""
    import aio_pika

    try:
        _metadata.create_all(engine)
    except sa.exc.DBAPIError:  # another consumer starting at the same moment created it first
        _metadata.create_all(engine)
    connection = await aio_pika.connect_robust(broker_url)
    stop = stop or asyncio.Event()
    try:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=BATCH)
        exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.FANOUT)
        queue = await channel.declare_queue(queue_name, durable=True)
        await queue.bind(exchange, "")
        pending: List[Any] = []

        async def flush() -> None:
            rows = [row for row in (compact(_json(m.body)) for m in pending) if row]
            delay = 0.5
            while True:
                try:
                    await asyncio.to_thread(write, engine, rows)
                    break
                except sa.exc.DBAPIError as error:
                    # The database restarting: the batch stays unacknowledged and is
                    # written once it is back (a consumer that gave up would leave the
                    # queue to grow until someone restarted it).
                    if not _database_unavailable(error) or stop.is_set():
                        raise
                    logger.warning(
                        "conversation stream: database unavailable (%s); again in %.1f s", type(error).__name__, delay
                    )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
            await pending[-1].ack(multiple=True)
            pending.clear()

        received: "asyncio.Queue[Any]" = asyncio.Queue()
        tag = await queue.consume(received.put)
        while not stop.is_set():
            try:
                pending.append(await asyncio.wait_for(received.get(), timeout=idle_flush))
                if len(pending) < BATCH:
                    continue
            except asyncio.TimeoutError:
                if not pending:
                    continue
            await flush()
        await queue.cancel(tag)
        if pending:
            await flush()
    finally:
        await connection.close()


def _database_unavailable(error: sa.exc.DBAPIError) -> bool:
    return isinstance(error, (sa.exc.OperationalError, sa.exc.InterfaceError)) or bool(error.connection_invalidated)


def delete_queue(broker_url: str, queue_name: str) -> None:
    """Deletes a queue with what it still holds (a test's or a benchmark's own)."""
    import aio_pika

    async def run() -> None:
        connection = await aio_pika.connect_robust(broker_url)
        async with connection:
            await (await connection.channel()).queue_delete(queue_name)

    asyncio.run(run())


def _json(body: bytes) -> Dict[str, Any]:
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Rasa's events from RabbitMQ into the conversation stream table")
    parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = get_settings()
    if not settings.event_broker_url or not settings.conversation_stream_url:
        print("EVENT_BROKER_URL and CONVERSATION_STREAM_URL must be set", file=sys.stderr)
        return 2
    engine = create_engine_for(settings.conversation_stream_url)
    stop = asyncio.Event()

    async def run() -> None:
        import signal

        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        await consume(settings.event_broker_url, engine, settings.event_broker_queue, stop=stop)

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
