"""The payment gateway, behind one small client class.

Both gateways speak Razorpay's Payment Links API
(https://razorpay.com/docs/api/payments/payment-links/): POST /v1/payment_links
creates a link, GET /v1/payment_links/{id} fetches it, GET /v1/payment_links?
reference_id=… finds it by our reference, POST /v1/payment_links/{id}/cancel
cancels it; HTTP basic auth key_id:key_secret; amounts in paise. Webhooks
`payment_link.paid`, `payment_link.expired`, `payment_link.cancelled` and
`payment.failed` are signed as lokseva.payments.signatures describes.

- PAYMENT_GATEWAY=razorpay: api.razorpay.com with RAZORPAY_KEY_ID/…_SECRET.
- PAYMENT_GATEWAY=sandbox (default): the local fake, lokseva/devtools/sandbox_gateway.py,
  which implements the same contract; its keys are derived from SIGNING_KEY so
  that the fake and the web app agree without another secret.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional, Tuple, cast

from lokseva.money import require_paise
from lokseva.payments import signatures
from lokseva.payments.fees import CURRENCY
from lokseva.payments.http import GatewayError, GatewayRejected, GatewayUnavailable, JsonHttpClient, RetryPolicy
from lokseva.settings import Settings
from lokseva.signing import derive_secret

log = logging.getLogger(__name__)

RAZORPAY_API = "https://api.razorpay.com"
WEBHOOK_PATH = "/payments/webhook"  # our endpoint, on settings.public_url
CALLBACK_PATH = "/payments/done"  # where the citizen's browser lands after paying

__all__ = [
    "GatewayError",
    "GatewayRejected",
    "GatewayUnavailable",
    "LinkPayment",
    "PaymentLink",
    "LinkRequest",
    "WebhookEvent",
    "RazorpayPaymentLinks",
    "SandboxGateway",
    "gateway_from_settings",
    "sandbox_credentials",
    "parse_webhook",
]


@dataclass(frozen=True)
class LinkPayment:
    """One payment attempt on a link, as the gateway reports it."""

    payment_id: str
    amount_paise: Optional[int]  # None: the gateway sent something that is not whole paise
    currency: str
    status: str  # captured | failed | authorized | refunded
    method: Optional[str] = None
    created_at: Optional[int] = None
    error_description: Optional[str] = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any], currency: str = "") -> "LinkPayment":
        """A payment entity, or a link's entry in its `payments`. An amount that
        is not whole paise is kept as None, so that it matches no fee."""
        amount = data.get("amount")
        return cls(
            payment_id=cast(str, data.get("payment_id") or data.get("id")),
            amount_paise=amount if isinstance(amount, int) and not isinstance(amount, bool) else None,
            currency=str(data.get("currency") or currency),
            status=str(data.get("status", "")),
            method=data.get("method"),
            created_at=data.get("created_at"),
        )


@dataclass(frozen=True)
class PaymentLink:
    id: str
    reference_id: str
    amount_paise: int
    amount_paid_paise: int
    currency: str
    status: str  # created | partially_paid | paid | expired | cancelled
    short_url: str
    expire_by: int  # unix seconds; 0 = never
    order_id: Optional[str] = None
    payments: Tuple[LinkPayment, ...] = ()

    @property
    def captured_payment(self) -> Optional[LinkPayment]:
        for payment in self.payments:
            if payment.status == "captured":
                return payment
        return None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> "PaymentLink":
        payments = tuple(
            LinkPayment.from_api(p, str(data.get("currency") or ""))
            for p in (data.get("payments") or [])
            if isinstance(p, Mapping)
        )
        return cls(
            id=str(data["id"]),
            reference_id=str(data.get("reference_id") or ""),
            amount_paise=_int_amount(data.get("amount")),
            amount_paid_paise=_int_amount(data.get("amount_paid") or 0),
            currency=str(data.get("currency") or ""),
            status=str(data.get("status") or ""),
            short_url=str(data.get("short_url") or ""),
            expire_by=int(data.get("expire_by") or 0),
            order_id=data.get("order_id") or None,
            payments=payments,
        )


def _int_amount(value: Any) -> int:
    """Amounts from the gateway are JSON integers; anything else is refused, not rounded."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise GatewayError(f"the gateway sent an amount that is not whole paise: {value!r}")
    return value


@dataclass(frozen=True)
class LinkRequest:
    reference_id: str  # ours, unique per link (Razorpay: at most 40 characters)
    amount_paise: int
    description: str
    expire_by: int  # unix seconds
    callback_url: str
    notes: Dict[str, str] = field(default_factory=dict)

    def as_api(self) -> Dict[str, Any]:
        return {
            "amount": require_paise(self.amount_paise),
            "currency": CURRENCY,
            "accept_partial": False,
            "reference_id": self.reference_id,
            "description": self.description,
            "expire_by": self.expire_by,
            # We send the link on WhatsApp ourselves; the citizen's phone number
            # is not shared with the gateway.
            "notify": {"sms": False, "email": False},
            "reminder_enable": False,
            "notes": dict(self.notes),
            "callback_url": self.callback_url,
            "callback_method": "get",
        }


@dataclass(frozen=True)
class WebhookEvent:
    event: str  # payment_link.paid, payment_link.expired, …
    event_id: Optional[str]
    link: Optional[Dict[str, Any]]  # payload.payment_link.entity
    payment: Optional[Dict[str, Any]]  # payload.payment.entity
    created_at: Optional[int]


class MalformedWebhook(ValueError):
    pass


def parse_webhook(body: bytes, event_id: Optional[str] = None) -> WebhookEvent:
    """The event of a webhook whose signature was already verified."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise MalformedWebhook(f"not JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("event"), str):
        raise MalformedWebhook("no event name")
    payload = data.get("payload") or {}

    def entity(name: str) -> Optional[Dict[str, Any]]:
        part = payload.get(name) if isinstance(payload, dict) else None
        value = part.get("entity") if isinstance(part, dict) else None
        return value if isinstance(value, dict) else None

    return WebhookEvent(
        event=data["event"],
        event_id=event_id,
        link=entity("payment_link"),
        payment=entity("payment"),
        created_at=data.get("created_at"),
    )


class RazorpayPaymentLinks:
    """Razorpay's Payment Links API (or anything speaking it, like the sandbox)."""

    name = "razorpay"

    def __init__(
        self,
        base_url: str,
        key_id: str,
        key_secret: str,
        webhook_secret: str,
        policy: RetryPolicy = RetryPolicy(),
        http: Optional[JsonHttpClient] = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.key_id = key_id
        self.key_secret = key_secret
        self.webhook_secret = webhook_secret
        self.http = http or JsonHttpClient(self.base_url, auth=(key_id, key_secret), policy=policy)

    # --- API ---------------------------------------------------------------
    def create_link(self, request: LinkRequest, policy: Optional[RetryPolicy] = None) -> PaymentLink:
        """Creates the link; safe to call again with the same reference_id.

        A create that timed out may still have reached the gateway, and a second
        create with the same reference_id is refused (reference ids are unique),
        so on a refusal or an unanswered create we look the reference up first."""
        try:
            return PaymentLink.from_api(
                self.http.request("POST", "/v1/payment_links", json=request.as_api(), policy=policy)
            )
        except GatewayRejected as rejected:
            if rejected.status in (401, 403):
                raise
            try:
                existing = self.find_by_reference(request.reference_id, policy=policy)
            except GatewayError:
                raise rejected from None
            if existing is not None:
                log.info("link %s already existed for %s", existing.id, request.reference_id)
                return existing
            raise rejected
        except GatewayUnavailable:
            once = dataclasses.replace(policy or self.http.policy, max_attempts=1)
            try:
                existing = self.find_by_reference(request.reference_id, policy=once)
            except GatewayError:
                existing = None
            if existing is not None:
                return existing
            raise

    def fetch_link(self, link_id: str, policy: Optional[RetryPolicy] = None) -> PaymentLink:
        return PaymentLink.from_api(self.http.request("GET", f"/v1/payment_links/{link_id}", policy=policy))

    def find_by_reference(self, reference_id: str, policy: Optional[RetryPolicy] = None) -> Optional[PaymentLink]:
        data = self.http.request("GET", "/v1/payment_links", params={"reference_id": reference_id}, policy=policy)
        for item in data.get("payment_links") or []:
            if item.get("reference_id") == reference_id:
                return PaymentLink.from_api(item)
        return None

    def cancel_link(self, link_id: str, policy: Optional[RetryPolicy] = None) -> PaymentLink:
        return PaymentLink.from_api(self.http.request("POST", f"/v1/payment_links/{link_id}/cancel", policy=policy))

    # --- signatures --------------------------------------------------------
    def verify_webhook(self, body: bytes, signature: Optional[str]) -> bool:
        return signatures.verify(body, signature, self.webhook_secret)

    def verify_callback(self, params: Mapping[str, str]) -> bool:
        return signatures.verify_callback(params, self.key_secret)


class SandboxGateway(RazorpayPaymentLinks):
    """The local fake gateway: the same API, plus its control endpoints, which
    tests and developers use to play the citizen and the network."""

    name = "sandbox"

    def _control(self, path: str, body: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        return self.http.request("POST", path, json=body or {}, policy=RetryPolicy(max_attempts=1))

    def pay(self, link_id: str, method: str = "upi", outcome: str = "success") -> Dict[str, Any]:
        """What the hosted page does when the citizen presses "pay"."""
        return self._control(f"/_sandbox/links/{link_id}/pay", {"method": method, "outcome": outcome})

    def expire(self, link_id: str) -> Dict[str, Any]:
        return self._control(f"/_sandbox/links/{link_id}/expire")

    def behave(self, webhook: str = "normal", delay_s: float = 0, times: Optional[int] = None) -> Dict[str, Any]:
        return self._control("/_sandbox/behaviour", {"webhook": webhook, "delay_s": delay_s, "times": times})

    def fail(
        self, mode: Any, times: int = 1, path: str = "/v1/", after: bool = False, delay_s: float = 0
    ) -> Dict[str, Any]:
        """The next `times` API calls under `path` fail: mode 500/502/503/429 or "timeout"
        (no answer for delay_s). `after`: the call is carried out, then the answer is lost."""
        return self._control(
            "/_sandbox/fail", {"mode": mode, "times": times, "path": path, "after": after, "delay_s": delay_s}
        )

    def reset(self) -> Dict[str, Any]:
        return self._control("/_sandbox/reset")

    def deliveries(self) -> Dict[str, Any]:
        return self.http.request("GET", "/_sandbox/deliveries", policy=RetryPolicy(max_attempts=1))


def sandbox_credentials(settings: Settings) -> Tuple[str, str, str]:
    """key_id, key_secret, webhook_secret of the sandbox, derived from SIGNING_KEY."""

    return (
        "rzp_test_sandbox",
        derive_secret(settings.signing_key, "sandbox-gateway key secret"),
        derive_secret(settings.signing_key, "sandbox-gateway webhook secret"),
    )


def gateway_from_settings(settings: Settings, policy: RetryPolicy = RetryPolicy()) -> RazorpayPaymentLinks:
    if settings.payment_gateway == "razorpay":
        return RazorpayPaymentLinks(
            RAZORPAY_API,
            settings.razorpay_key_id,
            settings.razorpay_key_secret,
            settings.razorpay_webhook_secret,
            policy=policy,
        )
    key_id, key_secret, webhook_secret = sandbox_credentials(settings)
    return SandboxGateway(settings.sandbox_gateway_url, key_id, key_secret, webhook_secret, policy=policy)
