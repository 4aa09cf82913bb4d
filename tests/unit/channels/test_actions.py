"""The channel's actions on trackers built by hand (financial-demo style)."""

import asyncio
import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.channel import ActionReceiveDocument, ActionReceiveLocation, ActionSendNotification
from lokseva.channels.notifications import NotificationError, load_templates, render


def _tracker(text, metadata=None, language="hi", entities=None) -> Tracker:
    return Tracker(
        sender_id="wa-" + "0" * 32,
        slots={"language": language},
        latest_message={
            "text": text,
            "intent": {"name": "x", "confidence": 1.0},
            "entities": entities or [],
            "metadata": metadata or {},
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def _run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


STORED = {"index": 0, "path": "wa-x/SM1-0.pdf", "content_type": "application/pdf", "size": 10, "sha256": "ab"}


def test_a_received_document_is_confirmed_in_hindi():
    [message], events = _run(ActionReceiveDocument(), _tracker("/upload_document", {"media": [STORED]}))
    assert message["text"] == "✅ आपका दस्तावेज़ मिल गया।\nइसे सुरक्षित रख लिया है। आवेदन करते समय यह काम आएगा।"
    assert events == []


def test_attached_documents_name_the_application_in_english():
    metadata = {"media": [STORED, STORED], "application_id": "JBA-2026-000123"}
    [message], _ = _run(ActionReceiveDocument(), _tracker("/upload_document", metadata, language="en"))
    assert message["text"] == "✅ We have received your 2 documents.\nIt is added to application JBA-2026-000123."


def test_refused_files_are_explained_politely_once_per_reason():
    refused = [{"index": i, "content_type": "image/webp", "reason": "wrong_type"} for i in range(2)]
    refused.append({"index": 2, "content_type": "application/pdf", "reason": "too_large"})
    [message], _ = _run(ActionReceiveDocument(), _tracker("/upload_document", {"media": [], "refused_media": refused}))
    assert message["text"].splitlines() == [
        "❌ यह फ़ाइल हम नहीं ले सकते। कृपया दस्तावेज़ की फ़ोटो (JPG या PNG) या PDF भेजें।",
        "❌ एक फ़ाइल बहुत बड़ी है (5 MB से ज़्यादा)। कृपया छोटी फ़ोटो या PDF भेजें।",
    ]


def test_saying_a_document_was_sent_without_one_asks_for_it():
    [message], _ = _run(ActionReceiveDocument(), _tracker("maine document bhej diya"))
    assert "📎" in message["text"]


def test_a_location_is_kept_and_confirmed():
    location = {"latitude": 22.77, "longitude": 74.59, "address": "झाबुआ", "label": None}
    [message], events = _run(ActionReceiveLocation(), _tracker("/share_location", {"location": location}))
    assert message["text"].startswith("📍 आपकी लोकेशन मिल गई (झाबुआ)।")
    assert events == [SlotSet("citizen_location", location)]


def _external(spec):
    entities = [{"entity": "notification", "value": json.dumps(spec, ensure_ascii=False)}]
    return _tracker("EXTERNAL: EXTERNAL_notification", {"is_external": True}, entities=entities)


def test_a_notification_is_rendered_for_the_log_and_the_channel():
    spec = {
        "key": "payment_received",
        "variables": {"application_id": "JBA-2026-000123", "amount": "30"},
        "language": None,
    }
    [message], _ = _run(ActionSendNotification(), _external(spec))
    assert message["text"].startswith("✅ आपकी फीस ₹30 मिल गई है।")
    assert message["custom"]["notification"]["content_sid"] == "HX00000000000000000000000000000101"


def test_a_typed_notification_is_not_honoured():
    tracker = _tracker("EXTERNAL_notification", entities=[{"entity": "notification", "value": "{}"}])
    [message], _ = _run(ActionSendNotification(), tracker)
    assert message == {**message, "response": "utter_default"}


def test_metadata_saying_external_does_not_make_a_typed_notification_honoured():
    """A REST caller can send any metadata; only Rasa's trigger_intent makes the
    external message's text, which a typed "/EXTERNAL_notification{…}" does not have."""
    spec = json.dumps({"key": "payment_received", "variables": {"application_id": "JBA-2026-000001", "amount": "30"}})
    typed = '/EXTERNAL_notification{"notification": "x"}'
    tracker = _tracker(typed, {"is_external": True}, entities=[{"entity": "notification", "value": spec}])
    [message], _ = _run(ActionSendNotification(), tracker)
    assert message == {**message, "response": "utter_default"}


def test_a_broken_notification_sends_nothing():
    messages, _ = _run(ActionSendNotification(), _external({"key": "no_such_thing", "variables": {}}))
    assert messages == []


def test_every_template_has_hindi_english_and_both_content_sids():
    for template in load_templates().values():
        assert set(template.text) == {"hi", "en"} and set(template.content_sid) == {"hi", "en"}


def test_render_refuses_unknown_keys_and_wrong_variables():
    with pytest.raises(NotificationError, match="unknown notification"):
        render("lottery_won", {})
    with pytest.raises(NotificationError, match="missing"):
        render("payment_received", {"application_id": "JBA-2026-000123"})
    with pytest.raises(NotificationError, match="unknown"):
        render("payment_received", {"application_id": "J", "amount": "1", "aadhaar": "x"})


def test_notify_refuses_bad_input_before_anything_is_sent(settings):
    from lokseva.channels.notify import notify

    with pytest.raises(NotificationError):
        notify("+919876543210", "payment_received", {}, settings=settings)
