"""actions/portal.py run as the action server runs it, on a real database."""

import asyncio
import datetime as dt
import json

import pytest
import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.portal as portal_actions
from lokseva.db import session_scope
from lokseva.portal.models import CallbackRequest
from lokseva.portal.office import IST

SENDER = "whatsapp:+919876543210"


def tracker(texts, language="hi", application_id=None, entities=()):
    events = [{"event": "session_started"}, {"event": "action", "name": "action_listen"}]
    for text in texts:
        events.append({"event": "user", "text": text, "parse_data": {"intent": {"name": "x"}}})
        events.append({"event": "bot", "text": "…"})
    return Tracker(
        SENDER,
        {"language": language, "application_id": application_id, "district": "jhabua"},
        {"text": texts[-1], "intent": {"name": "request_human", "confidence": 0.97}, "entities": list(entities)},
        events,
        False,
        None,
        {},
        "action_listen",
    )


@pytest.fixture
def action(engine, monkeypatch):
    monkeypatch.setattr(portal_actions, "get_engine", lambda: engine)
    found = portal_actions.ActionRequestHuman()
    # Monday 2 March 2026, 16:30 in Jhabua: too late for today.
    monkeypatch.setattr(found, "now", lambda: dt.datetime(2026, 3, 2, 16, 30, tzinfo=IST))
    return found


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, {}))
    return events, [m["text"] for m in dispatcher.messages]


def test_request_is_stored_and_the_citizen_told_when(action, engine):
    texts = ["namaste", "mera aadhaar 1234 5678 9012 hai", "/request_human", "kisi adhikari se baat karni hai"]
    events, messages = run(action, tracker(texts, entities=[{"entity": "application_id", "value": "JBA-2026-000123"}]))
    assert events == []
    assert len(messages) == 1
    text = messages[0]
    assert "दर्ज हो गया" in text and "कल, 3 मार्च को सुबह 10 से शाम 5 बजे के बीच" in text
    assert "कलेक्टर कार्यालय, झाबुआ" in text, "the office comes from the district's data"
    with session_scope(engine) as s:
        row = s.execute(sa.select(CallbackRequest)).scalar_one()
        assert f"अनुरोध नंबर: {row.id}" in text
        assert row.phone_masked == "+91******3210" and row.sender_id == SENDER
        assert json.loads(row.last_messages) == [
            "namaste",
            "mera aadhaar XXXX XXXX 9012 hai",
            "kisi adhikari se baat karni hai",
        ], "masked, and without button payloads"
        assert row.application_id == "JBA-2026-000123"
        call_by = row.call_by if row.call_by.tzinfo else row.call_by.replace(tzinfo=dt.timezone.utc)
        assert call_by.astimezone(IST) == dt.datetime(2026, 3, 3, 17, 0, tzinfo=IST)
        assert row.status == "open" and row.language == "hi"


def test_asking_again_does_not_make_a_second_request(action, engine):
    run(action, tracker(["baat karni hai"]))
    _, messages = run(action, tracker(["baat karni hai", "please call me soon"], language="en"))
    assert "already noted" in messages[0] and "tomorrow, 3 March" in messages[0]
    with session_scope(engine) as s:
        assert s.execute(sa.select(sa.func.count()).select_from(CallbackRequest)).scalar_one() == 1


def test_a_database_failure_gives_the_other_ways_to_reach_a_person(action, monkeypatch):
    broken = sa.create_engine("sqlite:////nonexistent-dir/x.db", future=True)
    monkeypatch.setattr(portal_actions, "get_engine", lambda: broken)
    _, messages = run(action, tracker(["baat karni hai"]))
    assert "दर्ज नहीं हो पाया" in messages[0] and "181" in messages[0] and "लोक सेवा केंद्र" in messages[0]


def test_the_rule_and_the_domain_use_the_action():
    import yaml

    from lokseva.settings import ROOT

    rules = yaml.safe_load((ROOT / "data/rules/core.yml").read_text())["rules"]
    rule = next(r for r in rules if r["rule"] == "ask for a person")
    assert rule["steps"] == [{"intent": "request_human"}, {"action": "action_request_human"}]
    domain = yaml.safe_load((ROOT / "domain/portal.yml").read_text())
    assert "action_request_human" in domain["actions"]
