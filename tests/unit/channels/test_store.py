"""The channel's records on SQLite and PostgreSQL: one winner per MessageSid
across processes, leases, delivery statuses, the 24-hour window."""

import datetime as dt
import threading

import pytest

from lokseva.channels.service import ChannelStore, utcnow
from lokseva.db import create_engine_for, upgrade_database

PHONE = "+919876543210"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        url = request.getfixturevalue("postgres_database_factory")()
    upgrade_database(url)
    return url


def _stores(url, n):
    """n stores with their own engines (connection pools), like n processes."""
    return [ChannelStore(create_engine_for(url), "key") for _ in range(n)]


def test_concurrent_deliveries_of_one_message_have_exactly_one_winner(database_url):
    stores = _stores(database_url, 4)
    results, barrier = [], threading.Barrier(8)

    def deliver(store):
        barrier.wait()
        results.append(store.record_inbound("SM" + "a" * 32, PHONE, {"Body": "x"}, owner="p"))

    threads = [threading.Thread(target=deliver, args=(stores[i % 4],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]
    for store in stores:
        store.engine.dispose()


def test_abandoned_messages_are_claimed_by_one_process_only(database_url):
    a, b = _stores(database_url, 2)
    for i in range(10):
        a.record_inbound("SM%032x" % i, PHONE, {"Body": str(i)}, owner="dead")
    assert a.claim_abandoned("a") == []  # leases still valid
    with a.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE whatsapp_inbound_messages SET lease_until = '2000-01-01 00:00:00'")
    claimed = {}

    def sweep(store, name):
        claimed[name] = store.claim_abandoned(name)

    threads = [threading.Thread(target=sweep, args=(s, n)) for s, n in ((a, "a"), (b, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sids = [p.message_sid for p in claimed["a"] + claimed["b"]]
    assert sorted(sids) == sorted("SM%032x" % i for i in range(10))  # each once
    assert [p.params["Body"] for p in sorted(claimed["a"] + claimed["b"], key=lambda p: p.message_sid)] == [
        str(i) for i in range(10)
    ]
    a.engine.dispose(), b.engine.dispose()


def test_a_message_that_keeps_crashing_its_process_is_given_up(database_url):
    [store] = _stores(database_url, 1)
    sid = "SM" + "b" * 32
    store.record_inbound(sid, PHONE, {}, owner="x")
    for _attempt in range(3):
        store.begin_turn(sid, store.conversation_for(PHONE), "x")
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE whatsapp_inbound_messages SET lease_until = '2000-01-01 00:00:00'")
    assert store.claim_abandoned("y") == []
    assert store.inbound_status(sid) == "failed"
    store.engine.dispose()


def test_the_24_hour_window(database_url):
    [store] = _stores(database_url, 1)
    cid = store.ensure_contact(PHONE)
    assert not store.within_session_window(cid)  # never wrote
    store.record_inbound("SM" + "c" * 32, PHONE, {}, owner="x")
    assert store.within_session_window(cid)
    assert not store.within_session_window(cid, now=utcnow() + dt.timedelta(hours=24, seconds=1))
    store.engine.dispose()


def test_delivery_statuses_only_move_forward(database_url):
    [store] = _stores(database_url, 1)
    sid = "SM" + "d" * 32
    store.update_status(sid, "sent")  # the callback came before our own record
    store.record_outbound("wa-x", "text", sid, "queued")
    store.update_status(sid, "delivered")
    store.update_status(sid, "sent")
    assert store.outbound(message_sid=sid)[0] | {} == {
        "message_sid": sid,
        "conversation_id": "wa-x",
        "kind": "text",
        "status": "delivered",
        "error_code": None,
        "error_message": None,
    }
    store.update_status(sid, "read")
    store.update_status(sid, "undelivered", 30008, "Unknown error")
    store.update_status(sid, "delivered")
    row = store.outbound(message_sid=sid)[0]
    assert (row["status"], row["error_code"]) == ("undelivered", 30008)
    store.engine.dispose()


def test_the_phone_mapping_and_buttons_survive_a_new_engine(database_url):
    [first] = _stores(database_url, 1)
    cid = first.ensure_contact("whatsapp:" + PHONE)
    first.set_buttons(cid, [{"title": "हाँ", "payload": "/affirm"}])
    first.engine.dispose()
    [second] = _stores(database_url, 1)
    assert second.phone_for(cid) == PHONE
    assert second.ensure_contact(PHONE) == cid
    assert second.get_buttons(cid) == [{"title": "हाँ", "payload": "/affirm"}]
    second.engine.dispose()


def test_old_processed_messages_are_pruned(database_url):
    [store] = _stores(database_url, 1)
    store.record_inbound("SM" + "e" * 32, PHONE, {"Body": "mera naam Sita"}, owner="x")
    store.finish("SM" + "e" * 32, "done")
    store.record_inbound("SM" + "f" * 32, PHONE, {}, owner="x")  # still pending: kept
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE whatsapp_inbound_messages SET received_at = '2000-01-01 00:00:00'")
    assert store.prune_inbox() == 1
    assert store.prune_inbox() == 0, "pruning twice changes nothing"
    assert store.inbound_status("SM" + "f" * 32) == "pending"
    with store.engine.begin() as conn:
        rows = conn.exec_driver_sql(
            "SELECT params, conversation_id FROM whatsapp_inbound_messages WHERE message_sid = 'SM" + "e" * 32 + "'"
        ).all()
    assert "Sita" not in str(rows) and rows[0][1] == "-", "what it said and whose it was are forgotten"
    store.engine.dispose()


def test_a_replayed_webhook_does_not_run_again_after_its_row_is_pruned(database_url):
    """Twilio's signature has no timestamp: a copied webhook stays validly signed."""
    [store] = _stores(database_url, 1)
    sid = "SM" + "d" * 32
    assert store.record_inbound(sid, PHONE, {"Body": "haan"}, owner="x") is True
    store.finish(sid, "done")
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE whatsapp_inbound_messages SET received_at = '2000-01-01 00:00:00'")
    store.prune_inbox()
    assert store.record_inbound(sid, PHONE, {"Body": "haan"}, owner="y") is False, "a replay"
    store.engine.dispose()
