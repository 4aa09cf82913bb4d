"""A local payment gateway that speaks Razorpay's Payment Links API.

`make run` and the integration tests start it (lokseva.devtools.processes), so the
whole payment flow runs on one machine without Razorpay's servers:

    python -m lokseva.devtools.sandbox_gateway [--port 8102] [--webhook-url URL]

The contract is Razorpay's (same paths, basic auth, JSON shapes, webhook payloads
and HMAC-SHA256 signatures): lokseva.payments.gateway talks to it with the same
client it uses for Razorpay.

- POST /v1/payment_links, GET /v1/payment_links/{id}, GET /v1/payment_links?reference_id=,
  POST /v1/payment_links/{id}/cancel
- GET /i/{code}: the hosted payment page (Hindi/English, UPI or card, succeed or fail);
  after a success the browser goes to the link's callback_url with the signed parameters.
- Webhooks to --webhook-url (settings.public_url + /payments/webhook):
  payment_link.paid, payment_link.expired, payment_link.cancelled, payment.failed;
  retried with backoff until answered 2xx (five attempts here, 24 hours at Razorpay).

Control endpoints (no auth; this is a development tool):
- POST /_sandbox/behaviour {"webhook": "normal"|"drop"|"duplicate"|"delay", "delay_s": 3, "times": n}
  what happens to the next n webhooks (all of them when times is null).
- POST /_sandbox/fail {"mode": 500|502|503|429|"timeout", "times": 1, "path": "/v1/",
  "after": false, "delay_s": 15}: the next API calls under path fail; with after=true
  the call is carried out first and only the answer is lost.
- POST /_sandbox/links/{id}/pay {"method": "upi"|"card", "outcome": "success"|"failure"}
- POST /_sandbox/links/{id}/expire, POST /_sandbox/reset, GET /_sandbox/deliveries
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import random
import re
import secrets
import string
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlencode, urlparse

import requests
from jinja2 import Environment, FileSystemLoader, select_autoescape

from lokseva.money import format_rupees
from lokseva.payments import signatures
from lokseva.payments.gateway import WEBHOOK_PATH, sandbox_credentials
from lokseva.payments.messaging import when_text
from lokseva.settings import get_settings

log = logging.getLogger("sandbox_gateway")

MIN_EXPIRY_S = 15 * 60  # Razorpay: expire_by at least 15 minutes ahead
WEBHOOK_ATTEMPTS = 5
_templates = Environment(loader=FileSystemLoader(str(Path(__file__).parent)), autoescape=select_autoescape(["html"]))


def _id(prefix: str) -> str:
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(14))


def _error(status: int, description: str, field: Optional[str] = None, code: str = "BAD_REQUEST_ERROR"):
    return status, {
        "error": {
            "code": code,
            "description": description,
            "source": "business" if status == 400 else "NA",
            "step": "payment_initiation" if status == 400 else "NA",
            "reason": "input_validation_failed" if status == 400 else "NA",
            "metadata": {},
            "field": field,
        }
    }


class ApiError(Exception):
    def __init__(self, status: int, description: str, field: Optional[str] = None, code: str = "BAD_REQUEST_ERROR"):
        super().__init__(description)
        self.answer = _error(status, description, field, code)


class Sandbox:
    """The gateway's state: links, payments, and the misbehaviour asked for."""

    def __init__(self, base_url: str, key_id: str, key_secret: str, webhook_secret: str, webhook_url: str):
        self.base_url = base_url.rstrip("/")
        self.key_id, self.key_secret = key_id, key_secret
        self.webhook_secret, self.webhook_url = webhook_secret, webhook_url
        self.lock = threading.RLock()
        self.links: Dict[str, Dict[str, Any]] = {}
        self.codes: Dict[str, str] = {}  # short code -> link id
        self.orders: Dict[str, Dict[str, Any]] = {}
        self.deliveries: List[Dict[str, Any]] = []
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.webhook_mode, self.webhook_delay, self.webhook_times = "normal", 0.0, None
            self.failures: List[Dict[str, Any]] = []

    # --- API ---------------------------------------------------------------
    def create(self, body: Dict[str, Any]) -> Dict[str, Any]:
        amount = body.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ApiError(400, "The amount must be an integer.", "amount")
        if amount < 100:
            raise ApiError(400, "The amount must be atleast INR 1.00", "amount")
        if body.get("currency", "INR") != "INR":
            raise ApiError(400, "The currency should be INR.", "currency")
        if body.get("accept_partial"):
            raise ApiError(400, "The sandbox does not take partial payments.", "accept_partial")
        reference = str(body.get("reference_id") or "")
        if len(reference) > 40:
            raise ApiError(400, "The reference id may not be greater than 40 characters.", "reference_id")
        now = int(time.time())
        expire_by = int(body.get("expire_by") or 0)
        if expire_by and expire_by < now + MIN_EXPIRY_S:
            raise ApiError(400, "The expire by date should be at least 15 minutes after the current time", "expire_by")
        callback_url = body.get("callback_url") or ""
        if callback_url and body.get("callback_method") != "get":
            raise ApiError(400, "callback_method should be get when callback_url is sent", "callback_method")
        with self.lock:
            if reference and any(link["reference_id"] == reference for link in self.links.values()):
                raise ApiError(400, f"Payment Link with reference id {reference} already exists", "reference_id")
            link_id, code = _id("plink_"), secrets.token_urlsafe(6)
            order_id = _id("order_")
            link = {
                "accept_partial": False,
                "amount": amount,
                "amount_paid": 0,
                "callback_method": body.get("callback_method") or "",
                "callback_url": callback_url,
                "cancelled_at": 0,
                "created_at": now,
                "currency": "INR",
                "customer": body.get("customer") or {},
                "description": body.get("description") or "",
                "expire_by": expire_by,
                "expired_at": 0,
                "first_min_partial_amount": 0,
                "id": link_id,
                "notes": body.get("notes") or {},
                "notify": body.get("notify") or {},
                "order_id": order_id,
                "payments": [],
                "reference_id": reference,
                "reminder_enable": bool(body.get("reminder_enable")),
                "reminders": [],
                "short_url": f"{self.base_url}/i/{code}",
                "status": "created",
                "updated_at": now,
                "upi_link": False,
                "user_id": "",
            }
            self.links[link_id] = link
            self.codes[code] = link_id
            self.orders[order_id] = {
                "id": order_id,
                "entity": "order",
                "amount": amount,
                "amount_paid": 0,
                "amount_due": amount,
                "currency": "INR",
                "receipt": reference,
                "offer_id": None,
                "status": "created",
                "attempts": 0,
                "notes": link["notes"],
                "created_at": now,
            }
            return json.loads(json.dumps(link))

    def get(self, link_id: str) -> Dict[str, Any]:
        with self.lock:
            link = self.links.get(link_id)
            if link is None:
                raise ApiError(400, "The id provided does not exist", "id")
            return json.loads(json.dumps(link))

    def find(self, reference: Optional[str]) -> Dict[str, Any]:
        with self.lock:
            found = [link for link in self.links.values() if reference is None or link["reference_id"] == reference]
            return {"payment_links": json.loads(json.dumps(found))}

    def cancel(self, link_id: str) -> Dict[str, Any]:
        with self.lock:
            link = self._link(link_id)
            if link["status"] != "created":
                raise ApiError(400, f"Payment link cannot be cancelled as it is already {link['status']}")
            link.update(status="cancelled", cancelled_at=int(time.time()), updated_at=int(time.time()))
            self._send("payment_link.cancelled", {"payment_link": {"entity": dict(link)}})
            return json.loads(json.dumps(link))

    def pay(self, link_id: str, method: str, outcome: str) -> Dict[str, Any]:
        if method not in ("upi", "card"):
            raise ApiError(400, "method must be upi or card", "method")
        with self.lock:
            link = self._link(link_id)
            self._expire_if_due(link)
            if link["status"] != "created":
                raise ApiError(400, f"This payment link is {link['status']} and cannot be paid")
            order = self.orders[link["order_id"]]
            order["attempts"] += 1
            now = int(time.time())
            captured = outcome == "success"
            payment = {
                "id": _id("pay_"),
                "entity": "payment",
                "amount": link["amount"],
                "currency": "INR",
                "status": "captured" if captured else "failed",
                "order_id": order["id"],
                "invoice_id": None,
                "international": False,
                "method": method,
                "amount_refunded": 0,
                "refund_status": None,
                "captured": captured,
                "description": link["description"],
                "card_id": _id("card_") if method == "card" else None,
                "bank": None,
                "wallet": None,
                "vpa": "citizen@upi" if method == "upi" else None,
                "email": "void@razorpay.com",
                "contact": "+910000000000",
                "notes": link["notes"],
                "fee": 0,
                "tax": 0,
                "error_code": None if captured else "BAD_REQUEST_ERROR",
                "error_description": None if captured else "Payment failed",
                "error_source": None if captured else "customer",
                "error_step": None if captured else "payment_authorization",
                "error_reason": None if captured else "payment_failed",
                "acquirer_data": {"rrn": str(random.randint(10**11, 10**12 - 1))} if captured else {},
                "created_at": now,
            }
            link["payments"].append(
                {
                    "amount": payment["amount"],
                    "created_at": now,
                    "method": method,
                    "payment_id": payment["id"],
                    "plink_id": link["id"],
                    "status": payment["status"],
                    "updated_at": now,
                }
            )
            link["updated_at"] = now
            if captured:
                link.update(status="paid", amount_paid=link["amount"])
                order.update(status="paid", amount_paid=order["amount"], amount_due=0)
                self._send(
                    "payment_link.paid",
                    {
                        "payment_link": {"entity": dict(link)},
                        "order": {"entity": dict(order)},
                        "payment": {"entity": payment},
                    },
                )
            else:
                order["status"] = "attempted"
                self._send("payment.failed", {"payment": {"entity": payment}})
            return {"link": json.loads(json.dumps(link)), "payment": payment}

    def expire(self, link_id: str) -> Dict[str, Any]:
        with self.lock:
            link = self._link(link_id)
            if link["status"] != "created":
                raise ApiError(400, f"Payment link is already {link['status']}")
            link["expire_by"] = min(link["expire_by"] or int(time.time()), int(time.time()))
            self._expire_if_due(link, force=True)
            return json.loads(json.dumps(link))

    def expire_due(self) -> None:
        with self.lock:
            for link in self.links.values():
                self._expire_if_due(link)

    def _expire_if_due(self, link: Dict[str, Any], force: bool = False) -> None:
        now = int(time.time())
        if link["status"] == "created" and (force or (link["expire_by"] and now >= link["expire_by"])):
            link.update(status="expired", expired_at=now, updated_at=now)
            self._send("payment_link.expired", {"payment_link": {"entity": dict(link)}})

    def _link(self, link_id: str) -> Dict[str, Any]:
        link = self.links.get(link_id)
        if link is None:
            raise ApiError(400, "The id provided does not exist", "id")
        return link

    # --- misbehaviour ------------------------------------------------------
    def take_failure(self, path: str) -> Optional[Dict[str, Any]]:
        with self.lock:
            for failure in self.failures:
                if path.startswith(failure["path"]) and failure["times"] > 0:
                    failure["times"] -= 1
                    return dict(failure)
            return None

    def _webhook_mode(self) -> Tuple[str, float]:
        mode, delay = self.webhook_mode, self.webhook_delay
        if self.webhook_times is not None:
            self.webhook_times -= 1
            if self.webhook_times <= 0:
                self.webhook_mode, self.webhook_delay, self.webhook_times = "normal", 0.0, None
        return mode, delay

    # --- webhooks ----------------------------------------------------------
    def _send(self, event: str, payload: Dict[str, Any]) -> None:
        body = json.dumps(
            {
                "entity": "event",
                "account_id": "acc_Sandbox000001",
                "event": event,
                "contains": list(payload),
                "payload": payload,
                "created_at": int(time.time()),
            },
            ensure_ascii=False,
        ).encode("utf-8")
        event_id = _id("evt_")
        mode, delay = self._webhook_mode()
        record = {"event": event, "event_id": event_id, "mode": mode, "attempts": []}
        self.deliveries.append(record)
        if mode == "drop":
            log.info("webhook %s %s dropped on purpose", event, event_id)
            return
        copies = 2 if mode == "duplicate" else 1
        for _ in range(copies):
            threading.Thread(
                target=self._deliver, args=(body, event_id, delay if mode == "delay" else 0.0, record), daemon=True
            ).start()

    def _deliver(self, body: bytes, event_id: str, delay: float, record: Dict[str, Any]) -> None:
        if delay:
            time.sleep(delay)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Razorpay-Webhook/v1",
            "Request-Id": event_id,
            signatures.EVENT_ID_HEADER: event_id,
            signatures.SIGNATURE_HEADER: signatures.sign(body, self.webhook_secret),
        }
        for attempt in range(1, WEBHOOK_ATTEMPTS + 1):
            try:
                status = requests.post(self.webhook_url, data=body, headers=headers, timeout=10).status_code
            except requests.RequestException as error:
                status = type(error).__name__
            with self.lock:
                record["attempts"].append(status)
            if isinstance(status, int) and 200 <= status < 300:
                return
            time.sleep(min(2 ** (attempt - 1), 8))
        log.warning("webhook %s not accepted after %d attempts", event_id, WEBHOOK_ATTEMPTS)

    def check_auth(self, header: Optional[str]) -> bool:
        import base64

        if not header or not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return secrets.compare_digest(user, self.key_id) and secrets.compare_digest(password, self.key_secret)


class Handler(BaseHTTPRequestHandler):
    sandbox: Sandbox  # set by make_server
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), fmt % args)

    # --- plumbing ----------------------------------------------------------
    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _json_body(self) -> Dict[str, Any]:
        raw = self._body()
        if not raw:
            return {}
        try:
            data = json.loads(raw)
        except ValueError:
            raise ApiError(400, "The request body is not valid JSON") from None
        if not isinstance(data, dict):
            raise ApiError(400, "The request body must be a JSON object")
        return data

    def _send(self, status: int, body: bytes, content_type: str, headers: Optional[Dict[str, str]] = None):
        try:
            self._write(status, body, content_type, headers)
        except (BrokenPipeError, ConnectionResetError):
            log.info("the client left before the answer (as a timed-out client does)")

    def _write(self, status: int, body: bytes, content_type: str, headers: Optional[Dict[str, str]]):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any, headers: Optional[Dict[str, str]] = None):
        self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8", headers)

    def _html(self, status: int, page: str):
        self._send(status, page.encode(), "text/html; charset=utf-8")

    def _redirect(self, url: str):
        self._send(303, b"", "text/plain", {"Location": url})

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        self._route("POST")

    def _route(self, method: str) -> None:
        url = urlparse(self.path)
        path, query = url.path, parse_qs(url.query)
        try:
            if path == "/health":
                return self._json(200, {"status": "ok"})
            if path.startswith("/v1/"):
                return self._api(method, path, query)
            if path.startswith("/_sandbox/"):
                return self._control(method, path)
            match = re.fullmatch(r"/i/([\w-]+)(/pay)?", path)
            if match:
                return self._page(method, match.group(1), bool(match.group(2)), query)
            self._json(*_error(404, "The requested URL was not found on the server.", code="NOT_FOUND"))
        except ApiError as error:
            self._json(*error.answer)

    # --- the API, with the failures asked for --------------------------------
    def _api(self, method: str, path: str, query: Dict[str, List[str]]) -> None:
        sandbox = self.sandbox
        if not sandbox.check_auth(self.headers.get("Authorization")):
            return self._json(*_error(401, "The api key provided is invalid"))
        body = self._json_body() if method == "POST" else {}
        failure = sandbox.take_failure(path)
        if failure and not failure["after"]:
            return self._fail(failure)
        status, answer = 200, None
        try:
            if method == "POST" and path.rstrip("/") == "/v1/payment_links":
                answer = sandbox.create(body)
            elif method == "GET" and path.rstrip("/") == "/v1/payment_links":
                answer = sandbox.find((query.get("reference_id") or [None])[0])
            elif method == "GET" and re.fullmatch(r"/v1/payment_links/plink_\w+", path):
                answer = sandbox.get(path.rsplit("/", 1)[1])
            elif method == "POST" and re.fullmatch(r"/v1/payment_links/plink_\w+/cancel", path):
                answer = sandbox.cancel(path.split("/")[3])
            else:
                status, answer = _error(404, "The requested URL was not found on the server.", code="NOT_FOUND")
        except ApiError as error:
            status, answer = error.answer
        if failure:  # carried out; now the answer is lost
            return self._fail(failure)
        self._json(status, answer)

    def _fail(self, failure: Dict[str, Any]) -> None:
        mode = failure["mode"]
        if mode == "timeout":
            time.sleep(float(failure.get("delay_s") or 15))
            self.close_connection = True
            return self._json(*_error(504, "Gateway timeout", code="SERVER_ERROR"))
        status = int(mode)
        if status == 429:
            return self._json(*_error(429, "Too many requests"), headers={"Retry-After": "1"})
        return self._json(
            *_error(
                status,
                "The server encountered an error. The incident has been reported to admins.",
                code="SERVER_ERROR",
            )
        )

    # --- control -------------------------------------------------------------
    def _control(self, method: str, path: str) -> None:
        sandbox = self.sandbox
        if method == "GET" and path == "/_sandbox/deliveries":
            with sandbox.lock:
                return self._json(200, {"deliveries": json.loads(json.dumps(sandbox.deliveries))})
        if method != "POST":
            raise ApiError(405, "use POST")
        body = self._json_body()
        if path == "/_sandbox/reset":
            sandbox.reset()
            return self._json(200, {"status": "ok"})
        if path == "/_sandbox/behaviour":
            mode = body.get("webhook", "normal")
            if mode not in ("normal", "drop", "duplicate", "delay"):
                raise ApiError(400, "webhook must be normal, drop, duplicate or delay", "webhook")
            with sandbox.lock:
                sandbox.webhook_mode = mode
                sandbox.webhook_delay = float(body.get("delay_s") or 0)
                times = body.get("times")
                sandbox.webhook_times = int(times) if times is not None else None
            return self._json(200, {"webhook": mode, "delay_s": sandbox.webhook_delay, "times": sandbox.webhook_times})
        if path == "/_sandbox/fail":
            mode = body.get("mode")
            if mode not in (500, 502, 503, 504, 429, "timeout"):
                raise ApiError(400, "mode must be 500, 502, 503, 504, 429 or timeout", "mode")
            failure = {
                "mode": mode,
                "times": int(body.get("times") or 1),
                "path": body.get("path") or "/v1/",
                "after": bool(body.get("after")),
                "delay_s": float(body.get("delay_s") or 15),
            }
            with sandbox.lock:
                sandbox.failures.append(failure)
            return self._json(200, failure)
        match = re.fullmatch(r"/_sandbox/links/(plink_\w+)/(pay|expire)", path)
        if match:
            link_id, action = match.groups()
            if action == "pay":
                return self._json(200, sandbox.pay(link_id, body.get("method", "upi"), body.get("outcome", "success")))
            return self._json(200, sandbox.expire(link_id))
        raise ApiError(404, "no such control endpoint")

    # --- the hosted payment page --------------------------------------------
    def _page(self, method: str, code: str, paying: bool, query: Dict[str, List[str]]) -> None:
        sandbox = self.sandbox
        link_id = sandbox.codes.get(code)
        if link_id is None:
            return self._html(404, "<h1>404</h1>")
        form = parse_qs(self._body().decode()) if method == "POST" else {}
        lang = (form.get("lang") or query.get("lang") or ["hi"])[0]
        lang = lang if lang in ("hi", "en") else "hi"
        outcome = None
        if paying and method == "POST":
            method_chosen = (form.get("method") or ["upi"])[0]
            wanted = (form.get("outcome") or ["success"])[0]
            try:
                result = sandbox.pay(link_id, method_chosen, "success" if wanted == "success" else "failure")
            except ApiError:
                result = None
            if result and result["payment"]["status"] == "captured":
                link = result["link"]
                if link["callback_url"]:
                    params = {
                        "razorpay_payment_id": result["payment"]["id"],
                        "razorpay_payment_link_id": link["id"],
                        "razorpay_payment_link_reference_id": link["reference_id"],
                        "razorpay_payment_link_status": link["status"],
                    }
                    params["razorpay_signature"] = signatures.sign_callback(params, sandbox.key_secret)
                    separator = "&" if "?" in link["callback_url"] else "?"
                    return self._redirect(link["callback_url"] + separator + urlencode(params))
                outcome = "success"
            elif result:
                outcome = "failure"
        link = sandbox.get(link_id)
        sandbox.expire_due()
        link = sandbox.get(link_id)
        page = _templates.get_template("sandbox_gateway.html").render(
            link=link,
            code=code,
            lang=lang,
            outcome=outcome,
            amount=format_rupees(link["amount"]),
            expires=expiry_text(link["expire_by"], lang) if link["expire_by"] else "",
        )
        self._html(200, page)


def expiry_text(expire_by: int, language: str) -> str:
    """When a link expires, in India time with the zone said ("4 दिसंबर 2026, शाम 5:40 बजे (IST)"),
    whatever the machine's own time zone."""
    moment = dt.datetime.fromtimestamp(expire_by, dt.timezone.utc)
    return f"{when_text(moment, 'en' if language == 'en' else 'hi')} (IST)"


def make_server(host: str, port: int, sandbox: Sandbox) -> ThreadingHTTPServer:
    handler = type("SandboxHandler", (Handler,), {"sandbox": sandbox})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def _expiry_loop(sandbox: Sandbox, stop: threading.Event) -> None:
    while not stop.wait(1.0):
        sandbox.expire_due()


def main(argv: Optional[List[str]] = None) -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.sandbox_gateway_port)
    parser.add_argument("--webhook-url", default=settings.public_url.rstrip("/") + WEBHOOK_PATH)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    key_id, key_secret, webhook_secret = sandbox_credentials(settings)
    sandbox = Sandbox(settings.sandbox_gateway_url, key_id, key_secret, webhook_secret, args.webhook_url)
    server = make_server(args.host, args.port, sandbox)
    stop = threading.Event()
    threading.Thread(target=_expiry_loop, args=(sandbox, stop), daemon=True).start()
    log.info("sandbox gateway on http://%s:%d, webhooks to %s", args.host, args.port, args.webhook_url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()


if __name__ == "__main__":
    main()
