"""A small JSON-over-HTTP client for the payment gateway: timeouts on every call,
and retries with exponential backoff on 429 and 5xx answers, timeouts and refused
connections, never on any other 4xx (a bad request stays bad when repeated).

POST is retried too: creating a payment link carries our unique reference_id, so
the caller can find out whether a timed-out create reached the gateway
(RazorpayPaymentLinks.create_link does).
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, Mapping, Optional, Tuple

import requests

log = logging.getLogger(__name__)


class GatewayError(RuntimeError):
    """The gateway could not do what was asked."""


class GatewayUnavailable(GatewayError):
    """No usable answer after every attempt (timeouts, 5xx, 429, network).
    The request may or may not have been carried out."""

    def __init__(self, message: str, attempts: int, last_status: Optional[int] = None):
        super().__init__(message)
        self.attempts = attempts
        self.last_status = last_status


class GatewayRejected(GatewayError):
    """A 4xx answer (other than 429): the request itself is wrong, retrying won't help."""

    def __init__(self, status: int, code: str, description: str, field: Optional[str] = None):
        super().__init__(f"HTTP {status} {code}: {description}")
        self.status = status
        self.code = code
        self.description = description
        self.field = field


def is_retryable_status(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to try.

    delay(n) before attempt n+1 is base_delay * 2**(n-1), capped at max_delay,
    with "equal jitter" (half fixed, half random) so that many clients retrying
    at once do not hit the gateway in lockstep. A Retry-After header (429/503)
    is honoured up to max_delay. `deadline` bounds the whole call: no attempt is
    started that could not end (sleep and timeouts included) before it.
    """

    max_attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    deadline: float = 30.0
    connect_timeout: float = 3.05
    read_timeout: float = 10.0

    def backoff(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return ceiling / 2 + rng() * ceiling / 2

    def delays(self, rng: Callable[[], float] = random.random) -> Iterator[float]:
        for attempt in range(1, self.max_attempts):
            yield self.backoff(attempt, rng)

    @property
    def timeout(self) -> Tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)


# A citizen waits for the answer in the chat: a few quick tries, then "we'll send it".
CHAT_POLICY = RetryPolicy(max_attempts=3, base_delay=0.5, max_delay=2.0, deadline=12.0, read_timeout=5.0)
# Jobs and webhooks can be more patient.
JOB_POLICY = RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=8.0, deadline=30.0, read_timeout=10.0)


def retry_after_seconds(headers: Mapping[str, str]) -> Optional[float]:
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


class JsonHttpClient:
    def __init__(
        self,
        base_url: str,
        auth: Optional[Tuple[str, str]] = None,
        policy: RetryPolicy = RetryPolicy(),
        session: Optional[requests.Session] = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
        user_agent: str = "lokseva-payments/1",
    ):
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.policy = policy
        self.session = session or requests.Session()
        self.sleep = sleep
        self.clock = clock
        self.rng = rng
        self.headers = {"User-Agent": user_agent, "Accept": "application/json"}

    def request(
        self,
        method: str,
        path: str,
        json: Optional[Dict[str, Any]] = None,
        params: Optional[Dict[str, Any]] = None,
        policy: Optional[RetryPolicy] = None,
    ) -> Dict[str, Any]:
        policy = policy or self.policy
        url = f"{self.base_url}{path}"
        started = self.clock()
        attempt = 0
        while True:
            attempt += 1
            status: Optional[int] = None
            wait_hint: Optional[float] = None
            try:
                reply = self.session.request(
                    method,
                    url,
                    json=json,
                    params=params,
                    auth=self.auth,
                    headers=self.headers,
                    timeout=policy.timeout,
                )
                status = reply.status_code
                if 200 <= status < 300:
                    return reply.json() if reply.content else {}
                if not is_retryable_status(status):
                    raise _rejected(reply)
                wait_hint = retry_after_seconds(reply.headers)
                problem = f"HTTP {status}"
            except (requests.Timeout, requests.ConnectionError) as error:
                problem = type(error).__name__
            if attempt >= policy.max_attempts:
                raise GatewayUnavailable(f"{method} {path}: {problem} after {attempt} attempts", attempt, status)
            delay = policy.backoff(attempt, self.rng)
            if wait_hint is not None:
                delay = min(policy.max_delay, max(delay, wait_hint))
            # Another attempt only if it can finish (timeouts included) before the deadline.
            worst_case = delay + policy.connect_timeout + policy.read_timeout
            if self.clock() - started + worst_case > policy.deadline:
                raise GatewayUnavailable(
                    f"{method} {path}: {problem}; no time left for attempt {attempt + 1}", attempt, status
                )
            log.warning("gateway %s %s: %s (attempt %d); retrying in %.1f s", method, path, problem, attempt, delay)
            self.sleep(delay)


def _rejected(reply: requests.Response) -> GatewayRejected:
    code, description, field = "HTTP_ERROR", reply.reason or "", None
    try:
        error = reply.json().get("error") or {}
        code = error.get("code") or code
        description = error.get("description") or description
        field = error.get("field")
    except ValueError:
        pass
    return GatewayRejected(reply.status_code, code, description, field)
