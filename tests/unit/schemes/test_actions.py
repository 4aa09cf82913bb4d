"""The scheme actions as the action server runs them: a hand-built tracker and
a CollectingDispatcher."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.information import ActionInformation
from actions.schemes import ActionReportProblem, ActionSchemeInfo


def tracker(text, intent, entities=(), earlier=(), language="hi"):
    """`earlier`: (text, entities) of previous messages, oldest first."""
    events = []
    for previous_text, previous_entities in earlier:
        events += [
            {
                "event": "user",
                "text": previous_text,
                "parse_data": {"intent": {"name": "ask_scheme_info"}, "entities": list(previous_entities)},
            },
            {"event": "action", "name": "action_listen"},
        ]
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": list(entities)}
    events.append({"event": "user", "text": text, "parse_data": latest})
    return Tracker("citizen-1", {"language": language}, latest, events, False, None, {}, "action_listen")


def run(action, tr):
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tr, {}))
    return dispatcher.messages


def scheme(value):
    return {"entity": "scheme", "value": value}


def test_a_scheme_question_gets_its_card():
    [message] = run(
        ActionSchemeInfo(), tracker("ladli behna ka paisa kab aayega", "ask_scheme_info", [scheme("ladli_behna")])
    )
    assert "₹1,500" in message["text"] and "cmladlibahna.mp.gov.in" in message["text"]
    assert message["buttons"][-1]["payload"] == '/report_problem{"scheme":"ladli_behna"}'


def test_a_button_asks_for_one_aspect():
    [message] = run(
        ActionSchemeInfo(),
        tracker(
            '/ask_scheme_info{"scheme":"sambal","scheme_aspect":"eligibility"}',
            "ask_scheme_info",
            [scheme("sambal"), {"entity": "scheme_aspect", "value": "eligibility"}],
        ),
    )
    assert "असंगठित मज़दूर" in message["text"]


def test_a_follow_up_keeps_the_scheme_of_the_last_question():
    [message] = run(
        ActionSchemeInfo(),
        tracker(
            "iske liye kagaz",
            "ask_scheme_info",
            [{"entity": "scheme_aspect", "value": "documents"}],
            earlier=[("samagra id kaise banegi", [scheme("samagra_id")])],
        ),
    )
    assert "समग्र आईडी" in message["text"] and "e-KYC" in message["text"]


def test_no_scheme_asks_who_the_citizen_is_then_lists_the_groups_schemes():
    [message] = run(ActionSchemeInfo(), tracker("mujhe kaun si yojana milegi", "ask_scheme_info"))
    assert "आप कौन हैं" in message["text"]
    [message] = run(
        ActionSchemeInfo(),
        tracker(
            '/ask_scheme_info{"scheme_group":"elder"}',
            "ask_scheme_info",
            [{"entity": "scheme_group", "value": "elder"}],
        ),
    )
    assert "वृद्धावस्था" in message["text"] and "तीर्थ दर्शन" in message["text"]


def test_pension_without_a_kind_asks_which_one():
    [message] = run(ActionSchemeInfo(), tracker("pension kab aayegi", "ask_scheme_info"))
    assert [b["payload"] for b in message["buttons"]] == [
        '/ask_scheme_info{"scheme":"old_age_pension"}',
        '/ask_scheme_info{"scheme":"widow_pension"}',
        '/ask_scheme_info{"scheme":"disability_pension"}',
    ]


def test_a_complaint_button_under_a_card_routes_that_schemes_complaint():
    [message] = run(
        ActionReportProblem(),
        tracker('/report_problem{"scheme":"pm_kisan"}', "report_problem", [scheme("pm_kisan")], language="en"),
    )
    assert "Grievance.aspx" in message["text"] and "181" in message["text"]
    assert message["buttons"][0]["payload"] == "/request_human"


def test_a_complaint_after_a_question_is_about_that_scheme():
    [message] = run(
        ActionReportProblem(),
        tracker("paisa nahi aaya", "report_problem", earlier=[("ladli behna kab aayega", [scheme("ladli_behna")])]),
    )
    assert "लाड़ली बहना योजना का पैसा नहीं आया" in message["text"]


def test_a_bribe_asked_as_a_helpline_question_gets_the_complaint_route():
    [message] = run(ActionInformation(), tracker("patwari paise maang raha hai complaint karni hai", "ask_cm_helpline"))
    assert "तय फ़ीस के अलावा" in message["text"] and "181" in message["text"]
    [message] = run(ActionInformation(), tracker("181 pe shikayat kaise kare", "ask_cm_helpline"))
    assert "सीएम हेल्पलाइन 181" in message["text"] and "तय फ़ीस के अलावा" not in message["text"]
