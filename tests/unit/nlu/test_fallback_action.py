"""action_clarify: the clarifying question when the NLU is unsure."""

import asyncio

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionClarify
from lokseva.nlu.clarify import TITLES_FILE, clarifying_question, likeliest_intents
from lokseva.settings import ROOT

RANKING = [
    {"name": "nlu_fallback", "confidence": 0.41},
    {"name": "check_status", "confidence": 0.41},
    {"name": "out_of_scope", "confidence": 0.22},
    {"name": "get_certificate", "confidence": 0.19},
    {"name": "inform", "confidence": 0.10},
    {"name": "pay_fee", "confidence": 0.05},
]


def tracker(ranking, language="hi", entities=(), text="mera praman patra kidhar hai"):
    latest = {
        "text": text,
        "intent": {"name": "nlu_fallback", "confidence": 0.41},
        "intent_ranking": ranking,
        "entities": list(entities),
    }
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": latest},
    ]
    return Tracker("citizen-1", {"language": language}, latest, events, False, None, {}, "action_listen")


def run(tracker_):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionClarify().run(dispatcher, tracker_, {}))
    return events, dispatcher.messages


def test_offers_the_two_likeliest_real_intents_in_hindi():
    events, messages = run(tracker(RANKING))
    assert events == []
    (message,) = messages
    assert message["text"] == "माफ़ कीजिए, मैं ठीक से समझ नहीं पाया। आप क्या करना चाहते हैं?"
    assert message["buttons"] == [
        {"title": "आवेदन की स्थिति", "payload": "/check_status"},
        {"title": "बना हुआ प्रमाण पत्र पाना", "payload": "/get_certificate"},
        {"title": "कुछ और", "payload": "/show_menu"},
    ]


def test_english_conversation_gets_english_choices():
    _, (message,) = run(tracker(RANKING, language="en"))
    assert message["text"].startswith("Sorry")
    assert [b["title"] for b in message["buttons"]] == [
        "Status of my application",
        "Get my certificate",
        "Something else",
    ]


def test_choices_carry_the_service_and_application_id_but_no_personal_number():
    entities = [
        {"entity": "service", "value": "income_certificate", "start": 5, "end": 20},
        {"entity": "application_id", "value": "JBA-2026-000123", "start": 21, "end": 36},
        {"entity": "aadhaar_number", "value": "234567890124", "start": 40, "end": 54},
    ]
    _, (message,) = run(tracker(RANKING, entities=entities))
    assert message["buttons"][0]["payload"] == (
        '/check_status{"service":"income_certificate","application_id":"JBA-2026-000123"}'
    )
    assert all("234567890124" not in b["payload"] for b in message["buttons"])


def test_without_a_ranking_only_something_else_is_offered():
    _, (message,) = run(tracker([]))
    assert message["buttons"] == [{"title": "कुछ और", "payload": "/show_menu"}]
    assert "दूसरे शब्दों" in message["text"]


def test_only_one_candidate():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "pay_fee", "confidence": 0.3},
        {"name": "out_of_scope", "confidence": 0.2},
    ]
    _, (message,) = run(tracker(ranking))
    assert [b["payload"] for b in message["buttons"]] == ["/pay_fee", "/show_menu"]


def test_ranking_order_is_by_confidence_not_by_position():
    ranking = [
        {"name": "pay_fee", "confidence": 0.1},
        {"name": "greet", "confidence": 0.5},
        {"name": "check_status", "confidence": 0.3},
    ]
    assert likeliest_intents(ranking) == ["greet", "check_status"]


def test_every_intent_a_citizen_can_mean_has_a_title_in_both_languages():
    titles = yaml.safe_load(TITLES_FILE.read_text(encoding="utf-8"))
    domain_intents = set()
    for path in (ROOT / "domain").glob("*.yml"):
        domain_intents.update(
            i if isinstance(i, str) else next(iter(i))
            for i in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents", [])
        )
    contract = {
        "apply_service",
        "check_status",
        "pay_fee",
        "get_certificate",
        "request_home_delivery",
        "ask_service_info",
        "ask_lok_seva_guarantee",
        "ask_samadhan_ek_din",
        "ask_jan_sunwai",
        "ask_cm_helpline",
        "ask_aadhaar",
        "ask_ayushman_bharat",
        "ask_scheme_info",
        "report_problem",
        "show_menu",
        "request_human",
    }
    assert contract <= set(titles)
    assert set(titles) <= domain_intents, "a title for an intent the domain does not know"
    for intent, title in titles.items():
        assert title["hi"] and title["en"], intent
        assert len(title["hi"]) <= 30, "button titles must fit a small screen"


def test_clarifying_question_defaults_to_hindi():
    text, _ = clarifying_question(RANKING, [], "fr")
    assert text.startswith("माफ़")
