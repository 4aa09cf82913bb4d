"""Webhooks from the gateway: never forged, never counted twice, never lost."""

import json
import threading
import time

import pytest
import requests

from lokseva.payments import flows, settle
from lokseva.payments.gateway import sandbox_credentials

pytestmark = pytest.mark.integration


def open_link(stack, **kwargs):
    app = stack.new_application(**kwargs)
    flows.pay_from_chat(app["channel_user_id"], None, "hi", "")
    [payment] = stack.payments(app["reference"])
    assert payment["status"] == "open"
    return app, payment


def webhook_secret(stack) -> str:
    return sandbox_credentials(stack.settings)[2]


def paid_event(stack, payment, amount=None, payment_id="pay_Test000000001"):
    """What the gateway sends for a paid link (built from the real link)."""
    link = requests.get(
        f"{stack.gateway.base_url}/v1/payment_links/{payment['gateway_link_id']}",
        auth=(stack.gateway.key_id, stack.gateway.key_secret),
        timeout=10,
    ).json()
    link.update(status="paid", amount_paid=link["amount"])
    pay = {
        "id": payment_id,
        "entity": "payment",
        "amount": link["amount"] if amount is None else amount,
        "currency": "INR",
        "status": "captured",
        "order_id": link["order_id"],
        "method": "upi",
        "captured": True,
    }
    return {
        "entity": "event",
        "event": "payment_link.paid",
        "contains": ["payment_link", "order", "payment"],
        "payload": {"payment_link": {"entity": link}, "payment": {"entity": pay}},
        "created_at": int(time.time()),
    }


def unchanged(stack, app, payment):
    [now] = stack.payments(app["reference"])
    return (
        now["status"] == "open"
        and now["gateway_payment_id"] is None
        and stack.application_status(app["reference"]) == "fee_pending"
    )


def test_a_forged_signature_is_refused_with_400_and_changes_nothing(stack):
    app, payment = open_link(stack)
    event = paid_event(stack, payment)
    events_before = stack.events(payment["id"])
    for kwargs in (
        {"secret": "not-the-webhook-secret"},
        {"signature": None},
        {"signature": ""},
        {"signature": "0" * 64},
    ):
        reply = stack.post_webhook(event, **kwargs)
        assert reply.status_code == 400, kwargs
        assert reply.json() == {"error": "invalid signature"}
    # A correctly signed body changed after signing (the amount) is refused too.
    body = json.dumps(event, separators=(",", ":")).encode()
    from lokseva.payments import signatures

    signature = signatures.sign(body, webhook_secret(stack))
    tampered = body.replace(b'"amount_paid":2000', b'"amount_paid":2001')
    assert tampered != body
    reply = requests.post(
        f"{stack.web_url}/payments/webhook",
        data=tampered,
        headers={"X-Razorpay-Signature": signature, "Content-Type": "application/json"},
        timeout=10,
    )
    assert reply.status_code == 400
    assert unchanged(stack, app, payment)
    assert stack.events(payment["id"]) == events_before
    assert stack.history(app["reference"])[-1] == "fee_pending"


def test_a_signed_webhook_with_the_wrong_amount_is_refused_and_logged(stack):
    app, payment = open_link(stack)
    reply = stack.post_webhook(
        paid_event(stack, payment, amount=100, payment_id="pay_Tampered00001"), secret=webhook_secret(stack)
    )
    assert reply.status_code == 200 and reply.json() == {"status": "refused"}
    assert unchanged(stack, app, payment)
    [refused] = [e for e in stack.events(payment["id"]) if e["kind"] == "refused"]
    assert "payment amount 100 != 2000" in refused["note"] and refused["source"] == "webhook"
    assert "REFUSED capture pay_Tampered00001" in stack.web_log()
    # The gateway's own word (reconciliation) still says unpaid: nothing recorded.
    assert settle.sync_payment(payment["id"], source="reconcile").status == "still_open"
    assert unchanged(stack, app, payment)


def test_the_same_webhook_twice_records_one_payment(stack):
    app, payment = open_link(stack)
    stack.gateway.behave("duplicate", times=1)  # the gateway delivers it twice, at once
    stack.gateway.pay(payment["gateway_link_id"])
    stack.wait_for(lambda: stack.application_status(app["reference"]) == "paid", what="paid")
    time.sleep(1.0)  # let the second delivery finish
    delivery = stack.gateway.deliveries()["deliveries"][-1]
    assert delivery["mode"] == "duplicate" and delivery["attempts"] == [200, 200]
    # And once more by hand, as a gateway retry would.
    [paid] = stack.payments(app["reference"])
    replay = paid_event(stack, paid, payment_id=paid["gateway_payment_id"])
    assert stack.post_webhook(replay, secret=webhook_secret(stack)).json() == {"status": "duplicate"}

    assert [p["status"] for p in stack.payments(app["reference"])] == ["paid"]
    assert [e["to_status"] for e in stack.events(paid["id"]) if e["kind"] == "status"] == ["pending", "open", "paid"]
    assert stack.history(app["reference"]).count("paid") == 1
    assert [n["kind"] for n in stack.notices(paid["id"])] == ["receipt"]


def race_reconciliation_with_the_webhook(stack, payment):
    """The citizen pays; the gateway's webhook (0.3 s late) and four reconciliations
    record the paid link at the same moment. Returns the reconciliations' outcomes."""
    stack.gateway.behave("delay", delay_s=0.3, times=1)
    stack.gateway.pay(payment["gateway_link_id"])
    results = []

    def sync():
        results.append(settle.sync_payment(payment["id"], "reconcile").status)

    threads = [threading.Thread(target=sync) for _ in range(4)]
    time.sleep(0.25)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stack.wait_for(lambda: stack.gateway.deliveries()["deliveries"][-1]["attempts"], what="the webhook answered")
    assert results.count("paid") + (stack.gateway.deliveries()["deliveries"][-1]["attempts"] == [200]) >= 1
    return results


def test_a_webhook_racing_the_reconciliation_records_one_payment(stack):
    for _ in range(3):
        app, payment = open_link(stack)
        race_reconciliation_with_the_webhook(stack, payment)
        assert [p["status"] for p in stack.payments(app["reference"])] == ["paid"]
        assert stack.history(app["reference"]).count("paid") == 1
        [paid] = stack.payments(app["reference"])
        assert [e["to_status"] for e in stack.events(paid["id"]) if e["kind"] == "status"].count("paid") == 1
        assert [n["kind"] for n in stack.notices(paid["id"])] == ["receipt"]


def test_a_lost_webhook_is_made_good_by_the_reconciliation_command(stack):
    import subprocess
    import sys

    app, payment = open_link(stack)
    stack.gateway.behave("drop", times=1)
    stack.gateway.pay(payment["gateway_link_id"])
    time.sleep(1.0)
    assert stack.gateway.deliveries()["deliveries"][-1]["mode"] == "drop"
    assert unchanged(stack, app, payment)
    run = subprocess.run(
        [sys.executable, "-m", "lokseva.jobs.reconcile"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, **stack.settings.as_env()},
    )
    assert run.returncode == 0, run.stderr
    assert "'paid': 1" in run.stdout
    [paid] = stack.payments(app["reference"])
    assert paid["status"] == "paid" and stack.application_status(app["reference"]) == "paid"
    [receipt] = stack.notices(paid["id"])
    assert receipt["kind"] == "receipt" and receipt["status"] == "pending", "owed, written with the payment"
    # The outbox job sends it (here the citizen has no WhatsApp number: done, undeliverable).
    job = subprocess.run(
        [sys.executable, "-m", "lokseva.channels.scheduled"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, **stack.settings.as_env()},
    )
    assert job.returncode == 0, job.stderr
    [receipt] = stack.notices(paid["id"])
    assert receipt["sent_at"] is not None and receipt["last_error"].startswith("undeliverable")
    assert [e["source"] for e in stack.events(paid["id"]) if e["to_status"] == "paid"] == ["reconcile"]


def test_a_failed_attempt_is_told_once_and_the_link_stays_payable(stack):
    app, payment = open_link(stack)
    stack.gateway.behave("duplicate", times=1)
    stack.gateway.pay(payment["gateway_link_id"], method="card", outcome="failure")
    stack.wait_for(lambda: [n for n in stack.notices(payment["id"]) if n["sent_at"]], what="the failure notice")
    time.sleep(1.0)
    [notice] = stack.notices(payment["id"])
    assert notice["kind"].startswith("attempt_failed:pay_")
    assert len([e for e in stack.events(payment["id"]) if e["kind"] == "attempt_failed"]) == 1
    assert unchanged(stack, app, payment)
    stack.gateway.pay(payment["gateway_link_id"], method="upi")
    stack.wait_for(lambda: stack.application_status(app["reference"]) == "paid", what="paid after a failure")


def test_an_expired_link_is_replaced_by_a_new_one(stack):
    app, payment = open_link(stack)
    stack.gateway.expire(payment["gateway_link_id"])
    stack.wait_for(
        lambda: len(stack.payments(app["reference"])) == 2 and stack.payments(app["reference"])[1]["status"] == "open",
        what="a new link",
    )
    old, new = stack.payments(app["reference"])
    assert old["status"] == "expired" and new["attempt"] == 2 and new["reference"].endswith("-P02")
    assert new["gateway_link_id"] != old["gateway_link_id"] and new["amount_paise"] == old["amount_paise"]
    stack.wait_for(
        lambda: [n for n in stack.notices(new["id"]) if n["kind"] == "link" and n["sent_at"]], what="the new link sent"
    )
    # The old link's page says so; the new one can be paid.
    assert 'data-testid="expired"' in requests.get(old["link_url"], timeout=10).text
    stack.gateway.pay(new["gateway_link_id"])
    stack.wait_for(lambda: stack.application_status(app["reference"]) == "paid", what="paid on the new link")


def test_an_expired_link_found_in_the_chat_gets_a_new_link_there(stack):
    app, payment = open_link(stack)
    stack.gateway.behave("drop", times=1)
    stack.gateway.expire(payment["gateway_link_id"])
    [reply] = flows.pay_from_chat(app["channel_user_id"], app["reference"], "hi", "link expire ho gaya naya bhejo")
    old, new = stack.payments(app["reference"])
    assert old["status"] == "expired" and new["status"] == "open"
    assert new["link_url"] in reply.text and "नया लिंक" in reply.text
    assert stack.notices(new["id"]) == []  # answered in the chat, not sent twice


def test_a_paid_application_cannot_be_paid_again(stack):
    app, payment = open_link(stack)
    stack.gateway.pay(payment["gateway_link_id"])
    stack.wait_for(lambda: stack.application_status(app["reference"]) == "paid", what="paid")
    [reply] = flows.pay_from_chat(app["channel_user_id"], app["reference"], "hi", "fees bharni hai")
    assert "पहले ही जमा हो चुकी है" in reply.text and "₹20" in reply.text
    assert len(stack.payments(app["reference"])) == 1
    # The link itself cannot be paid twice at the gateway.
    from lokseva.payments.http import GatewayRejected

    with pytest.raises(GatewayRejected):
        stack.gateway.pay(payment["gateway_link_id"])
    # The database refuses a second paid payment for the application, whatever the code does.
    import sqlalchemy as sa

    with pytest.raises(sa.exc.IntegrityError), stack.engine().begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO payments (application_id, reference, attempt, amount_paise, currency, fee_lines, status, "
                "gateway, expires_at, created_at, updated_at) SELECT application_id, reference || 'X', 9, amount_paise, "
                "currency, fee_lines, 'paid', gateway, expires_at, created_at, updated_at FROM payments WHERE id = :id"
            ),
            {"id": payment["id"]},
        )


def test_money_for_an_already_paid_application_is_marked_for_refund(stack):
    """Two links paid for one application (a race the chat prevents, but the gateway
    could still deliver): the second is never counted, it is flagged for refund."""
    app, payment = open_link(stack)
    stack.gateway.pay(payment["gateway_link_id"])
    stack.wait_for(lambda: stack.application_status(app["reference"]) == "paid", what="paid")
    # A second link for the same application, as if made by a process that raced.
    import sqlalchemy as sa
    from lokseva.payments.gateway import LinkRequest

    second = stack.gateway.create_link(
        LinkRequest(
            reference_id=f"{app['reference']}-P02",
            amount_paise=2000,
            description="race",
            expire_by=int(time.time()) + 3600,
            callback_url=f"{stack.web_url}/payments/done",
        )
    )
    with stack.engine().begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO payments (application_id, purpose, subject_id, reference, attempt, amount_paise, currency, "
                "fee_lines, status, gateway, gateway_link_id, gateway_order_id, link_url, expires_at, created_at, updated_at) "
                "SELECT application_id, purpose, subject_id, :ref, 2, amount_paise, currency, fee_lines, 'open', gateway, "
                ":link, :order, :url, "
                "expires_at, created_at, updated_at FROM payments WHERE id = :id"
            ),
            {
                "ref": f"{app['reference']}-P02",
                "link": second.id,
                "order": second.order_id,
                "url": second.short_url,
                "id": payment["id"],
            },
        )
    stack.gateway.pay(second.id)
    stack.wait_for(lambda: stack.payments(app["reference"])[1]["status"] == "refund_due", what="refund due")
    first, refund = stack.payments(app["reference"])
    assert first["status"] == "paid" and refund["gateway_payment_id"].startswith("pay_")
    assert stack.history(app["reference"]).count("paid") == 1
    stack.wait_for(
        lambda: [n for n in stack.notices(refund["id"]) if n["kind"] == "refund_due" and n["sent_at"]],
        what="the refund notice",
    )


def test_a_receipt_that_could_not_be_sent_is_sent_again_by_the_job(stack):
    """The citizen is on WhatsApp but the bot (Rasa) is unreachable: the receipt
    stays owed, the job keeps trying, nothing is lost or sent twice."""
    app, payment = open_link(stack, phone="+919812345670")
    stack.gateway.pay(payment["gateway_link_id"])
    stack.wait_for(lambda: stack.application_status(app["reference"]) == "paid", what="paid")
    stack.wait_for(lambda: stack.notices(payment["id"]) and stack.notices(payment["id"])[0]["last_error"], what="a try")
    [notice] = stack.notices(payment["id"])
    assert notice["kind"] == "receipt" and notice["sent_at"] is None and "Rasa unreachable" in notice["last_error"]
    assert notice["status"] == "pending" and notice["not_before"] is not None, "tried again later"
    # The outbox job's next run takes it once its wait is over (here: at once).
    import sqlalchemy as sa
    from lokseva.channels.proactive import Sender

    with stack.engine().begin() as conn:
        conn.execute(sa.text("UPDATE notifications SET not_before = NULL WHERE id = :i"), {"i": notice["id"]})
    Sender(stack.settings).deliver(notice["citizen_id"])  # what the job does for each citizen
    [again] = stack.notices(payment["id"])
    assert again["sent_at"] is None and again["attempts"] == notice["attempts"] + 1
