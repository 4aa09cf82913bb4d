"""The Rasa actions of payments, run as the action server runs them (a Tracker,
a CollectingDispatcher), against the real database and sandbox gateway."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.payments import ActionOfferPayment, ActionPayFee

pytestmark = pytest.mark.integration


def tracker(sender, text, intent="pay_fee", entities=(), language="hi", events=()):
    return Tracker(
        sender_id=sender,
        slots={"language": language},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": list(entities)},
        events=list(events),
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, events


def test_pay_fee_with_a_question_answers_it_then_sends_the_link(stack):
    app = stack.new_application()
    messages, events = run(ActionPayFee(), tracker(app["channel_user_id"], "PhonePe se payment ho jayega kya"))
    assert events == []
    assert [m["text"].split("\n")[0] for m in messages][0].startswith("हाँ ✅ UPI")
    [payment] = stack.payments(app["reference"])
    assert payment["link_url"] in messages[1]["text"]


def test_pay_fee_with_an_application_id_entity(stack):
    citizen = "test-actions-entity"
    first = stack.new_application(channel_user_id=citizen)
    second = stack.new_application(channel_user_id=citizen)
    entity = {"entity": "application_id", "value": second["reference"].lower(), "start": 0, "end": 15}
    messages, _ = run(
        ActionPayFee(), tracker(citizen, f"{second['reference']} ki fees", entities=[entity], language="en")
    )
    assert len(messages) == 1 and second["reference"] in messages[0]["text"] and "Pay with UPI" in messages[0]["text"]
    assert stack.payments(first["reference"]) == []
    # The same id typed but missed by the NLU (no entity), in Devanagari digits.
    typed = first["reference"].replace("-", " ").translate(str.maketrans("0123456789", "०१२३४५६७८९"))
    messages, _ = run(ActionPayFee(), tracker(citizen, f"{typed} ka payment karna hai", language="en"))
    assert len(messages) == 1 and first["reference"] in messages[0]["text"]


def test_several_applications_waiting_get_buttons(stack):
    citizen = "test-actions-buttons"
    stack.new_application(channel_user_id=citizen)
    stack.new_application(channel_user_id=citizen)
    messages, _ = run(ActionPayFee(), tracker(citizen, "fees bharni hai"))
    [message] = messages
    assert len(message["buttons"]) == 2 and all(b["payload"].startswith("/pay_fee{") for b in message["buttons"])


def test_the_payment_link_follows_the_receipt_only_in_the_turn_of_the_submission(stack):
    app = stack.new_application()
    submitted = [
        {"event": "user", "text": "haan"},
        {"event": "action", "name": "action_finish_application"},
        {"event": "slot", "name": "last_application_id", "value": app["reference"]},
    ]
    messages, _ = run(ActionOfferPayment(), tracker(app["channel_user_id"], "haan", intent="affirm", events=submitted))
    [message] = messages
    assert app["reference"] in message["text"] and stack.payments(app["reference"])[0]["link_url"] in message["text"]
    # A later form that was stopped: the older application's slot is still set, but no link is sent.
    stopped = submitted + [{"event": "user", "text": "ruko"}, {"event": "action", "name": "action_finish_application"}]
    messages, _ = run(ActionOfferPayment(), tracker(app["channel_user_id"], "ruko", intent="stop", events=stopped))
    assert messages == []
