"""A citizen's messages are answered in order and once, whichever of several Rasa
processes (channels sharing one database) received each webhook."""

import asyncio
import datetime as dt
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from lokseva.channels.models import WhatsAppInboundMessage
from lokseva.channels.service import ChannelStore
from lokseva.db import create_engine_for
from tests.unit.channels.conftest import ScriptedBot, start_harness

pytestmark = pytest.mark.anyio
PHONE = "+919800000042"


@pytest.fixture
async def two_processes(settings, store):
    """Two channels on one database and one fake Twilio, as two replicas behind a load balancer."""
    first, stop_first = await start_harness(settings, store)
    other_store = ChannelStore(create_engine_for(settings.database_url), settings.signing_key)
    second, stop_second = await start_harness(settings, other_store, fake=first.fake)
    yield first, second
    await stop_second()
    await stop_first()
    other_store.engine.dispose()


async def test_a_later_message_on_another_process_waits_for_the_earlier_answer(two_processes):
    first, second = two_processes
    first.bot.gates["पहला"] = asyncio.Event()  # the first process is slow with message 1
    await first.send(PHONE, body="पहला")
    await second.send(PHONE, body="दूसरा")
    await asyncio.sleep(0.5)
    assert first.outbound(PHONE) == []  # message 2 did not overtake message 1
    first.bot.gates["पहला"].set()
    replies = await first.wait_for_outbound(2, PHONE)
    assert [m["body"] for m in replies] == ["मिला: पहला", "मिला: दूसरा"]
    await first.settle(), await second.settle()
    assert len(first.outbound(PHONE)) == 2


async def test_an_earlier_message_of_a_dead_process_is_answered_first_by_the_next_one(settings, store):
    h, stop = await start_harness(settings, store)
    h.channel._sweeper.cancel()  # no sweep: the next message itself recovers the earlier one
    try:
        lost = h.params(PHONE, body="खोया")
        assert store.record_inbound(lost["MessageSid"], PHONE, lost, owner="dead-process")
        await h.send(PHONE, body="अगला")
        await asyncio.sleep(0.3)
        assert h.outbound(PHONE) == []  # the dead process's lease still runs: it may be alive
        with store.engine.begin() as conn:
            conn.execute(
                sa.update(WhatsAppInboundMessage)
                .where(WhatsAppInboundMessage.owner == "dead-process")
                .values(lease_until=dt.datetime(2000, 1, 1))
            )
        replies = await h.wait_for_outbound(2, PHONE)
        assert [m["body"] for m in replies] == ["मिला: खोया", "मिला: अगला"]
        await h.settle()
        assert store.inbound_status(lost["MessageSid"]) == "done"
        assert await h.channel.sweep() == 0  # nothing left to recover, nothing answered twice
        assert len(h.outbound(PHONE)) == 2
    finally:
        await stop()


async def test_a_recovered_message_already_in_the_conversation_is_not_answered_again(settings, store):
    """The process ran the turn to the end (tracker saved) and died before marking it done."""
    h, stop = await start_harness(settings, store, bot=ScriptedBot())
    h.channel._sweeper.cancel()
    try:
        tracker_store = InMemoryTrackerStore(Domain.empty())
        h.channel._app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=tracker_store)))
        answered, fresh = h.params(PHONE, body="हो गया"), h.params(PHONE, body="नया")
        cid = store.conversation_for(PHONE)
        for params in (answered, fresh):
            store.record_inbound(params["MessageSid"], PHONE, params, owner="dead-process")
            store.begin_turn(params["MessageSid"], cid, "dead-process") if params is answered else None
        # The tracker store masks 12+ digit runs (privacy): the id is stored masked.
        masked = "".join("X" if c.isdigit() else c for c in answered["MessageSid"])
        tracker = DialogueStateTracker(cid, [])
        tracker.update(UserUttered("हो गया", message_id=masked))
        await tracker_store.save(tracker)
        with store.engine.begin() as conn:
            conn.execute(sa.update(WhatsAppInboundMessage).values(lease_until=dt.datetime(2000, 1, 1)))
        assert await h.channel.sweep() == 2
        await h.settle()
        assert [m["body"] for m in await h.wait_for_outbound(1, PHONE)] == ["मिला: नया"]
        assert [m.text for m in h.bot.received] == ["नया"]
        assert store.inbound_status(answered["MessageSid"]) == "done"
    finally:
        await stop()


class DatabaseRestartingBot(ScriptedBot):
    """The conversation store goes away during the first attempt at each message."""

    def __init__(self):
        super().__init__()
        self.failed = set()

    async def __call__(self, message) -> None:
        if message.message_id not in self.failed:
            self.failed.add(message.message_id)
            raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
        await super().__call__(message)


async def test_a_turn_interrupted_by_a_database_restart_is_answered_once_when_it_is_back(settings, store):
    h, stop = await start_harness(settings, store, bot=DatabaseRestartingBot())
    try:
        sent = [await h.send(PHONE, body=text) for text in ("एक", "दो")]
        replies = await h.wait_for_outbound(2, PHONE)
        await h.settle()
        assert [m["body"] for m in replies] == ["मिला: एक", "मिला: दो"]
        assert [store.inbound_status(p["MessageSid"]) for p in sent] == ["done", "done"]
        assert len(h.outbound(PHONE)) == 2
    finally:
        await stop()


class RestartingConversationStore(InMemoryTrackerStore):
    """The conversation store's database restarts during the first turn."""

    def __init__(self):
        super().__init__(Domain.empty())
        self.attempts = 0

    async def retrieve(self, sender_id):
        self.attempts += 1
        if self.attempts == 1:
            raise sa.exc.OperationalError("SELECT", {}, Exception("server closed the connection unexpectedly"))
        return await super().retrieve(sender_id)


async def test_a_conversation_store_error_is_not_answered_from_an_empty_conversation(settings, store):
    """Rasa's FailSafeTrackerStore would carry on with an empty, in-memory conversation."""
    from rasa.core.tracker_store import FailSafeTrackerStore

    conversations = RestartingConversationStore()
    agent = SimpleNamespace(tracker_store=FailSafeTrackerStore(conversations))

    class RasaLikeBot(ScriptedBot):
        async def __call__(self, message) -> None:
            tracker = await agent.tracker_store.retrieve(message.sender_id)
            self.answered_from = "stored" if tracker is not None or conversations.attempts > 1 else "empty"
            await super().__call__(message)

    h, stop = await start_harness(settings, store, bot=RasaLikeBot())
    h.channel._app = SimpleNamespace(ctx=SimpleNamespace(agent=agent))
    try:
        await h.send(PHONE, body="आगे")
        replies = await h.wait_for_outbound(1, PHONE)
        await h.settle()
        assert [m["body"] for m in replies] == ["मिला: आगे"]
        # the failed one, the channel asking whether the turn was answered before, the turn
        assert conversations.attempts == 3 and h.bot.answered_from == "stored"
    finally:
        await stop()
