"""What the appeals capability tells citizens on its own goes through the
notification outbox, once: the deadline watcher and the appeal decisions."""

import datetime as dt
import threading

import sqlalchemy as sa

from lokseva.appeals import flows, scheduled
from lokseva.appeals.rules import AppealStatus
from lokseva.channels.notifications import render
from lokseva.db import session_scope
from lokseva.notifications.models import Notification
from tests.unit.appeals.conftest import at_noon

D = dt.date


def _notices(engine):
    with session_scope(engine) as session:
        rows = session.execute(sa.select(Notification).order_by(Notification.id)).scalars().all()
        return [(n.key, dict(n.variables)) for n in rows]


def test_the_watcher_tells_each_undecided_application_on_its_date_once(engine, make_application):
    due_today = make_application(status="under_review", due=D(2026, 12, 4), channel_user_id="a")
    make_application(status="approved", due=D(2026, 12, 4), channel_user_id="b", decided_on=D(2026, 12, 3))
    make_application(status="under_review", due=D(2026, 12, 5), channel_user_id="c")
    make_application(status="fee_pending", due=D(2026, 12, 4), channel_user_id="d")  # the citizen's turn
    now = at_noon(D(2026, 12, 4))
    assert scheduled.remind_due_today(engine, now) == 1
    assert scheduled.remind_due_today(engine, now) == 0  # a second run, or a second instance
    [(key, variables)] = _notices(engine)
    assert key == "due_date_reached" and variables["application_id"] == due_today.reference
    text = render(key, variables, "hi").text
    assert "4 दिसंबर 2026" in text and "आय प्रमाण पत्र" in text and "अपील करनी है" in text


def test_instances_racing_write_the_message_once(engine, make_application):
    make_application(status="under_review", due=D(2026, 12, 4))
    now = at_noon(D(2026, 12, 4))
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(scheduled.remind_due_today(engine, now))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 1 and len(_notices(engine)) == 1


def test_the_decision_and_the_compensation_reach_the_citizen(engine, make_application):
    app = make_application(due=D(2026, 11, 1))
    view = flows.file_appeal(app.channel_user_id, app.reference, now=at_noon(D(2026, 11, 11)), engine=engine)
    assert _notices(engine) == []  # the receipt is the chat's answer, not a notification
    flows.decide_appeal(
        view.reference,
        AppealStatus.ALLOWED,
        "देरी हुई",
        "staff:3",
        new_due_date=D(2026, 11, 20),
        penalty_paise=250_000,
        now=at_noon(D(2026, 11, 16)),
        engine=engine,
    )
    flows.record_compensation(view.reference, 250_000, "staff:3", now=at_noon(D(2026, 11, 17)), engine=engine)
    (allowed_key, allowed), (paid_key, paid) = _notices(engine)
    assert allowed_key == "appeal_allowed" and "20 नवंबर 2026" in render(allowed_key, allowed, "hi").text
    assert paid_key == "compensation_paid" and "₹2,500" in render(paid_key, paid, "hi").text


def test_a_dismissal_says_why_and_how_to_appeal_further(engine, make_application):
    app = make_application(status="rejected", due=D(2026, 12, 20), decided_on=D(2026, 11, 10))
    view = flows.file_appeal(app.channel_user_id, app.reference, now=at_noon(D(2026, 11, 12)), engine=engine)
    flows.decide_appeal(
        view.reference,
        AppealStatus.DISMISSED,
        "रिकॉर्ड नहीं मिला",
        "staff:3",
        now=at_noon(D(2026, 11, 20)),
        engine=engine,
    )
    [(key, variables)] = _notices(engine)
    text = render(key, variables, "hi").text
    assert key == "appeal_dismissed" and "रिकॉर्ड नहीं मिला" in text and "अपील करनी है" in text
