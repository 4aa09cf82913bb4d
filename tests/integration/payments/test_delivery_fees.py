"""The postage fee of a home delivery (reference …-D01) on the same gateway:
its webhook and the reconciliation mark that delivery's fee paid, once."""
import pytest

from lokseva.delivery import flows as delivery_flows
from lokseva.delivery.lifecycle import DeliveryAddress
from lokseva.payments import reconcile
from tests.integration.certificates.conftest import issued
from tests.integration.payments.test_webhooks import paid_event, webhook_secret

pytestmark = pytest.mark.integration


def fee_link(stack):
    """An issued certificate whose citizen asked for a printed copy: the delivery
    waits for its postage fee on a link at the sandbox."""
    application, _ = issued()
    address = DeliveryAddress.create("Pitol", "Jhabua", "457661")
    delivery_flows.submit(application["channel_user_id"], application["reference"], address, "typed", "hi")
    delivery = stack.delivery(application["reference"])
    assert delivery["status"] == "payment_pending" and delivery["gateway_link_id"]
    assert delivery["payment_reference"] == f"{application['reference']}-D01"
    return application, delivery


def delivery_history(stack, delivery_id):
    return [(row["to_status"], row["changed_by"]) for row in stack.query(
        "SELECT to_status, changed_by FROM delivery_status_history WHERE delivery_id = :d ORDER BY id", d=delivery_id)]


def test_the_webhook_marks_the_delivery_fee_paid_once(stack):
    application, delivery = fee_link(stack)
    stack.gateway.behave("duplicate", times=1)      # the gateway delivers it twice, at once
    stack.gateway.pay(delivery["gateway_link_id"])
    stack.wait_for(lambda: stack.delivery(application["reference"])["status"] == "requested",
                   what="the webhook to record the postage fee")
    stack.wait_for(lambda: stack.gateway.deliveries()["deliveries"][-1]["attempts"] == [200, 200],
                   what="both deliveries of the webhook answered")
    paid = stack.delivery(application["reference"])
    assert paid["gateway_payment_id"] and paid["paid_at"]
    # A gateway retry, later: acknowledged, nothing recorded again.
    replay = paid_event(stack, delivery, payment_id=paid["gateway_payment_id"])
    assert stack.post_webhook(replay, secret=webhook_secret(stack)).json() == {"status": "duplicate"}

    assert delivery_history(stack, delivery["id"]) == [("payment_pending", "citizen"), ("requested", "payments")]
    [note] = [row["note"] for row in stack.query(
        "SELECT note FROM delivery_status_history WHERE delivery_id = :d AND to_status = 'requested'", d=delivery["id"])]
    assert note == f"fee ₹20 paid ({paid['gateway_payment_id']}, webhook)"
    assert stack.payments(application["reference"]) == [], "not an application fee"
    assert "link we do not know" not in stack.web_log()


def test_a_lost_delivery_fee_webhook_is_made_good_by_the_reconciliation(stack):
    application, delivery = fee_link(stack)
    stack.gateway.behave("drop", times=1)
    stack.gateway.pay(delivery["gateway_link_id"])
    stack.wait_for(lambda: stack.gateway.deliveries()["deliveries"][-1]["mode"] == "drop", what="the dropped webhook")
    assert stack.delivery(application["reference"])["status"] == "payment_pending"

    assert reconcile.reconcile()["delivery_paid"] == 1
    paid = stack.delivery(application["reference"])
    assert paid["status"] == "requested" and paid["gateway_payment_id"]
    assert delivery_history(stack, delivery["id"])[-1] == ("requested", "payments")
    # Run again, and the late webhook arrives after all: nothing is recorded twice.
    assert "delivery_paid" not in reconcile.reconcile()
    late = paid_event(stack, delivery, payment_id=paid["gateway_payment_id"])
    assert stack.post_webhook(late, secret=webhook_secret(stack)).json() == {"status": "duplicate"}
    assert [s for s, _ in delivery_history(stack, delivery["id"])].count("requested") == 1


def test_a_signed_delivery_fee_webhook_with_the_wrong_amount_is_refused(stack):
    application, delivery = fee_link(stack)
    forged = paid_event(stack, delivery, amount=100, payment_id="pay_TamperedD0001")
    assert stack.post_webhook(forged, secret=webhook_secret(stack)).json() == {"status": "refused"}
    unpaid = stack.delivery(application["reference"])
    assert unpaid["status"] == "payment_pending" and unpaid["gateway_payment_id"] is None
    assert "REFUSED delivery fee pay_TamperedD0001" in stack.web_log()


def test_an_expired_delivery_fee_link_cancels_the_delivery_by_webhook(stack):
    application, delivery = fee_link(stack)
    stack.gateway.expire(delivery["gateway_link_id"])
    stack.wait_for(lambda: stack.delivery(application["reference"])["status"] == "cancelled",
                   what="the expiry webhook")
    assert delivery_history(stack, delivery["id"])[-1] == ("cancelled", "webhook")
