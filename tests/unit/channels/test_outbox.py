"""The outbox: replies written down before they are sent, and sent later by the
periodic job when Twilio could not take them; once, in order, given up for good
on a refusal or after the last attempt."""

import asyncio
import dataclasses
import datetime as dt
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from lokseva.channels.models import WhatsAppOutboxMessage
from lokseva.channels.outbox import Outbox, OutboxSender
from lokseva.channels.scheduled import send_pending, sender_for
from lokseva.channels.service import ChannelStore
from lokseva.channels.twilio_client import TwilioClient
from lokseva.db import create_engine_for
from tests.unit.channels.conftest import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, start_harness

pytestmark = pytest.mark.anyio
PHONE = "+919876543210"


def _job(harness, settings, store=None) -> OutboxSender:
    """The periodic job's sender (lokseva.channels.scheduled), talking to the harness's fake."""
    client = TwilioClient(ACCOUNT_SID, AUTH_TOKEN, harness.fake.base_url, max_attempts=2, backoff_base=0.01)
    return sender_for(dataclasses.replace(settings, public_url=PUBLIC_URL), store or harness.store, client)


def _expire_leases(store: ChannelStore) -> None:
    """As if the lease holders had died long ago."""
    with store.engine.begin() as connection:
        connection.execute(sa.update(WhatsAppOutboxMessage).values(lease_until=dt.datetime(2000, 1, 1)))


def _outbox(store: ChannelStore, phone: str = PHONE):
    return Outbox(store.engine).messages(store.conversation_for(phone))


async def test_twilio_down_longer_than_the_retries_then_the_job_sends_each_reply_once_in_order(harness, settings):
    harness.channel.client.max_attempts = 3
    await harness.fail(status=503, times=6)  # both parts of the answer: every retry refused
    await harness.send(body="long")
    await harness.settle()
    assert harness.outbound() == []
    assert [m["status"] for m in _outbox(harness.store)] == ["pending", "pending"]
    assert _outbox(harness.store)[0]["error_code"] == 20500

    job = _job(harness, settings)
    counts = await send_pending(job)
    assert (counts["sent"], counts["failed"]) == (2, 0)
    parts = [m["body"] for m in harness.outbound()]
    assert len(parts) == 2 and " ".join(parts) == ("यह एक लंबा वाक्य है। " * 150).strip()
    rows = _outbox(harness.store)
    assert [r["status"] for r in rows] == ["sent", "sent"]
    assert [r["message_sid"] for r in rows] == [m["sid"] for m in harness.outbound()]
    # Delivery statuses still reach the record of sent messages.
    assert {r["message_sid"] for r in harness.store.outbound(conversation_id=rows[0]["conversation_id"])} >= {
        r["message_sid"] for r in rows
    }

    assert (await send_pending(job))["sent"] == 0  # nothing is sent twice
    assert len(harness.outbound()) == 2
    await job.client.close()


async def test_a_later_reply_waits_for_the_earlier_ones(harness):
    harness.channel.client.max_attempts = 2
    await harness.fail(status=500, times=2)
    await harness.send(body="पहला")
    await harness.settle()
    assert harness.outbound() == []
    await harness.send(body="दूसरा")  # Twilio is back: the pending reply goes first
    await harness.settle()
    assert [m["body"] for m in harness.outbound()] == ["मिला: पहला", "मिला: दूसरा"]
    assert [m["status"] for m in _outbox(harness.store)] == ["sent", "sent"]


async def test_a_restarted_channel_and_job_send_what_was_pending(settings, store):
    first, stop = await start_harness(settings, store)
    first.channel.client.max_attempts = 2
    await first.fail(status=503, times=2)
    await first.send(body="बंद होने से पहले")
    await first.settle()
    assert first.outbound() == []
    await stop()

    # A process that died while sending: its lease holds the message until it runs out.
    cid = store.conversation_for(PHONE)
    Outbox(store.engine).add(cid, "text", {"body": "दूसरा"}, "a-process-that-died")

    engine = create_engine_for(settings.database_url)
    restarted_store = ChannelStore(engine, settings.signing_key)
    second, stop = await start_harness(settings, restarted_store)
    try:
        job = _job(second, settings, restarted_store)
        counts = await send_pending(job)
        assert counts["sent"] == 1  # the released one; the held one waits (its holder may still send it)
        assert [m["body"] for m in second.outbound()] == ["मिला: बंद होने से पहले"]
        _expire_leases(restarted_store)
        assert (await send_pending(job))["sent"] == 1
        assert [m["body"] for m in second.outbound()] == ["मिला: बंद होने से पहले", "दूसरा"]
        assert [m["status"] for m in _outbox(restarted_store)] == ["sent", "sent"]
        await job.client.close()
    finally:
        await stop()
        engine.dispose()


async def test_a_refusal_is_failed_for_good_and_does_not_block_the_next_reply(harness, settings):
    await harness.fail(status=400, times=1)
    await harness.send(body="गलत")
    await harness.settle()
    [row] = _outbox(harness.store)
    assert (row["status"], row["error_code"], row["attempts"]) == ("failed", 21211, 1)

    job = _job(harness, settings)
    assert (await send_pending(job))["conversations"] == 0
    assert harness.fake.stats["attempts"] == 1
    await harness.send(body="सही")
    await harness.settle()
    assert [m["body"] for m in harness.outbound()] == ["मिला: सही"]
    await job.client.close()


async def test_after_the_last_attempt_a_message_is_failed_and_logged_masked(harness, settings, caplog):
    harness.channel.client.max_attempts = 1
    await harness.fail(status=503, times=3)
    await harness.send(body="कब?")
    await harness.settle()  # attempt 1 (the turn)
    job = _job(harness, settings)
    job.client.max_attempts = 1
    job.max_attempts = 3
    assert (await send_pending(job))["twilio_unavailable"] == 1  # attempt 2
    assert (await send_pending(job))["twilio_unavailable"] == 1  # attempt 3
    caplog.set_level(logging.ERROR, logger="lokseva.channels.outbox")
    counts = await send_pending(job)  # Twilio is back, but the attempts ran out
    assert (counts["sent"], counts["failed"]) == (0, 1)
    assert harness.outbound() == []
    [row] = _outbox(harness.store)
    assert (row["status"], row["error_message"]) == ("failed", "gave up after 3 attempts")
    assert "+91******3210" in caplog.text and "9876543210" not in caplog.text
    await job.client.close()


async def test_two_jobs_seeing_the_same_pending_message_send_it_once(harness, settings):
    cid = harness.store.ensure_contact(PHONE)
    Outbox(harness.store.engine).add(cid, "text", {"body": "एक बार"}, "a-process-that-died")
    _expire_leases(harness.store)
    engine = create_engine_for(settings.database_url)
    other_store = ChannelStore(engine, settings.signing_key)
    jobs = [_job(harness, settings), _job(harness, settings, other_store)]
    try:
        results = await asyncio.gather(*(send_pending(job) for job in jobs))
        assert sorted(r["sent"] for r in results) == [0, 1]
        assert [m["body"] for m in harness.outbound()] == ["एक बार"]
        assert harness.fake.stats["attempts"] == 1
    finally:
        for job in jobs:
            await job.client.close()
        engine.dispose()


def test_a_pending_message_is_claimed_by_exactly_one_of_two_workers(store):
    cid = store.ensure_contact(PHONE)
    outbox = Outbox(store.engine)
    ids = [outbox.add(cid, "text", {"body": str(i)}, "a-process-that-died") for i in range(10)]
    _expire_leases(store)
    won = {"a": [], "b": []}
    start = threading.Barrier(2)

    def worker(name):
        start.wait()
        while any(m["status"] == "pending" for m in outbox.messages(cid)):
            message = outbox.claim_next(cid, name)
            if message is not None:
                won[name].append(message.id)
                outbox.mark_sent(message.id, f"SM{message.id:032x}")

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(worker, ["a", "b"]))
    claimed = won["a"] + won["b"]
    assert sorted(claimed) == ids  # every message, each by one worker only
    assert won["a"] == sorted(won["a"]) and won["b"] == sorted(won["b"])
    # A message held by a live delivery is not claimed by another.
    held = outbox.add(cid, "text", {"body": "held"}, "a")
    assert outbox.claim_next(cid, "b") is None
    assert outbox.claim_next(cid, "a").id == held


async def test_a_turn_with_one_reply_takes_five_database_transactions(harness):
    """The inbox row (recorded, its turn begun, done) and the reply (written and
    claimed in one; sent, its delivery record and the look for a next one in
    another): each transaction is a connection check-out, a ping and a commit."""
    harness.channel.outbox.status_url = None  # no delivery callbacks in the count
    await harness.send(body="पहला")  # the contact is recorded: from here on, every turn alike
    await harness.settle()
    commits = []

    def count(_connection) -> None:
        commits.append(1)

    sa.event.listen(harness.store.engine, "commit", count)
    try:
        await harness.send(body="दूसरा")
        await harness.settle()
    finally:
        sa.event.remove(harness.store.engine, "commit", count)
    assert [m["body"] for m in harness.outbound()] == ["मिला: पहला", "मिला: दूसरा"]
    assert [m["status"] for m in _outbox(harness.store)] == ["sent", "sent"]
    assert len(commits) == 5


def test_a_reply_whose_status_callback_came_first_is_recorded_once_with_its_conversation(store):
    cid = store.ensure_contact(PHONE)
    outbox = Outbox(store.engine)
    message = outbox.add_and_claim(cid, "text", {"body": "जल्दी"}, "me")
    sid = "SM" + "a" * 32
    store.update_status(sid, "delivered")  # Twilio's callback, before the sender recorded its answer
    assert outbox.sent_and_claim_next(message, sid, "queued", "me") is None
    [record] = store.outbound(message_sid=sid)
    assert (record["conversation_id"], record["kind"], record["status"]) == (cid, "text", "delivered")
    assert [(m["status"], m["message_sid"]) for m in outbox.messages(cid)] == [("sent", sid)]


def test_a_reply_behind_one_another_delivery_holds_is_given_back_for_the_job(store):
    cid = store.ensure_contact(PHONE)
    outbox = Outbox(store.engine)
    held = outbox.add(cid, "text", {"body": "पहला"}, "another")
    assert outbox.add_and_claim(cid, "text", {"body": "दूसरा"}, "me") is None  # the order: the first goes first
    rows = outbox.messages(cid)
    assert [(r["id"], r["status"]) for r in rows] == [(held, "pending"), (rows[1]["id"], "pending")]
    with store.engine.connect() as conn:
        owners = conn.execute(sa.select(WhatsAppOutboxMessage.owner).order_by(WhatsAppOutboxMessage.id)).scalars().all()
    assert owners == ["another", None]  # the second is nobody's: the job (or the first's sender) sends it next
    first = outbox.claim_next(cid, "another")
    assert first.id == held
    assert outbox.sent_and_claim_next(first, "SM" + "b" * 32, "queued", "another").params == {"body": "दूसरा"}


async def test_a_reply_twilio_took_while_the_database_was_busy_is_recorded_not_sent_again(harness, monkeypatch):
    outbox = harness.channel.outbox.outbox
    real = outbox.sent_and_claim_next
    refusals = []

    def busy_twice(*args):
        if len(refusals) < 2:
            refusals.append(1)
            raise sa.exc.OperationalError("UPDATE", {}, Exception("database is locked"))
        return real(*args)

    monkeypatch.setattr(outbox, "sent_and_claim_next", busy_twice)
    await harness.send(body="एक बार")
    await harness.settle()
    assert refusals == [1, 1]
    assert [m["body"] for m in harness.outbound()] == ["मिला: एक बार"]  # the turn was not run again
    assert len(harness.bot.received) == 1
    assert [m["status"] for m in _outbox(harness.store)] == ["sent"]
