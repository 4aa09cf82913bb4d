"""The sandbox gateway keeps Razorpay's Payment Links contract, over real HTTP:
the gateway client of lokseva.payments talks to it, and a local receiver
collects its webhooks."""

from __future__ import annotations

import json
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from lokseva.devtools.sandbox_gateway import Sandbox, make_server
from lokseva.payments import signatures
from lokseva.payments.gateway import LinkRequest, SandboxGateway, parse_webhook
from lokseva.payments.http import GatewayRejected, GatewayUnavailable, RetryPolicy

KEY_ID, KEY_SECRET, WEBHOOK_SECRET = "rzp_test_x", "key-secret", "webhook-secret"


def _serve(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def receiver():
    """Our side: records every webhook (raw body and headers)."""
    received: "queue.Queue[dict]" = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.put({"body": body, "headers": dict(self.headers)})
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = _serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
    server.received = received
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def sandbox_server(receiver):
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)  # only to pick a free port
    port = server.server_address[1]
    server.server_close()
    url = f"http://127.0.0.1:{port}"
    sandbox = Sandbox(
        url, KEY_ID, KEY_SECRET, WEBHOOK_SECRET, f"http://127.0.0.1:{receiver.server_address[1]}/payments/webhook"
    )
    httpd = _serve(make_server("127.0.0.1", port, sandbox))
    httpd.url = url
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def gateway(sandbox_server, receiver):
    gw = SandboxGateway(
        sandbox_server.url,
        KEY_ID,
        KEY_SECRET,
        WEBHOOK_SECRET,
        policy=RetryPolicy(max_attempts=3, base_delay=0.05, read_timeout=1.0),
    )
    gw.reset()
    while not receiver.received.empty():
        receiver.received.get_nowait()
    return gw


_counter = [0]


def request(amount=2000, **overrides) -> LinkRequest:
    _counter[0] += 1
    fields = dict(
        reference_id=f"JBA-2026-{_counter[0]:06d}-P01",
        amount_paise=amount,
        description="आय प्रमाण पत्र की फीस",
        expire_by=int(time.time()) + 24 * 3600,
        callback_url="http://127.0.0.1:1/payments/done",
        notes={"application_id": f"JBA-2026-{_counter[0]:06d}"},
    )
    fields.update(overrides)
    return LinkRequest(**fields)


def next_webhook(receiver, timeout=5.0) -> dict:
    return receiver.received.get(timeout=timeout)


def test_create_fetch_and_find(gateway):
    req = request()
    link = gateway.create_link(req)
    assert link.id.startswith("plink_") and link.status == "created"
    assert link.amount_paise == 2000 and link.currency == "INR" and link.reference_id == req.reference_id
    assert link.short_url.startswith(gateway.base_url + "/i/")
    assert gateway.fetch_link(link.id) == link
    assert gateway.find_by_reference(req.reference_id).id == link.id
    assert gateway.find_by_reference("no-such-reference") is None


def test_wrong_keys_are_refused(sandbox_server):
    reply = requests.post(f"{sandbox_server.url}/v1/payment_links", json={"amount": 2000}, auth=(KEY_ID, "wrong"))
    assert reply.status_code == 401
    assert reply.json()["error"]["code"] == "BAD_REQUEST_ERROR"


@pytest.mark.parametrize(
    "overrides, field",
    [
        (dict(amount_paise=99), "amount"),
        (dict(expire_by=int(time.time()) + 60), "expire_by"),
        (dict(reference_id="R" * 41), "reference_id"),
    ],
)
def test_invalid_links_are_refused_like_razorpay(gateway, overrides, field):
    with pytest.raises(GatewayRejected) as raised:
        gateway.create_link(request(**overrides))
    assert raised.value.status == 400 and raised.value.field == field


def test_a_reference_is_unique_and_creating_again_returns_the_same_link(gateway, sandbox_server):
    req = request()
    first = gateway.create_link(req)
    raw = requests.post(f"{sandbox_server.url}/v1/payment_links", json=req.as_api(), auth=(KEY_ID, KEY_SECRET))
    assert raw.status_code == 400 and raw.json()["error"]["field"] == "reference_id"
    assert gateway.create_link(req).id == first.id


def test_paid_webhook_is_signed_over_the_raw_body_with_razorpay_shape(gateway, receiver):
    link = gateway.create_link(request(amount=4000))
    gateway.pay(link.id, method="upi")
    hook = next_webhook(receiver)
    assert signatures.verify(hook["body"], hook["headers"]["X-Razorpay-Signature"], WEBHOOK_SECRET)
    assert hook["headers"]["X-Razorpay-Event-Id"].startswith("evt_")
    event = parse_webhook(hook["body"])
    data = json.loads(hook["body"])
    assert data["entity"] == "event" and data["contains"] == ["payment_link", "order", "payment"]
    assert event.event == "payment_link.paid"
    assert event.link["id"] == link.id and event.link["status"] == "paid" and event.link["amount_paid"] == 4000
    assert event.payment["id"].startswith("pay_") and event.payment["status"] == "captured"
    assert event.payment["amount"] == 4000 and event.payment["currency"] == "INR" and event.payment["method"] == "upi"
    fetched = gateway.fetch_link(link.id)
    assert fetched.status == "paid" and fetched.captured_payment.payment_id == event.payment["id"]


def test_a_failed_attempt_leaves_the_link_payable(gateway, receiver):
    link = gateway.create_link(request())
    gateway.pay(link.id, method="card", outcome="failure")
    event = parse_webhook(next_webhook(receiver)["body"])
    assert event.event == "payment.failed" and event.payment["order_id"] == link.order_id
    assert gateway.fetch_link(link.id).status == "created"
    gateway.pay(link.id)
    assert parse_webhook(next_webhook(receiver)["body"]).event == "payment_link.paid"


def test_a_paid_link_cannot_be_paid_or_cancelled_again(gateway, receiver):
    link = gateway.create_link(request())
    gateway.pay(link.id)
    next_webhook(receiver)
    with pytest.raises(GatewayRejected) as raised:
        gateway.pay(link.id)
    assert "paid" in raised.value.description
    with pytest.raises(GatewayRejected):
        gateway.cancel_link(link.id)


def test_expire_and_cancel_send_their_webhooks(gateway, receiver):
    first, second = gateway.create_link(request()), gateway.create_link(request())
    gateway.expire(first.id)
    assert parse_webhook(next_webhook(receiver)["body"]).event == "payment_link.expired"
    assert gateway.fetch_link(first.id).status == "expired"
    assert gateway.cancel_link(second.id).status == "cancelled"
    assert parse_webhook(next_webhook(receiver)["body"]).event == "payment_link.cancelled"


def test_server_errors_and_rate_limits_on_demand(gateway):
    link = gateway.create_link(request())
    gateway.fail(503, times=2)
    assert gateway.fetch_link(link.id).id == link.id  # two failures, the third attempt answers
    gateway.fail(429, times=5)
    with pytest.raises(GatewayUnavailable) as raised:
        gateway.fetch_link(link.id)
    assert raised.value.last_status == 429


def test_a_timeout_after_the_work_is_done_does_not_make_two_links(gateway):
    req = request()
    gateway.fail("timeout", times=1, path="/v1/payment_links", after=True, delay_s=2)
    link = gateway.create_link(req)  # timed out, retried: the reference is found, not duplicated
    assert link.reference_id == req.reference_id
    everything = requests.get(
        f"{gateway.base_url}/v1/payment_links", params={"reference_id": req.reference_id}, auth=(KEY_ID, KEY_SECRET)
    ).json()["payment_links"]
    assert len(everything) == 1


def test_webhooks_dropped_duplicated_delayed_on_demand(gateway, receiver):
    gateway.behave("drop", times=1)
    gateway.pay(gateway.create_link(request()).id)
    with pytest.raises(queue.Empty):
        next_webhook(receiver, timeout=0.5)
    gateway.behave("duplicate", times=1)
    gateway.pay(gateway.create_link(request()).id)
    one, two = next_webhook(receiver), next_webhook(receiver)
    assert one["body"] == two["body"] and one["headers"]["X-Razorpay-Event-Id"] == two["headers"]["X-Razorpay-Event-Id"]
    gateway.behave("delay", delay_s=1.0, times=1)
    started = time.monotonic()
    gateway.pay(gateway.create_link(request()).id)
    next_webhook(receiver)
    assert time.monotonic() - started >= 1.0
    deliveries = gateway.deliveries()["deliveries"]
    assert [d["mode"] for d in deliveries[-3:]] == ["drop", "duplicate", "delay"]


def test_hosted_page_in_hindi_and_english_then_redirect_with_signature(gateway, receiver):
    link = gateway.create_link(request(amount=2000))
    page = requests.get(link.short_url)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert "₹20" in page.text and "भुगतान करें" in page.text and "UPI" in page.text and 'name="viewport"' in page.text
    assert "Pay ₹20" in requests.get(link.short_url, params={"lang": "en"}).text
    done = requests.post(
        link.short_url + "/pay", data={"method": "upi", "outcome": "success", "lang": "hi"}, allow_redirects=False
    )
    assert done.status_code == 303
    params = {k: v[0] for k, v in parse_qs(urlparse(done.headers["Location"]).query).items()}
    assert params["razorpay_payment_link_id"] == link.id and params["razorpay_payment_link_status"] == "paid"
    assert gateway.verify_callback(params)
    next_webhook(receiver)
    assert 'data-testid="paid"' in requests.get(link.short_url).text


def test_hosted_page_failure_shows_try_again(gateway, receiver):
    link = gateway.create_link(request())
    page = requests.post(link.short_url + "/pay", data={"method": "card", "outcome": "failure", "lang": "hi"})
    assert 'data-testid="failed"' in page.text and "दोबारा कोशिश" in page.text
    assert gateway.fetch_link(link.id).status == "created"
