"""The notification outbox on SQLite and PostgreSQL: written with the change that
causes it, leased to one sender at a time, in order per citizen, retried later,
given up (for staff) and sent again, withdrawn when no longer true."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from lokseva.applications.models import Citizen
from lokseva.db import create_engine_for, session_scope, upgrade_database
from lokseva.db.leases import new_owner
from lokseva.notifications import outbox
from lokseva.notifications.models import Notification


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'notifications.db'}"
    else:
        url = request.getfixturevalue("postgres_database_factory")()
    upgrade_database(url)
    engine = create_engine_for(url)
    yield engine
    engine.dispose()


def citizen(engine, name="wa-citizen-1") -> int:
    with session_scope(engine) as s:
        row = Citizen(channel_user_id=name, whatsapp_number="+919800000001", language="hi")
        s.add(row)
        s.flush()
        return row.id


def write(engine, citizen_id, key="status_changed", **kwargs) -> int:
    with session_scope(engine) as s:
        return outbox.enqueue(s, citizen_id, key, {"application_id": "JBA-2026-000001", "status": key}, "hi", **kwargs)


def test_a_notification_is_written_with_the_change_or_not_at_all(engine):
    who = citizen(engine)
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        outbox.enqueue(s, who, "status_changed", {"application_id": "JBA-2026-000001", "status": "x"})
        raise RuntimeError("the state change failed")
    assert outbox.due_citizens(engine) == []
    first = write(engine, who)
    assert outbox.due_citizens(engine) == [who]
    due = outbox.claim_next(engine, who, new_owner())
    assert (due.id, due.key, due.variables["status"], due.attempts) == (first, "status_changed", "status_changed", 0)


def test_a_change_recorded_twice_tells_the_citizen_once(engine):
    who = citizen(engine)
    assert write(engine, who, dedupe_key="payment:1:receipt") is not None
    assert write(engine, who, dedupe_key="payment:1:receipt") is None
    with session_scope(engine) as s:
        assert s.execute(sa.select(sa.func.count()).select_from(Notification)).scalar_one() == 1


def test_one_sender_at_a_time_and_in_order_per_citizen(engine):
    who, other = citizen(engine), citizen(engine, "wa-citizen-2")
    first, second = write(engine, who, "a"), write(engine, who, "b")
    elsewhere = write(engine, other, "c")
    one, two = new_owner(), new_owner()
    assert outbox.claim_next(engine, who, one).id == first
    assert outbox.claim_next(engine, who, two) is None, "held by the first sender: the second waits, in order"
    assert outbox.claim_next(engine, other, two).id == elsewhere, "another citizen is not held back"
    outbox.mark_sent(engine, first)
    assert outbox.claim_next(engine, who, two).id == second, "once the first is sent, the next may go"
    assert outbox.release(engine, two) == 2  # this one and the other citizen's


def test_a_lease_whose_holder_died_runs_out(engine):
    who = citizen(engine)
    first = write(engine, who)
    assert outbox.claim_next(engine, who, new_owner()).id == first  # and that process dies
    later = dt.datetime.now(dt.timezone.utc) + outbox.LEASE + dt.timedelta(seconds=1)
    assert outbox.due_citizens(engine, now=later) == [who]
    taken = outbox.claim_next(engine, who, new_owner(), now=later)
    assert (taken.id, taken.attempts) == (first, 1)


@pytest.mark.parametrize("senders", [8])
def test_many_senders_at_once_take_a_notification_once(engine, senders):
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writers; the race is PostgreSQL's")
    who = citizen(engine)
    write(engine, who)
    won, barrier = [], threading.Barrier(senders)

    def race():
        barrier.wait()
        if outbox.claim_next(engine, who, new_owner()) is not None:
            won.append(1)

    threads = [threading.Thread(target=race) for _ in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1


def test_a_failed_try_waits_longer_each_time_then_staff_see_it_and_may_send_it_again(engine):
    who = citizen(engine)
    first, second = write(engine, who, "a"), write(engine, who, "b")
    owner = new_owner()
    due = outbox.claim_next(engine, who, owner)
    assert outbox.retry_later(engine, due.id, "Rasa unreachable", due.attempts + 1, max_attempts=3)
    assert outbox.claim_next(engine, who, owner) is None, "waits for its next try, and the later one behind it"
    with session_scope(engine) as s:
        waits = s.get(Notification, first).not_before
    assert waits is not None
    moments = []
    for attempt in (2, 3):
        later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=2)
        due = outbox.claim_next(engine, who, owner, now=later)
        assert (due.id, due.attempts) == (first, attempt - 1)
        moments.append(outbox.retry_later(engine, due.id, "Rasa unreachable", attempt, max_attempts=3))
    assert moments == [True, False], "given up after the third try"
    with session_scope(engine) as s:
        row = s.get(Notification, first)
        assert row.status == "failed" and "gave up after 3 attempts" in row.last_error
        assert [n.id for n in outbox.listing(s, status="failed")] == [first]
    # A failed one does not hold back the next.
    assert outbox.claim_next(engine, who, new_owner(), now=dt.datetime.now(dt.timezone.utc)).id == second
    with session_scope(engine) as s:
        assert outbox.send_again(s, first)
        assert not outbox.send_again(s, second), "only a failed one"
        assert s.get(Notification, first).status == "pending"


def test_a_change_that_makes_a_notification_untrue_withdraws_it(engine):
    who = citizen(engine)
    link = write(engine, who, "payment_link", subject="payment:7")
    receipt = write(engine, who, "payment_receipt", subject="payment:7")
    with session_scope(engine) as s:
        assert outbox.withdraw(s, "payment:7", ["payment_link"], "paid before the link went") == 1
    with session_scope(engine) as s:
        assert s.get(Notification, link).status == "withdrawn"
    assert outbox.claim_next(engine, who, new_owner()).id == receipt
