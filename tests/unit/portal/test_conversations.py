"""Conversations read from a tracker store that Rasa's SQLTrackerStore wrote."""

import datetime as dt
import time

import pytest

from lokseva.portal import analytics, conversations
from lokseva.portal.conversations import ConversationFilter
from lokseva.portal.office import IST
from tests.unit.portal.support import SAMPLE, store_conversations

DAY = 24 * 3600


@pytest.fixture
def seeded(tracker_url, tracker_engine):
    now = time.time()
    store_conversations(
        tracker_url,
        [(sender, turns, now - 600) for sender, turns, _ in SAMPLE]
        + [
            # A week-old conversation from a third citizen.
            ("whatsapp:+916260000001", [("user", "fees kitni hai", "ask_service_info", 0.88)], now - 8 * DAY),
        ],
    )
    return tracker_engine


def test_no_tracker_store_yet_is_not_an_error(tracker_engine):
    assert conversations.search(tracker_engine, ConversationFilter()) == ([], 0)
    assert list(conversations.unsure_messages(tracker_engine, 0.7, set())) == []
    assert analytics.conversation_stats(tracker_engine).user_messages == 0


def test_search_by_phone_digits_application_intent_fallback_and_day(seeded):
    everyone, total = conversations.search(seeded, ConversationFilter())
    assert total == 3
    assert [c.sender_masked for c in everyone][0] in ("+91******3210", "+91******1122")
    assert all("98765" not in c.sender_masked for c in everyone)

    def found(**filters):
        return sorted(c.sender_masked for c in conversations.search(seeded, ConversationFilter(**filters))[0])

    assert found(phone="3210") == ["+91******3210"]
    assert found(phone="9999") == []
    assert found(application_id="JBA-2026-000123") == ["+91******3210"]
    assert found(intent="apply_service") == ["+91******1122"]
    assert found(fallback_only=True) == ["+91******1122", "+91******3210"]
    week_ago = (dt.datetime.now(IST) - dt.timedelta(days=8)).date()
    assert found(day=week_ago) == ["+91******0001"]
    assert found(phone="3210", intent="apply_service") == [], "filters combine"
    summary = conversations.search(seeded, ConversationFilter(phone="3210"))[0][0]
    assert summary.user_messages == 4 and summary.fallbacks == 1


def test_transcript_masks_and_flags(seeded):
    key = conversations.search(seeded, ConversationFilter(phone="3210"))[0][0].key
    sender = conversations.sender_of(seeded, key)
    assert sender == "whatsapp:+919876543210"
    assert conversations.key_of(seeded, sender) == key
    turns = conversations.transcript(seeded, sender, threshold=0.7)
    users = [t for t in turns if t.kind == "user"]
    assert [t.intent for t in users] == ["greet", "inform", "check_status", "nlu_fallback"]
    personal = users[1]
    assert personal.text == "mera aadhar XXXX XXXX 9012 hai aur phone ******5678"
    assert personal.low_confidence and not personal.fallback
    assert users[2].entities == [("application_id", "JBA-2026-000123")] and not users[2].low_confidence
    fallback = users[3]
    assert fallback.fallback and fallback.predicted_intent == "check_status"
    bots = [t for t in turns if t.kind == "bot"]
    assert bots[0].text.startswith("नमस्ते") and bots[0].buttons == ["आवेदन की स्थिति"]
    assert [t.name for t in turns if t.kind == "action"] == ["utter_default"], "bookkeeping actions hidden"
    assert [(t.name, t.text) for t in turns if t.kind == "slot"] == [("application_id", "JBA-2026-000123")]
    assert conversations.sender_of(seeded, 999_999) is None


def test_unsure_messages_newest_first_skipping_decided(seeded):
    found = list(conversations.unsure_messages(seeded, 0.7, set()))
    assert [m.text for m in found] == [
        "khet ki nakal chahiye",
        "patwari sahab ne report nahi lagayi",
        "mera aadhar 1234 5678 9012 hai aur phone 9812345678",
    ]
    assert found[0].predicted_intent == "ask_service_info" and found[0].predicted_confidence == 0.31
    assert all(found[i].event_id > found[i + 1].event_id for i in range(len(found) - 1))
    skip = {found[0].message_key}
    assert found[0].message_key not in [m.message_key for m in conversations.unsure_messages(seeded, 0.7, skip)]
    # A higher threshold brings in the 0.88 message too; scanning in small batches finds the same.
    strict = list(conversations.unsure_messages(seeded, 0.9, set(), batch=2))
    assert "fees kitni hai" in [m.text for m in strict]


def test_last_user_texts(seeded):
    texts = conversations.last_user_texts(seeded, "whatsapp:+917000011122", count=2)
    assert texts == ["khet ki nakal chahiye", "kisi insaan se baat karni hai"]


def test_conversation_analytics(seeded):
    stats = analytics.conversation_stats(seeded, days=30)
    assert stats.user_messages == 8 and stats.fallbacks == 2
    assert stats.fallback_rate == pytest.approx(2 / 8)
    assert stats.active_citizens_period == 3 and stats.active_citizens_7 == 2
    assert dict(stats.top_intents)["nlu_fallback"] == 2
    assert len(stats.messages_per_day) == 30
    assert stats.messages_per_day[-1][0] == dt.datetime.now(IST).date()
    # Ten minutes ago: today (or, just after midnight, partly yesterday).
    assert stats.messages_per_day[-1][1] + stats.messages_per_day[-2][1] == 7
    assert sum(n for _, n in stats.messages_per_day) == 8


def test_scheme_questions_and_complaints_are_counted_per_scheme(tracker_url, tracker_engine):
    now = time.time()

    def scheme(value):
        return [{"entity": "scheme", "value": value, "start": 0, "end": 5}]

    store_conversations(
        tracker_url,
        [
            (
                "whatsapp:+916260000002",
                [
                    ("user", "ladli behna ka paisa kab aayega", "ask_scheme_info", 0.9, scheme("ladli_behna")),
                    ("user", "ladli behna ka paisa nahi aaya", "report_problem", 0.9, scheme("ladli_behna")),
                    ("user", "pm kisan kitna milta hai", "ask_scheme_info", 0.9, scheme("pm_kisan")),
                    ("user", "mujhe kaun si yojana milegi", "ask_scheme_info", 0.9),
                    ("user", "jan sunwai kab hai", "ask_jan_sunwai", 0.9),
                ],
                now - 600,
            ),
            (
                "whatsapp:+916260000003",
                [
                    ("user", "लाड़ली बहना की किस्त नहीं आई", "report_problem", 0.9, scheme("ladli_behna")),
                ],
                now - 40 * DAY,
            ),
        ],
    )
    assert analytics.conversation_stats(tracker_engine, days=30).by_scheme == [
        ("ladli_behna", 1, 1),
        ("", 1, 0),
        ("pm_kisan", 1, 0),
    ]
    assert analytics.conversation_stats(tracker_engine, days=90).by_scheme[0] == ("ladli_behna", 1, 2)
