"""DPDP: the notice before the first personal question, "मेरा डेटा" / "मेरा डेटा हटाओ",
and the retention job (lokseva.data_rights)."""

import json
import time

import pytest
import sqlalchemy as sa

from lokseva.applications import flows
from lokseva.data_rights import retention
from lokseva.data_rights.rights import ERASURE_SLOT, NOTICE_MARK, notice
from lokseva.messages import load_catalogue
from lokseva.settings import load_settings
from tests.unit.applications.test_actions import _fill_draft, run, tracker

DAY = 24 * 3600


def test_the_notice_comes_before_the_first_question_once(actions):
    messages, _, _ = run(
        actions.applications.ActionStartApplication(), tracker("aay praman patra banwana hai", "apply_service")
    )
    [notice] = [m["text"] for m in messages if (m.get("text") or "").startswith(NOTICE_MARK)]
    for words in (
        "आधार नंबर",
        "आख़िरी 4 अंक",
        "24 घंटे",
        "180 दिन",
        "मेरा डेटा हटाओ",
        "लोक सेवा केंद्र",
        "CM हेल्पलाइन 181",
        "डेटा संरक्षण बोर्ड",
    ):
        assert words in notice, words
    shown = tracker("aavedan karna hai", "apply_service")
    shown.events.append({"event": "bot", "text": notice})
    messages, _, _ = run(actions.applications.ActionStartApplication(), shown)
    assert not any((m.get("text") or "").startswith(NOTICE_MARK) for m in messages), "once per conversation"
    english, _, _ = run(
        actions.applications.ActionStartApplication(),
        tracker("I want an income certificate", "apply_service", language="en"),
    )
    assert any("Data Protection Board of India" in (m.get("text") or "") for m in english)


def test_a_citizen_sees_what_is_kept(actions, db):
    _fill_draft(sender="wa-sita")
    messages, _, events = run(
        actions.data_rights.ActionMyData(), tracker("mera data dikhao", "my_data", sender="wa-sita")
    )
    text = messages[0]["text"]
    assert "अधूरा आवेदन" in text and "मेरा डेटा हटाओ" in text and events == []
    assert flows.find_draft("wa-sita") is not None, "looking deletes nothing"


@pytest.mark.parametrize("text", ["मेरा डेटा हटाओ", "mera data delete karo", "please delete all my data"])
def test_deleting_erases_the_draft_and_says_what_the_law_keeps(actions, db, text):
    _fill_draft(sender="wa-ramesh")
    flows.submit_draft("wa-ramesh")
    _fill_draft(sender="wa-ramesh", service="caste_certificate")
    messages, _, events = run(actions.data_rights.ActionMyData(), tracker(text, "my_data", sender="wa-ramesh"))
    reply = messages[0]["text"]
    assert flows.find_draft("wa-ramesh") is None, "the draft (and its Aadhaar) went at once"
    assert ("1" in reply) and ("कानून" in reply or "law" in reply), "the submitted application is kept, and why"
    [erasure] = [e for e in events if e.get("name") == ERASURE_SLOT]
    assert abs(erasure["value"] - time.time()) < 60


@pytest.fixture
def tracker_db(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = sa.create_engine(url)
    sa.Table(
        "events",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255)),
        sa.Column("type_name", sa.String(255)),
        sa.Column("timestamp", sa.Float),
        sa.Column("intent_name", sa.String(255)),
        sa.Column("action_name", sa.String(255)),
        sa.Column("data", sa.Text),
    ).create(engine)
    yield url, engine
    engine.dispose()


def _event(engine, sender, at, type_name="user", **data):
    with engine.begin() as conn:
        conn.execute(
            retention.EVENTS.insert().values(
                sender_id=sender, type_name=type_name, timestamp=at, data=json.dumps({"event": type_name, **data})
            )
        )


def _senders(engine):
    with engine.connect() as conn:
        return sorted(conn.execute(sa.select(retention.EVENTS.c.sender_id, retention.EVENTS.c.timestamp)).all())


def test_the_retention_job_deletes_old_and_erased_conversations_and_is_safe_twice(tracker_db, sqlite_url):
    url, engine = tracker_db
    now = 1_800_000_000.0
    _event(engine, "wa-old", now - 200 * DAY, text="purani baat")
    _event(engine, "wa-recent", now - 3 * DAY, text="haal ki baat")
    _event(engine, "wa-erased", now - 2 * DAY, text="mera naam Sita")
    _event(engine, "wa-erased", now - DAY, "slot", name=ERASURE_SLOT, value=now - DAY)
    _event(engine, "wa-erased", now - DAY + 1, "bot", text="✅ ठीक है")
    settings = load_settings({"TRACKER_STORE_URL": url, "DATABASE_URL": sqlite_url, "LOKSEVA_ENV": "test"})
    counts = retention.run_retention(settings, now=now)
    assert counts["expired_events"] == 1 and counts["erased_events"] == 1
    assert _senders(engine) == [("wa-erased", now - DAY), ("wa-erased", now - DAY + 1), ("wa-recent", now - 3 * DAY)]
    again = retention.run_retention(settings, now=now)
    assert again["expired_events"] == 0 and again["erased_events"] == 0


def test_the_notice_begins_with_its_mark_in_every_language_of_the_catalogue():
    for language in load_catalogue().languages:
        assert notice(language, 30).startswith(NOTICE_MARK), language
