"""The information actions ask the district first where the answer depends on it."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def tracker(text, intent, slots=None, entities=()):
    values = {"language": "hi", **(slots or {})}
    return Tracker(
        "citizen-9",
        values,
        {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": list(entities)},
        [],
        False,
        None,
        {},
        "action_listen",
    )


def run(action, tr):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tr, {}))
    return [m["text"] for m in dispatcher.messages], events


def test_jan_sunwai_without_a_district_asks_it_first():
    from actions.information import ActionInformation

    messages, events = run(ActionInformation(), tracker("jansunwai kab hai", "ask_jan_sunwai"))
    assert messages == []
    assert {"event": "slot", "timestamp": None, "name": "district_pending", "value": "ask_jan_sunwai"} in events
    assert any(e.get("event") == "followup" and e.get("name") == "district_form" for e in events)


def test_jan_sunwai_of_the_citizens_district_and_never_jhabuas_to_others():
    from actions.information import ActionInformation

    messages, _ = run(ActionInformation(), tracker("jansunwai kab hai", "ask_jan_sunwai", {"district": "indore"}))
    assert "इंदौर" in messages[0] and "झाबुआ" not in messages[0] and "मंगलवार" in messages[0]


def test_the_nearest_kendra_follows_the_tehsil():
    from actions.information import ActionInformation

    messages, _ = run(
        ActionInformation(),
        tracker(
            "lok seva kendra kahan hai", "ask_lok_seva_guarantee", {"district": "jhabua", "address_tehsil": "Thandla"}
        ),
    )
    assert "लोक सेवा केंद्र, थांदला" in messages[0] and "कलेक्टर" not in messages[0]
    messages, _ = run(
        ActionInformation(), tracker("lok seva kendra kahan hai", "ask_lok_seva_guarantee", {"district": "indore"})
    )
    assert "सूची मेरे पास नहीं" in messages[0] and "झाबुआ" not in messages[0]


def test_a_district_named_in_the_question_is_answered_for_that_district():
    from actions.information import ActionInformation

    messages, _ = run(
        ActionInformation(),
        tracker(
            "bhopal me jansunwai",
            "ask_jan_sunwai",
            {"district": "indore"},
            entities=[{"entity": "district", "value": "bhopal"}],
        ),
    )
    assert "भोपाल" in messages[0]


def test_choosing_a_district_outside_a_form_keeps_it_or_asks(monkeypatch):
    import actions.districts as module
    from actions.districts import ActionChooseDistrict

    async def nothing(*args, **kwargs):
        return None

    monkeypatch.setattr(module, "remember", nothing)  # the database side: tests/integration/test_districts.py
    messages, events = run(ActionChooseDistrict(), tracker("main indore se hoon", "choose_district"))
    assert "इंदौर" in messages[0]
    assert {"event": "slot", "timestamp": None, "name": "district", "value": "indore"} in events
    messages, events = run(ActionChooseDistrict(), tracker("ज़िला बदलना है", "choose_district", {"district": "indore"}))
    assert any(e.get("event") == "followup" and e.get("name") == "district_form" for e in events)
