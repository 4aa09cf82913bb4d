"""intent request_home_delivery end to end, minus the NLU: the actions and the
address form's validation, the postage fee (a payment in the payments ledger)
paid on the sandbox gateway's hosted page (the browser comes back to the real
web app), a lost webhook made good by the payments reconciliation, and staff
moving the letter on with the state machine refusing wrong moves."""

from __future__ import annotations

import re

import pytest
import requests
from rasa_sdk.executor import CollectingDispatcher

from actions.certificates import (
    ActionRequestHomeDelivery,
    ActionStopHomeDelivery,
    ActionSubmitHomeDelivery,
    ValidateHomeDeliveryForm,
)
from lokseva.delivery import flows
from lokseva.delivery.lifecycle import DeliveryStatus as S, InvalidDeliveryValue, InvalidTransition
from lokseva.payments import reconcile
from tests.integration.certificates.conftest import run_action, tracker

pytestmark = pytest.mark.integration


def delivery_of(stack, reference):
    rows = stack.query(
        "SELECT d.* FROM deliveries d JOIN applications a ON a.id = d.application_id "
        "WHERE a.reference = :r ORDER BY d.id",
        r=reference,
    )
    return rows[-1] if rows else None


def history_of(stack, delivery_id):
    return [
        r["to_status"]
        for r in stack.query(
            "SELECT to_status FROM delivery_status_history WHERE delivery_id = :d ORDER BY id", d=delivery_id
        )
    ]


def start(stack, application, **kwargs):
    messages, events = run_action(
        ActionRequestHomeDelivery(),
        application["channel_user_id"],
        text="ghar pe bhej do",
        intent="request_home_delivery",
        **kwargs,
    )
    return messages, {e["name"] if e["event"] == "slot" else e["event"]: e.get("value", e.get("name")) for e in events}


def submit(application, slots):
    return run_action(ActionSubmitHomeDelivery(), application["channel_user_id"], slots=slots)


def pay_in_browser(stack, link_url):
    """What the citizen does: open the link, choose UPI, pay; the browser follows
    the gateway's signed redirect back to our /delivery/paid."""
    return requests.post(link_url + "/pay", data={"method": "upi", "outcome": "success"}, timeout=20)


def test_saved_address_fee_paid_in_the_browser_then_printed_posted_delivered(stack):
    application, certificate = stack.issued()
    messages, events = start(stack, application)
    assert messages == []
    assert events["delivery_application_id"] == application["reference"]
    assert events["delivery_saved_address"] == "ग्राम पिटोल, फलिया बड़ा, झाबुआ, 457661"

    messages, events = submit(
        application,
        {
            "delivery_application_id": application["reference"],
            "delivery_saved_address": "ग्राम पिटोल, फलिया बड़ा, झाबुआ, 457661",
            "delivery_use_saved_address": True,
        },
    )
    text = messages[0]["text"]
    assert "स्पीड पोस्ट" in text and "₹20" in text and "ग्राम पिटोल" in text
    link = re.search(r"https?://\S+", text).group(0)
    assert all(e["value"] is None for e in events)  # the form's slots are cleared

    delivery = delivery_of(stack, application["reference"])
    assert (delivery["status"], delivery["fee_paise"], delivery["address_source"]) == (
        "payment_pending",
        2000,
        "application",
    )
    postage = stack.postage(application["reference"])
    assert postage["reference"] == f"{application['reference']}-D01" and postage["subject_id"] == delivery["id"]
    assert postage["link_url"] == link and postage["status"] == "open" and postage["amount_paise"] == 2000

    # Asking again while the fee is awaited: no second delivery, the same link again.
    messages, events = start(stack, application)
    assert "पहले से चल रहा है" in messages[0]["text"] and link in messages[1]["text"]
    assert events == {"delivery_application_id": None}

    page = pay_in_browser(stack, link)
    assert page.url.startswith(stack.web_url + "/delivery/paid") and "डाक की फीस जमा हो गई" in page.text
    delivery = delivery_of(stack, application["reference"])
    postage = stack.postage(application["reference"])
    assert delivery["status"] == "requested" and postage["status"] == "paid"
    assert postage["paid_at"] and postage["gateway_payment_id"]

    # The office prints, posts and India Post delivers; the state machine checks each move.
    with pytest.raises(InvalidTransition):
        flows.advance(delivery["id"], S.DELIVERED, by="staff:4")
    flows.advance(delivery["id"], S.PRINTED, by="staff:4")
    with pytest.raises(InvalidDeliveryValue, match="check digit"):
        flows.advance(delivery["id"], S.DISPATCHED, by="staff:4", tracking_number="EE123456784IN")
    with pytest.raises(InvalidTransition, match="tracking"):
        flows.advance(delivery["id"], S.DISPATCHED, by="staff:4")
    flows.advance(delivery["id"], S.DISPATCHED, by="staff:4", tracking_number="ee 123456785 in")
    flows.advance(delivery["id"], S.DELIVERED, by="staff:4")
    with pytest.raises(InvalidTransition):
        flows.advance(delivery["id"], S.RETURNED, by="staff:4")

    delivery = delivery_of(stack, application["reference"])
    assert delivery["tracking_number"] == "EE123456785IN"
    assert history_of(stack, delivery["id"]) == ["payment_pending", "requested", "printed", "dispatched", "delivered"]
    [status] = stack.query("SELECT status FROM applications WHERE reference = :r", r=application["reference"])
    assert status["status"] == "delivered"


def test_a_typed_address_with_a_location_pin_and_the_reconciliation(stack):
    application, _ = stack.issued("domicile_certificate", address_pin=None)  # no complete address on file
    pin = {"latitude": 22.7676, "longitude": 74.5953, "address": None, "label": None}
    messages, events = start(stack, application, slots={"citizen_location": pin})
    assert events["delivery_saved_address"] is None and events["delivery_location"] == pin

    validator = ValidateHomeDeliveryForm()
    dispatcher = CollectingDispatcher()
    for said, intent, meant in [
        ("/affirm", "affirm", True),
        ("haan isi pate pe", "inform", True),
        ("नहीं, दूसरा पता", "deny", False),
        ("kalyanpura phaliya", "inform", False),
    ]:
        assert validator.validate_delivery_use_saved_address(
            said, dispatcher, tracker("x", text=said, intent=intent), {}
        ) == {"delivery_use_saved_address": meant}
    assert validator.validate_delivery_pin("1234", dispatcher, tracker("x"), {}) == {"delivery_pin": None}
    assert "6 अंकों" in dispatcher.messages[-1]["text"]  # told what is wrong, in Hindi
    assert validator.validate_delivery_pin("110001", dispatcher, tracker("x"), {}) == {"delivery_pin": None}
    assert "मध्यप्रदेश" in dispatcher.messages[-1]["text"]
    assert validator.validate_delivery_pin("पिन ४५७७७३", dispatcher, tracker("x"), {}) == {"delivery_pin": "457773"}
    # The tehsils offered are those of the certificate's district (its id starts with JBA).
    jhabua = tracker("x", slots={"delivery_application_id": application["reference"]})
    assert validator.validate_delivery_tehsil("2", dispatcher, jhabua, {}) == {"delivery_tehsil": "Petlawad"}
    assert validator.validate_delivery_village("gaon raipuria", dispatcher, tracker("x"), {}) == {
        "delivery_village": "Raipuria"
    }
    # A location pin sent instead of the village name: kept, and its label used as the name.
    pinned = tracker(
        "x", text="/share_location", intent="share_location", metadata={"location": {**pin, "label": "बामनिया फलिया"}}
    )
    assert validator.validate_delivery_village("/share_location", dispatcher, pinned, {}) == {
        "delivery_location": {**pin, "label": "बामनिया फलिया"},
        "delivery_village": "बामनिया फलिया",
    }
    assert "लोकेशन मिल गई" in dispatcher.messages[-1]["text"]

    messages, _ = submit(
        application,
        {
            "delivery_application_id": application["reference"],
            "delivery_use_saved_address": None,
            "delivery_village": "Raipuria",
            "delivery_tehsil": "Petlawad",
            "delivery_pin": "457773",
            "delivery_location": pin,
        },
    )
    delivery = delivery_of(stack, application["reference"])
    assert (delivery["village"], delivery["tehsil"], delivery["pin"], delivery["address_source"]) == (
        "Raipuria",
        "Petlawad",
        "457773",
        "location",
    )
    assert (delivery["latitude"], delivery["longitude"]) == (22.7676, 74.5953)

    # Paid without coming back to our page (browser closed) and the webhook lost:
    # the payments reconciliation finds it, as for any fee.
    stack.gateway.behave("drop", times=1)
    stack.gateway.pay(stack.postage(application["reference"])["gateway_link_id"])
    stack.wait_for(lambda: stack.gateway.deliveries()["deliveries"][-1]["mode"] == "drop", what="the dropped webhook")
    assert delivery_of(stack, application["reference"])["status"] == "payment_pending"
    assert reconcile.reconcile()["postage_paid"] == 1
    assert delivery_of(stack, application["reference"])["status"] == "requested"


def test_an_expired_fee_link_cancels_and_a_new_request_starts_afresh(stack):
    application, _ = stack.issued()
    start(stack, application)
    submit(
        application,
        {
            "delivery_application_id": application["reference"],
            "delivery_saved_address": "x",
            "delivery_use_saved_address": True,
        },
    )
    first = delivery_of(stack, application["reference"])
    stack.gateway.expire(stack.postage(application["reference"])["gateway_link_id"])
    stack.wait_for(
        lambda: delivery_of(stack, application["reference"])["status"] == "cancelled",
        what="the expired link to cancel the delivery",
    )

    messages, events = start(stack, application)
    submit(
        application,
        {
            "delivery_application_id": application["reference"],
            "delivery_saved_address": "x",
            "delivery_use_saved_address": True,
        },
    )
    second = delivery_of(stack, application["reference"])
    postage = stack.postage(application["reference"])
    assert second["id"] != first["id"] and postage["reference"].endswith("-D02")
    assert postage["subject_id"] == second["id"] and postage["status"] == "open"


def test_nothing_to_send_yet_another_citizen_and_stopping(stack):
    pending = stack.approved_application()
    messages, events = start(stack, pending)
    assert "बनने के बाद ही" in messages[0]["text"] and events == {"delivery_application_id": None}

    application, _ = stack.issued()
    messages, events = run_action(
        ActionRequestHomeDelivery(),
        "wa-not-the-owner",
        intent="request_home_delivery",
        text=f"{application['reference']} ghar bhejo",
    )
    assert "आपके नंबर से नहीं मिला" in messages[0]["text"]
    assert events == [{"event": "slot", "timestamp": None, "name": "delivery_application_id", "value": None}]

    messages, events = run_action(
        ActionStopHomeDelivery(), application["channel_user_id"], intent="stop", active_loop="home_delivery_form"
    )
    assert "नहीं भेजा जाएगा" in messages[0]["text"]
    assert {"event": "active_loop", "name": None} in [{k: e.get(k) for k in ("event", "name")} for e in events]
    assert delivery_of(stack, application["reference"]) is None
