"""The gateway client's retry policy, against a real local HTTP server that
answers with a scripted list of statuses (sleeps are recorded, not slept)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List

import pytest

from lokseva.payments.http import (
    GatewayRejected,
    GatewayUnavailable,
    JsonHttpClient,
    RetryPolicy,
    is_retryable_status,
)


class Script:
    def __init__(self):
        self.answers: List[tuple] = []
        self.calls: List[str] = []


@pytest.fixture(scope="module")
def _server():
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            script.calls.append(f"{self.command} {self.path}")
            status, body, headers, pause = script.answers.pop(0) if script.answers else (200, {"ok": True}, {}, 0)
            if pause:
                time.sleep(pause)
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = _answer

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    script.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield script
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(_server):
    _server.answers, _server.calls = [], []
    return _server


def client(script, **policy) -> tuple:
    slept: List[float] = []
    defaults = dict(max_attempts=4, base_delay=0.5, max_delay=8.0, deadline=60.0, read_timeout=2.0)
    http = JsonHttpClient(
        script.url,
        auth=("k", "s"),
        policy=RetryPolicy(**{**defaults, **policy}),
        sleep=slept.append,
        rng=lambda: 1.0,
    )
    return http, slept


def error(code="BAD_REQUEST_ERROR", description="bad", field=None):
    return {"error": {"code": code, "description": description, "field": field}}


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_retries_5xx_and_429_then_succeeds(server, status):
    server.answers = [
        (status, error("SERVER_ERROR"), {}, 0),
        (status, error("SERVER_ERROR"), {}, 0),
        (200, {"id": "plink_1"}, {}, 0),
    ]
    http, slept = client(server)
    assert http.request("GET", "/v1/payment_links/plink_1") == {"id": "plink_1"}
    assert len(server.calls) == 3
    assert slept == [0.5, 1.0]  # exponential: base, 2 x base (rng=1: top of the jitter range)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_never_retries_other_4xx(server, status):
    server.answers = [(status, error(description="The amount must be atleast INR 1.00", field="amount"), {}, 0)]
    http, slept = client(server)
    with pytest.raises(GatewayRejected) as raised:
        http.request("POST", "/v1/payment_links", json={"amount": 1})
    assert raised.value.status == status
    assert raised.value.field == "amount" and "INR 1.00" in raised.value.description
    assert len(server.calls) == 1 and slept == []


def test_gives_up_after_max_attempts(server):
    server.answers = [(503, error("SERVER_ERROR"), {}, 0)] * 5
    http, slept = client(server, max_attempts=3)
    with pytest.raises(GatewayUnavailable) as raised:
        http.request("GET", "/v1/payment_links/x")
    assert raised.value.attempts == 3 and raised.value.last_status == 503
    assert len(server.calls) == 3 and len(slept) == 2


def test_a_timeout_is_retried(server):
    server.answers = [(200, {"late": True}, {}, 1.0), (200, {"id": "ok"}, {}, 0)]
    http, slept = client(server, read_timeout=0.3)
    assert http.request("GET", "/v1/payment_links/x") == {"id": "ok"}
    assert len(slept) == 1


def test_refused_connection_is_retried_then_unavailable():
    http = JsonHttpClient(
        "http://127.0.0.1:9", policy=RetryPolicy(max_attempts=2, connect_timeout=0.5), sleep=lambda s: None
    )
    with pytest.raises(GatewayUnavailable) as raised:
        http.request("GET", "/v1/payment_links/x")
    assert raised.value.attempts == 2 and raised.value.last_status is None


def test_retry_after_is_honoured_up_to_max_delay(server):
    server.answers = [
        (429, error(), {"Retry-After": "3"}, 0),
        (429, error(), {"Retry-After": "120"}, 0),
        (200, {}, {}, 0),
    ]
    http, slept = client(server, max_delay=8.0)
    http.request("GET", "/x")
    assert slept == [3.0, 8.0]


def test_backoff_is_capped_and_jittered():
    policy = RetryPolicy(max_attempts=8, base_delay=0.5, max_delay=4.0)
    assert [policy.backoff(n, rng=lambda: 1.0) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert [policy.backoff(n, rng=lambda: 0.0) for n in range(1, 4)] == [0.25, 0.5, 1.0]  # half is fixed
    assert len(list(policy.delays())) == 7


def test_deadline_stops_retrying_early(server):
    server.answers = [(500, error(), {}, 0)] * 10
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    # Timeouts 1 + 1: an attempt may take 2 s; the deadline counts them before each retry.
    http = JsonHttpClient(
        server.url,
        policy=RetryPolicy(
            max_attempts=10, base_delay=1.0, max_delay=8.0, deadline=8.5, connect_timeout=1.0, read_timeout=1.0
        ),
        sleep=sleep,
        clock=lambda: now[0],
        rng=lambda: 1.0,
    )
    with pytest.raises(GatewayUnavailable):
        http.request("GET", "/x")
    # slept 1 (0 + 1 + 2 <= 8.5), then 2 (1 + 2 + 2 <= 8.5); then 3 + 4 + 2 > 8.5: no fourth attempt.
    assert now[0] == 3.0 and len(server.calls) == 3


def test_retryable_statuses():
    assert [s for s in (200, 400, 401, 404, 409, 429, 500, 503, 599) if is_retryable_status(s)] == [429, 500, 503, 599]
