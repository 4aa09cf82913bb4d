"""action_inform_outside_form: `inform` means something only inside a form.

Outside one, a message that names a service, an application id, a scheme or a
district gets the choices that can use it; anything else is declined as out of scope."""

import asyncio
import json

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionInformOutsideForm
from lokseva.nlu.clarify import STRAY_VALUE_INTENTS, intent_titles, stray_value_answer
from lokseva.settings import ROOT

RANKING = [
    {"name": "inform", "confidence": 0.71},
    {"name": "ask_service_info", "confidence": 0.12},
    {"name": "greet", "confidence": 0.08},
    {"name": "apply_service", "confidence": 0.05},
]


def tracker(entities=(), ranking=RANKING, language="hi", text="aay praman patra", active_loop=None):
    latest = {
        "text": text,
        "intent": {"name": "inform", "confidence": 0.71},
        "intent_ranking": list(ranking),
        "entities": list(entities),
    }
    events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": text, "parse_data": latest}]
    return Tracker(
        "citizen-1",
        {"language": language},
        latest,
        events,
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


def run(tracker_):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionInformOutsideForm().run(dispatcher, tracker_, {}))
    return events, dispatcher.messages


def test_a_name_or_a_date_outside_a_form_is_declined_as_out_of_scope():
    for entities in (
        [],
        [{"entity": "mobile_number", "value": "9876543210"}],
        [{"entity": "pin_code", "value": "457661"}],
    ):
        events, (message,) = run(tracker(entities, text="रमेश भूरिया"))
        assert events == []
        assert message["response"] == "utter_out_of_scope"
        assert "buttons" not in message or not message["buttons"]


def test_a_named_service_gets_the_choices_that_use_it_ordered_by_the_ranking():
    service = {"entity": "service", "value": "income_certificate", "start": 0, "end": 16}
    _, (message,) = run(tracker([service]))
    assert message["text"] == "आप इसके लिए क्या करना चाहते हैं? नीचे से चुनें।"
    assert [b["payload"] for b in message["buttons"]] == [
        '/ask_service_info{"service":"income_certificate"}',
        '/apply_service{"service":"income_certificate"}',
        "/show_menu",
    ]
    assert [b["title"] for b in message["buttons"]][-1] == "कुछ और"


def test_an_application_id_wins_over_a_service_and_no_personal_number_is_carried():
    entities = [
        {"entity": "service", "value": "caste_certificate"},
        {"entity": "application_id", "value": "JBA-2026-000123"},
        {"entity": "aadhaar_number", "value": "234567890124"},
    ]
    _, (message,) = run(tracker(entities, ranking=[{"name": "inform", "confidence": 0.9}]))
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[0] == '/check_status{"service":"caste_certificate","application_id":"JBA-2026-000123"}'
    assert payloads[1].startswith("/pay_fee")
    assert all("234567890124" not in p for p in payloads)


def test_a_district_offers_to_set_it_and_a_scheme_its_information():
    _, (message,) = run(tracker([{"entity": "district", "value": "indore"}], text="indore"))
    assert [b["payload"] for b in message["buttons"]] == ['/choose_district{"district":"indore"}', "/show_menu"]
    _, (message,) = run(tracker([{"entity": "scheme", "value": "ladli_behna"}], text="ladli behna"))
    assert message["buttons"][0]["payload"] == '/ask_scheme_info{"scheme":"ladli_behna"}'


def test_english_conversation_gets_english_text():
    _, (message,) = run(tracker([{"entity": "service", "value": "birth_certificate"}], language="en"))
    assert message["text"] == "What would you like to do about it? Choose below."
    assert message["buttons"][-1]["title"] == "Something else"


def test_every_offered_intent_has_a_title_and_is_in_the_domain():
    titles = intent_titles()
    domain_intents = set()
    for path in (ROOT / "domain").glob("*.yml"):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents") or []:
            domain_intents.add(next(iter(item)) if isinstance(item, dict) else item)
    for intents in STRAY_VALUE_INTENTS.values():
        for intent in intents:
            assert intent in titles and intent in domain_intents


def test_payloads_are_valid_rasa_intent_payloads():
    text, buttons = stray_value_answer([], [{"entity": "service", "value": "death_certificate"}])
    assert text
    for button in buttons[:-1]:
        intent, _, entities = button["payload"][1:].partition("{")
        assert intent in STRAY_VALUE_INTENTS["service"]
        assert json.loads("{" + entities) == {"service": "death_certificate"}


def test_the_rule_sends_inform_outside_a_form_to_the_action_and_keeps_it_inside_forms():
    rules = yaml.safe_load((ROOT / "data" / "rules" / "core.yml").read_text(encoding="utf-8"))["rules"]
    inform_rules = [r for r in rules if {"intent": "inform"} in r["steps"]]
    assert len(inform_rules) == 1
    (rule,) = inform_rules
    assert rule["condition"] == [{"active_loop": None}]
    assert rule["steps"][-1] == {"action": "action_inform_outside_form"}
