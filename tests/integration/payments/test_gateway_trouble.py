"""When the gateway is slow, busy or down: the citizen is told, nothing is lost,
and the request is made again (by the chat's retries, then by the reconciliation)."""

import datetime as dt
import time

import pytest
import requests

from lokseva.channels.proactive import Sender
from lokseva.payments import flows, reconcile

pytestmark = pytest.mark.integration


def links_for(stack, reference):
    return requests.get(
        f"{stack.gateway.base_url}/v1/payment_links",
        params={"reference_id": reference},
        auth=(stack.gateway.key_id, stack.gateway.key_secret),
        timeout=10,
    ).json()["payment_links"]


@pytest.mark.parametrize("answer_lost", [False, True], ids=["not-created", "created-but-answer-lost"])
def test_a_gateway_timeout_is_told_to_the_citizen_and_retried(stack, answer_lost):
    app = stack.new_application()
    # The create times out, and so does the look-up that follows it.
    stack.gateway.fail("timeout", times=2, path="/v1/payment_links", after=answer_lost, delay_s=7)
    started = time.monotonic()
    [reply] = flows.pay_from_chat(app["channel_user_id"], None, "hi", "payment link bhejo")
    waited = time.monotonic() - started
    assert "भुगतान की सेवा अभी धीमी" in reply.text and app["reference"] in reply.text
    assert waited < 15, f"the citizen waited {waited:.0f} s"
    [payment] = stack.payments(app["reference"])
    assert payment["status"] == "pending" and payment["gateway_link_id"] is None

    counts = reconcile.reconcile(pending_grace=dt.timedelta(0))
    assert counts.get("link_open") == 1, counts
    [payment] = stack.payments(app["reference"])
    assert payment["status"] == "open" and payment["link_url"]
    assert len(links_for(stack, payment["reference"])) == 1, "one link at the gateway, never two"
    [notice] = stack.notices(payment["id"])
    assert notice["kind"] == "link" and notice["status"] == "pending"
    Sender(stack.settings).deliver_due()  # the outbox job
    [notice] = stack.notices(payment["id"])
    assert notice["sent_at"] is not None


def test_server_errors_and_rate_limits_are_retried_without_the_citizen_noticing(stack):
    app = stack.new_application()
    stack.gateway.fail(503, times=1, path="/v1/payment_links")
    stack.gateway.fail(429, times=1, path="/v1/payment_links")
    [reply] = flows.pay_from_chat(app["channel_user_id"], None, "en", "pay now")
    assert "Pay with UPI" in reply.text
    [payment] = stack.payments(app["reference"])
    assert payment["status"] == "open" and len(links_for(stack, payment["reference"])) == 1


def test_a_gateway_that_stays_down_leaves_the_payment_pending_for_the_job(stack):
    app = stack.new_application()
    stack.gateway.fail(500, times=50, path="/v1/")
    [reply] = flows.pay_from_chat(app["channel_user_id"], None, "en", "pay now")
    assert "payment service is slow" in reply.text
    counts = reconcile.reconcile(pending_grace=dt.timedelta(0))
    assert counts.get("link_unavailable") == 1 and stack.payments(app["reference"])[0]["status"] == "pending"
    stack.gateway.reset()
    counts = reconcile.reconcile(pending_grace=dt.timedelta(0))
    assert counts.get("link_open") == 1
    # The citizen asking again meanwhile gets the same link, not a second one.
    [again] = flows.pay_from_chat(app["channel_user_id"], None, "en", "pay now")
    [payment] = stack.payments(app["reference"])
    assert payment["link_url"] in again.text
