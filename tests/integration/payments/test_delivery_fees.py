"""The postage fee of a home delivery (reference …-D01) is a payment in the one
ledger, on the same gateway: the one webhook handler and the one
reconciliation record it like any fee, and the delivery is marked paid once;
the portal shows it beside the application's fee."""

import pytest

from lokseva.db import session_scope
from lokseva.delivery import flows as delivery_flows
from lokseva.delivery.lifecycle import DeliveryAddress
from lokseva.payments import reconcile
from tests.integration.certificates.conftest import issued
from tests.integration.payments.test_webhooks import paid_event, race_reconciliation_with_the_webhook, webhook_secret

pytestmark = pytest.mark.integration


def fee_link(stack):
    """An issued certificate whose citizen asked for a printed copy: the delivery
    waits for its postage fee, a payment of the ledger with its link at the sandbox."""
    application, _ = issued()
    address = DeliveryAddress.create("Pitol", "Jhabua", "457661")
    delivery_flows.submit(application["channel_user_id"], application["reference"], address, "typed", "hi")
    delivery = stack.delivery(application["reference"])
    assert delivery["status"] == "payment_pending"
    [payment] = stack.postage(delivery["id"])
    assert payment["status"] == "open" and payment["gateway_link_id"] and payment["amount_paise"] == 2000
    assert payment["reference"] == f"{application['reference']}-D01"
    assert payment["application_id"] == delivery["application_id"]
    return application, delivery, payment


def delivery_history(stack, delivery_id):
    return [
        (row["to_status"], row["changed_by"])
        for row in stack.query(
            "SELECT to_status, changed_by FROM delivery_status_history WHERE delivery_id = :d ORDER BY id",
            d=delivery_id,
        )
    ]


def delivery_messages(stack, application):
    """The delivery steps written for the citizen (the notification outbox)."""
    return [
        row["variables"]
        for row in stack.query(
            "SELECT n.variables FROM notifications n JOIN applications a ON a.citizen_id = n.citizen_id "
            "WHERE a.reference = :r ORDER BY n.id",
            r=application["reference"],
        )
    ]


def paid_once(stack, application, delivery, payment_id):
    """The delivery moved to requested once, by payments; the ledger holds one paid payment."""
    assert [s for s, _ in delivery_history(stack, delivery["id"])] == ["payment_pending", "requested"]
    [paid] = stack.postage(delivery["id"])
    assert paid["status"] == "paid" and paid["gateway_payment_id"] == payment_id and paid["paid_at"]
    statuses = [e["to_status"] for e in stack.events(paid["id"]) if e["kind"] == "status"]
    assert statuses.count("paid") == 1
    return paid


def test_the_webhook_marks_the_delivery_fee_paid_once(stack):
    application, delivery, payment = fee_link(stack)
    stack.gateway.behave("duplicate", times=1)  # the gateway delivers it twice, at once
    stack.gateway.pay(payment["gateway_link_id"])
    stack.wait_for(
        lambda: stack.delivery(application["reference"])["status"] == "requested",
        what="the webhook to record the postage fee",
    )
    stack.wait_for(
        lambda: stack.gateway.deliveries()["deliveries"][-1]["attempts"] == [200, 200],
        what="both deliveries of the webhook answered",
    )
    [paid] = stack.postage(delivery["id"])
    paid = paid_once(stack, application, delivery, paid["gateway_payment_id"])
    # A gateway retry, later: acknowledged, nothing recorded again.
    replay = paid_event(stack, payment, payment_id=paid["gateway_payment_id"])
    assert stack.post_webhook(replay, secret=webhook_secret(stack)).json() == {"status": "duplicate"}
    paid_once(stack, application, delivery, paid["gateway_payment_id"])

    assert delivery_history(stack, delivery["id"]) == [("payment_pending", "citizen"), ("requested", "payments")]
    [note] = [
        row["note"]
        for row in stack.query(
            "SELECT note FROM delivery_status_history WHERE delivery_id = :d AND to_status = 'requested'",
            d=delivery["id"],
        )
    ]
    assert note == f"fee ₹20 paid ({paid['gateway_payment_id']}, webhook)"
    assert stack.payments(application["reference"]) == [], "not an application fee"
    assert "link we do not know" not in stack.web_log()
    # The citizen is told once that the fee came and printing follows.
    told = [m for m in delivery_messages(stack, application) if "डाक की फीस ₹20 मिल गई" in str(m)]
    assert len(told) == 1


def test_the_reconciliation_racing_the_webhook_marks_the_delivery_paid_once(stack):
    for _ in range(3):
        application, delivery, payment = fee_link(stack)
        results = race_reconciliation_with_the_webhook(stack, payment)
        assert set(results) <= {"paid", "duplicate"} and results.count("paid") <= 1
        [paid] = stack.postage(delivery["id"])
        paid_once(stack, application, delivery, paid["gateway_payment_id"])
        assert stack.delivery(application["reference"])["status"] == "requested"


def test_a_lost_delivery_fee_webhook_is_made_good_by_the_reconciliation(stack):
    application, delivery, payment = fee_link(stack)
    stack.gateway.behave("drop", times=1)
    stack.gateway.pay(payment["gateway_link_id"])
    stack.wait_for(lambda: stack.gateway.deliveries()["deliveries"][-1]["mode"] == "drop", what="the dropped webhook")
    assert stack.delivery(application["reference"])["status"] == "payment_pending"

    assert reconcile.reconcile()["postage_paid"] == 1
    [paid] = stack.postage(delivery["id"])
    assert stack.delivery(application["reference"])["status"] == "requested" and paid["gateway_payment_id"]
    assert delivery_history(stack, delivery["id"])[-1] == ("requested", "payments")
    assert [e["source"] for e in stack.events(paid["id"]) if e["to_status"] == "paid"] == ["reconcile"]
    # Run again, and the late webhook arrives after all: nothing is recorded twice.
    assert "postage_paid" not in reconcile.reconcile()
    late = paid_event(stack, payment, payment_id=paid["gateway_payment_id"])
    assert stack.post_webhook(late, secret=webhook_secret(stack)).json() == {"status": "duplicate"}
    assert [s for s, _ in delivery_history(stack, delivery["id"])].count("requested") == 1


def test_a_signed_delivery_fee_webhook_with_the_wrong_amount_is_refused(stack):
    application, delivery, payment = fee_link(stack)
    forged = paid_event(stack, payment, amount=100, payment_id="pay_TamperedD0001")
    assert stack.post_webhook(forged, secret=webhook_secret(stack)).json() == {"status": "refused"}
    assert stack.delivery(application["reference"])["status"] == "payment_pending"
    [unpaid] = stack.postage(delivery["id"])
    assert unpaid["status"] == "open" and unpaid["gateway_payment_id"] is None
    assert "REFUSED capture pay_TamperedD0001" in stack.web_log()
    assert [e["kind"] for e in stack.events(unpaid["id"])][-1] == "refused", "kept in the fee's history for staff"


def test_an_expired_delivery_fee_link_cancels_the_delivery_by_webhook(stack):
    application, delivery, payment = fee_link(stack)
    stack.gateway.expire(payment["gateway_link_id"])
    stack.wait_for(lambda: stack.delivery(application["reference"])["status"] == "cancelled", what="the expiry webhook")
    assert delivery_history(stack, delivery["id"])[-1] == ("cancelled", "webhook")
    [expired] = stack.postage(delivery["id"])
    assert expired["status"] == "expired"
    assert len(stack.postage(delivery["id"])) == 1, "a postage link is not replaced: the citizen asks again"


def test_money_for_a_delivery_no_longer_waiting_is_refund_due(stack):
    application, delivery, payment = fee_link(stack)
    stack.gateway.behave("drop", times=1)
    stack.gateway.pay(payment["gateway_link_id"])
    stack.wait_for(lambda: stack.gateway.deliveries()["deliveries"][-1]["mode"] == "drop", what="the dropped webhook")
    delivery_flows.advance(delivery["id"], "cancelled", by="staff:1", note="asked at the Kendra instead")
    assert reconcile.reconcile()["postage_refund_due"] == 1
    [refund] = stack.postage(delivery["id"])
    assert refund["status"] == "refund_due" and refund["gateway_payment_id"]
    assert stack.delivery(application["reference"])["status"] == "cancelled"


def test_a_postage_payment_appears_in_the_portal_beside_the_application_fee(stack):
    import datetime as dt

    from lokseva.applications import service as repo
    from lokseva.portal import analytics, decisions

    application, delivery, payment = fee_link(stack)
    with session_scope(repo.engine()) as session:
        before = analytics.application_stats(session, days=1, district="JBA")
    stack.gateway.pay(payment["gateway_link_id"])
    stack.wait_for(lambda: stack.postage(delivery["id"])[0]["status"] == "paid", what="the postage paid")
    with session_scope(repo.engine()) as session:
        file = decisions.application_file(session, application["reference"], dt.date.today())
        shown = [(p.reference, p.purpose, p.amount_paise, p.status) for p in file.payments]
        after = analytics.application_stats(session, days=1, district="JBA")
    assert shown == [(f"{application['reference']}-D01", "postage", 2000, "paid")]
    # The fees received count it as any fee.
    assert (after.paid_count - before.paid_count, after.paid_total_paise - before.paid_total_paise) == (1, 2000)


def test_a_postage_link_the_gateway_could_not_make_is_made_and_sent_by_the_reconciliation(stack):
    import datetime as dt

    application, _ = issued()
    stack.gateway.fail(500, times=50, path="/v1/")
    address = DeliveryAddress.create("Pitol", "Jhabua", "457661")
    [reply] = delivery_flows.submit(application["channel_user_id"], application["reference"], address, "typed", "hi")
    assert "थोड़ी देर में यहीं भेज देंगे" in reply.text
    delivery = stack.delivery(application["reference"])
    [payment] = stack.postage(delivery["id"])
    assert delivery["status"] == "payment_pending" and payment["status"] == "pending"

    stack.gateway.reset()
    assert reconcile.reconcile(pending_grace=dt.timedelta(0)).get("link_open", 0) >= 1
    [payment] = stack.postage(delivery["id"])
    assert payment["status"] == "open" and payment["link_url"]
    sent = [m for m in delivery_messages(stack, application) if payment["link_url"] in str(m)]
    assert len(sent) == 1 and "डाक की फीस: ₹20" in str(sent[0]), "the citizen gets the link, once"
    reconcile.reconcile(pending_grace=dt.timedelta(0))
    assert len([m for m in delivery_messages(stack, application) if payment["link_url"] in str(m)]) == 1
