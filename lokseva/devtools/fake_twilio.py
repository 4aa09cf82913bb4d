"""A local fake of Twilio's REST API for WhatsApp (development, tests, simulator).

Implements the part of Twilio's contract the channel relies on:

- POST /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP basic auth
  (401, code 20003, when wrong), Twilio's validation errors (21603 From, 21604 To,
  21211 invalid To, 21910 From/To channels differ, 63007 unknown sender,
  21619 no body/media/content, 21617 body over 1,600 characters, 21620 bad media
  URL, 21655/21656 bad ContentSid/ContentVariables) and the 201 response shape
  (sid "SM…", status "queued");
- status callbacks to StatusCallback: queued -> sent -> delivered (or failed with
  an error code), form-encoded and signed with X-Twilio-Signature like Twilio;
- media: files stored here are served at Twilio-shaped media URLs behind basic auth,
  which redirect to a signed URL on another host (that refuses Authorization headers).

And for tests and the simulator (/_fake/...):
- GET /_fake/messages?to=whatsapp:+91…|phone=+91…&after=SEQ   recorded messages
- DELETE /_fake/messages                                      forget them
- POST /_fake/media (body = the file, Content-Type)            -> {"url", "content_type"}
- POST /_fake/inbound {from, body, media, location}            log a citizen's message
- POST /_fake/fail {"status": 429|500|…, "times": N, "retry_after": s}
       or {"delivery_error": 63016, "times": N}                fail the next N
       or {"status": 503, "for_seconds": S}                     fail every request for S seconds (an outage)
- POST /_fake/read {"phone": "+91…"}                           citizen read: "read" callbacks
- GET /_fake/stats, GET /_fake/health, GET /_fake/typing (typing indicators shown)

The Content API (reply buttons, lists) is in fake_twilio_content.py; the Typing
Indicators resource (POST /v2/Indicators/Typing.json, form channel=whatsapp and
messageId=SM…/MM…) is recorded here.

Callbacks go to the URL the channel gave (its public URL); `forward` maps that
URL's prefix to where the server really listens (like a tunnel or proxy), and
the signature is computed over the public URL, as Twilio does.

    python -m lokseva.devtools.fake_twilio     # port FAKE_TWILIO_PORT, from settings
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import email.utils
import json
import logging
import re
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Deque, Dict, List, Optional, Sequence, Tuple

import aiohttp
from aiohttp import web
from twilio.request_validator import RequestValidator
from yarl import URL

from lokseva.channels.identity import whatsapp_address
from lokseva.channels.notifications import render_content_template
from lokseva.devtools.fake_twilio_content import FakeContentApi
from lokseva.settings import get_settings

logger = logging.getLogger("fake_twilio")

API = "/2010-04-01"
_WHATSAPP = re.compile(r"^whatsapp:\+[1-9]\d{6,14}$")
_CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")
MAX_BODY = 1600


def _sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _error(status: int, code: int, message: str, headers: Optional[Dict[str, str]] = None) -> web.Response:
    return web.json_response(
        {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status},
        status=status,
        headers=headers,
    )


@dataclass
class Failure:
    status: int = 0
    retry_after: Optional[float] = None
    delivery_error: Optional[int] = None


@dataclass
class FakeTwilio:
    account_sid: str
    auth_token: str
    whatsapp_number: str
    forward: Sequence[Tuple[str, str]] = ()
    callback_delay: float = 0.02
    base_url: str = ""
    messages: List[Dict[str, Any]] = field(default_factory=list)
    media: Dict[str, Tuple[bytes, str]] = field(default_factory=dict)
    api_failures: Deque[Failure] = field(default_factory=deque)
    delivery_failures: Deque[Failure] = field(default_factory=deque)
    outage: Optional[Tuple[float, Failure]] = None  # (until, monotonic clock): every API call fails
    stats: Dict[str, int] = field(default_factory=lambda: {"attempts": 0, "refused": 0, "created": 0, "callbacks": 0})

    def __post_init__(self) -> None:
        self.validator = RequestValidator(self.auth_token)
        self._session: Optional[aiohttp.ClientSession] = None
        self._tasks: set = set()
        self._seq = 0
        self.content = FakeContentApi(self.account_sid, self._authorised)
        self.typing: List[str] = []

    # ------------------------------------------------------------ helpers

    def _authorised(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return secrets.compare_digest(user, self.account_sid) and secrets.compare_digest(password, self.auth_token)

    def _record(self, message: Dict[str, Any]) -> Dict[str, Any]:
        self._seq += 1
        message["seq"] = self._seq
        message["created_at"] = time.time()
        self.messages.append(message)
        return message

    def _forwarded(self, url: str) -> str:
        for public, local in self.forward:
            if url.startswith(public):
                return local + url[len(public) :]
        return url

    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _callback(self, message: Dict[str, Any], status: str, error_code: Optional[int] = None) -> None:
        message["status"] = status
        if error_code:
            message["error_code"] = error_code
        url = message.get("status_callback")
        if not url:
            return
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "ChannelPrefix": "whatsapp",
            "From": message["from"],
            "To": message["to"],
            "MessageSid": message["sid"],
            "SmsSid": message["sid"],
            "MessageStatus": status,
            "SmsStatus": status,
        }
        if error_code:
            params["ErrorCode"] = str(error_code)
        signature = self.validator.compute_signature(url, params)
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        try:
            async with self._session.post(
                self._forwarded(url), data=params, headers={"X-Twilio-Signature": signature}
            ) as resp:
                self.stats["callbacks"] += 1
                if resp.status >= 400:
                    logger.warning("status callback %s for %s: HTTP %s", status, message["sid"], resp.status)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.warning("status callback %s for %s failed: %r", status, message["sid"], error)

    async def _lifecycle(self, message: Dict[str, Any], failure: Optional[Failure]) -> None:
        await self._callback(message, "queued")
        await asyncio.sleep(self.callback_delay)
        if failure is not None:
            await self._callback(message, "failed", failure.delivery_error)
            return
        await self._callback(message, "sent")
        await asyncio.sleep(self.callback_delay)
        await self._callback(message, "delivered")

    # ------------------------------------------------------------ Twilio's API

    async def create_message(self, request: web.Request) -> web.Response:
        self.stats["attempts"] += 1
        if not self._authorised(request):
            self.stats["refused"] += 1
            return _error(401, 20003, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'})
        if request.match_info["account"] != self.account_sid:
            self.stats["refused"] += 1
            return _error(404, 20404, "The requested resource was not found")
        failure = None
        if self.outage is not None and time.monotonic() < self.outage[0]:
            failure = self.outage[1]
        elif self.api_failures:
            failure = self.api_failures.popleft()
        if failure is not None:
            self.stats["refused"] += 1
            headers = {"Retry-After": f"{failure.retry_after:g}"} if failure.retry_after is not None else None
            if failure.status == 429:
                return _error(429, 20429, "Too Many Requests", headers)
            if failure.status >= 500:
                return _error(failure.status, 20500, "Internal Server Error", headers)
            return _error(failure.status, 21211, "Invalid 'To' Phone Number (failure on demand)")
        form = await request.post()
        to, from_ = form.get("To", ""), form.get("From", "")
        body = form.get("Body") or ""
        media_urls = form.getall("MediaUrl", [])
        content_sid = form.get("ContentSid")
        content_variables = form.get("ContentVariables")
        problem = None
        if not to:
            problem = (21604, "A 'To' phone number is required.")
        elif not from_:
            problem = (21603, "A 'From' phone number is required.")
        elif to.startswith("whatsapp:") != from_.startswith("whatsapp:"):
            problem = (21910, "Invalid From and To pair. From and To should be of the same channel")
        elif not _WHATSAPP.match(to):
            problem = (21211, f"Invalid 'To' Phone Number: {to[:9]}…")
        elif from_ != self.whatsapp_number:
            problem = (63007, "Twilio could not find a Channel with the specified From address")
        elif not (body or media_urls or content_sid):
            problem = (21619, "A text message body or media urls must be specified.")
        elif _utf16_len(body) > MAX_BODY:
            problem = (21617, "The concatenated message body exceeds the 1600 character limit.")
        elif any(not u.startswith(("http://", "https://")) for u in media_urls):
            problem = (21620, "Invalid media URL(s)")
        elif content_sid and not _CONTENT_SID.match(content_sid):
            problem = (21655, "The ContentSid is Invalid")
        elif content_variables:
            try:
                if not isinstance(json.loads(content_variables), dict):
                    raise ValueError
            except ValueError:
                problem = (21656, "The ContentVariables Parameter is invalid")
        if problem:
            self.stats["refused"] += 1
            return _error(400, *problem)

        sid = _sid("MM" if media_urls else "SM")
        now = email.utils.formatdate(usegmt=True)
        rendered = interactive = None
        if content_sid:
            try:
                interactive = self.content.render(content_sid, content_variables)
            except ValueError as error:
                self.stats["refused"] += 1
                return _error(400, 21656, f"The ContentVariables Parameter is invalid: {error}")
            if interactive is None:
                rendered = render_content_template(content_sid, content_variables)
            else:
                body = interactive["body"]
        message = self._record(
            {
                "sid": sid,
                "direction": "outbound-api",
                "from": from_,
                "to": to,
                "body": body,
                "media_urls": list(media_urls),
                "content_sid": content_sid,
                "content_variables": content_variables,
                "rendered": rendered,
                "interactive": interactive,
                "status": "queued",
                "error_code": None,
                "status_callback": form.get("StatusCallback"),
            }
        )
        self.stats["created"] += 1
        failure = self.delivery_failures.popleft() if self.delivery_failures else None
        self._spawn(self._lifecycle(message, failure))
        uri = f"{API}/Accounts/{self.account_sid}/Messages/{sid}"
        return web.json_response(
            {
                "account_sid": self.account_sid,
                "api_version": "2010-04-01",
                "body": body,
                "date_created": now,
                "date_sent": None,
                "date_updated": now,
                "direction": "outbound-api",
                "error_code": None,
                "error_message": None,
                "from": from_,
                "messaging_service_sid": None,
                "num_media": str(len(media_urls)),
                "num_segments": "1",
                "price": None,
                "price_unit": "USD",
                "sid": sid,
                "status": "queued",
                "to": to,
                "uri": uri + ".json",
                "subresource_uris": {"media": uri + "/Media.json"},
            },
            status=201,
        )

    async def typing_indicator(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, 20003, "Authenticate")
        form = await request.post()
        if form.get("channel") != "whatsapp" or not re.match(r"^(SM|MM)[0-9a-fA-F]{32}$", form.get("messageId", "")):
            return _error(400, 20001, "channel must be whatsapp and messageId a Message SID")
        self.typing.append(form["messageId"])
        return web.json_response({"success": True})

    async def list_typing(self, request: web.Request) -> web.Response:
        return web.json_response({"typing": self.typing})

    async def fetch_message(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, 20003, "Authenticate")
        for m in self.messages:
            if m["sid"] == request.match_info["sid"]:
                return web.json_response({k: m[k] for k in ("sid", "status", "to", "from", "body", "error_code")})
        return _error(404, 20404, "The requested resource was not found")

    async def get_media(self, request: web.Request) -> web.Response:
        """Like Twilio: with the account's basic auth, a redirect to a short-lived
        signed URL on another host (here "localhost" instead of "127.0.0.1")."""
        if not self._authorised(request):
            return _error(401, 20003, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'})
        media = request.match_info["media"]
        if media not in self.media:
            return _error(404, 20404, "The requested resource was not found")
        base = URL(self.base_url)
        cdn = base.with_host("localhost" if base.host != "localhost" else "127.0.0.1")
        token = self.validator.compute_signature(media, {})
        location = cdn.with_path(f"/_fake/cdn/{media}").with_query({"token": token})
        raise web.HTTPTemporaryRedirect(location=str(location))

    async def get_cdn_media(self, request: web.Request) -> web.Response:
        """The signed URL: refuses any Authorization header (as S3 does), so a client
        that forwards Twilio's credentials across the redirect fails here."""
        media = request.match_info["media"]
        if "Authorization" in request.headers:
            return web.Response(status=400, text="Only one auth mechanism allowed")
        if media not in self.media or request.query.get("token") != self.validator.compute_signature(media, {}):
            return web.Response(status=403, text="Access Denied")
        content, content_type = self.media[media]
        return web.Response(body=content, content_type=content_type)

    # ------------------------------------------------------------ test hooks

    async def store_media(self, request: web.Request) -> web.Response:
        content = await request.read()
        content_type = request.content_type or "application/octet-stream"
        media_sid, message_sid = _sid("ME"), _sid("MM")
        self.media[media_sid] = (content, content_type)
        url = f"{self.base_url}{API}/Accounts/{self.account_sid}/Messages/{message_sid}/Media/{media_sid}"
        return web.json_response({"url": url, "content_type": content_type, "size": len(content)})

    async def record_inbound(self, request: web.Request) -> web.Response:
        data = await request.json()
        message = self._record(
            {
                "sid": data.get("sid") or _sid("SM"),
                "direction": "inbound",
                "from": data.get("from"),
                "to": self.whatsapp_number,
                "body": data.get("body") or "",
                "media": data.get("media") or [],
                "location": data.get("location"),
                "status": "received",
            }
        )
        return web.json_response(message)

    async def list_messages(self, request: web.Request) -> web.Response:
        to = request.query.get("to")
        phone = request.query.get("phone")
        after = int(request.query.get("after") or 0)
        found = [m for m in self.messages if m["seq"] > after]
        if to:
            found = [m for m in found if m["to"] == to]
        if phone:
            address = phone if phone.startswith("whatsapp:") else f"whatsapp:{phone}"
            found = [m for m in found if address in (m["to"], m["from"])]
        return web.json_response({"messages": found})

    async def clear_messages(self, request: web.Request) -> web.Response:
        self.messages.clear()
        return web.json_response({"ok": True})

    async def fail(self, request: web.Request) -> web.Response:
        data = await request.json()
        times = int(data.get("times", 1))
        if data.get("content_status"):
            self.content.fail(int(data["content_status"]), times)
        elif data.get("delivery_error"):
            self.delivery_failures.extend(Failure(delivery_error=int(data["delivery_error"])) for _ in range(times))
        else:
            status = int(data.get("status", 500))
            if not 400 <= status <= 599:
                return web.json_response({"error": "status must be 4xx or 5xx"}, status=400)
            retry_after = data.get("retry_after")
            failure = Failure(status, float(retry_after) if retry_after is not None else None)
            if data.get("for_seconds"):
                self.outage = (time.monotonic() + float(data["for_seconds"]), failure)
            else:
                self.api_failures.extend(failure for _ in range(times))
        return web.json_response(
            {"api_failures": len(self.api_failures), "delivery_failures": len(self.delivery_failures)}
        )

    async def mark_read(self, request: web.Request) -> web.Response:
        data = await request.json()
        address = data.get("phone", "")
        address = address if address.startswith("whatsapp:") else f"whatsapp:{address}"
        read = [m for m in self.messages if m["to"] == address and m.get("status") == "delivered"]
        for message in read:
            self._spawn(self._callback(message, "read"))
        return web.json_response({"read": len(read)})

    async def get_stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats | {"pending_api_failures": len(self.api_failures)})

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._session is not None:
            await self._session.close()

    def app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        account = API + "/Accounts/{account}"
        app.router.add_post(account + "/Messages.json", self.create_message)
        app.router.add_get(account + "/Messages/{sid}.json", self.fetch_message)
        app.router.add_get(account + "/Messages/{sid}/Media/{media}", self.get_media)
        app.router.add_get("/_fake/cdn/{media}", self.get_cdn_media)
        app.router.add_post("/_fake/media", self.store_media)
        app.router.add_post("/_fake/inbound", self.record_inbound)
        app.router.add_get("/_fake/messages", self.list_messages)
        app.router.add_delete("/_fake/messages", self.clear_messages)
        app.router.add_post("/_fake/fail", self.fail)
        app.router.add_post("/_fake/read", self.mark_read)
        app.router.add_get("/_fake/stats", self.get_stats)
        app.router.add_get("/_fake/health", self.health)
        app.router.add_get("/_fake/typing", self.list_typing)
        app.router.add_post("/v2/Indicators/Typing.json", self.typing_indicator)
        self.content.add_routes(app)

        async def on_cleanup(_app):
            await self.close()

        app.on_cleanup.append(on_cleanup)
        return app


async def start_fake(
    account_sid: str,
    auth_token: str,
    whatsapp_number: str,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    forward: Sequence[Tuple[str, str]] = (),
    callback_delay: float = 0.02,
) -> Tuple[FakeTwilio, web.AppRunner]:
    """Starts the fake inside the running event loop (tests); returns it and its runner."""
    fake = FakeTwilio(account_sid, auth_token, whatsapp_number, forward=forward, callback_delay=callback_delay)
    runner = web.AppRunner(fake.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = site._server.sockets[0].getsockname()[1]  # the free port the OS gave
    fake.base_url = f"http://{host}:{bound}"
    return fake, runner


def main(argv: Optional[list] = None) -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(description="Local fake of Twilio's REST API")
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.fake_twilio_port)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    fake = FakeTwilio(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        whatsapp_address(settings.twilio_whatsapp_number),
        # Twilio calls the public URL; here the webhooks live on the Rasa server.
        forward=[(settings.public_url.rstrip("/") + "/webhooks/", settings.rasa_url.rstrip("/") + "/webhooks/")],
    )
    fake.base_url = f"http://{args.host}:{args.port}"
    web.run_app(fake.app(), host=args.host, port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
