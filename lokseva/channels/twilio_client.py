"""Twilio's REST API for WhatsApp, without blocking the event loop.

The `twilio` 8.2.2 client is blocking; inside Rasa's event loop one slow call
would stall every conversation. This small client calls the Messages resource
(POST /2010-04-01/Accounts/{AccountSid}/Messages.json) with aiohttp, creates
contents (reply buttons, lists) with the Content API (POST
https://content.twilio.com/v1/Content), shows the typing indicator (POST
https://messaging.twilio.com/v2/Indicators/Typing.json), and fetches the media
citizens send. `api_base` is configurable (TWILIO_API_BASE) so the
local fake (lokseva/devtools/fake_twilio.py) stands in for development and tests.

Retries: 429 and 5xx are retried with exponential backoff (with jitter), honouring
Retry-After; a refused connection is retried too (nothing was sent). Other 4xx
are final (the request is wrong; repeating it cannot help), and so is a timeout:
Twilio may have accepted the message, and a retry could send it twice.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Tuple

import aiohttp
from yarl import URL

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.twilio.com"
CONTENT_API_BASE = "https://content.twilio.com"
MESSAGING_API_BASE = "https://messaging.twilio.com"
API_VERSION = "2010-04-01"


class TwilioError(Exception):
    """Twilio refused a request (status, Twilio's error code and message) or was unreachable."""

    def __init__(
        self,
        status: int,
        code: Optional[int],
        message: str,
        more_info: Optional[str] = None,
        *,
        unreachable: bool = False,
    ):
        super().__init__(f"Twilio error {code or '-'} (HTTP {status or '-'}): {message}")
        self.status = status
        self.code = code
        self.message = message
        self.more_info = more_info
        self.unreachable = unreachable  # no connection: certainly nothing was sent

    @property
    def retryable(self) -> bool:
        return self.status == 429 or self.status >= 500

    @property
    def worth_sending_later(self) -> bool:
        """Twilio was busy, broken or unreachable: the same message may succeed later.
        Not a 4xx (the request is wrong) nor a timeout (Twilio may have taken it)."""
        return self.retryable or self.unreachable

    @classmethod
    def from_response(cls, status: int, payload: Any) -> "TwilioError":
        if isinstance(payload, dict):
            code = payload.get("code")
            return cls(
                status,
                int(code) if str(code or "").isdigit() else None,
                str(payload.get("message") or "no message"),
                payload.get("more_info"),
            )
        return cls(status, None, str(payload)[:200] or "no message")


class MediaError(Exception):
    """A citizen's media could not be used; `reason` is too_large | download_failed."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass(frozen=True)
class SentMessage:
    sid: str
    status: str
    raw: Dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Media:
    content: bytes
    content_type: str


def _retry_after(value: Optional[str]) -> Optional[float]:
    """Retry-After in seconds (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class TwilioClient:
    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        api_base: str = DEFAULT_API_BASE,
        *,
        timeout: float = 15.0,
        max_attempts: int = 6,  # with the defaults: retries over about 15 to 30 s
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.account_sid = account_sid
        self.auth = aiohttp.BasicAuth(account_sid, auth_token)
        self.api_base = (api_base or DEFAULT_API_BASE).rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self._sleep = sleep
        self._session: Optional[aiohttp.ClientSession] = None
        self._session_loop: Optional[asyncio.AbstractEventLoop] = None

    @property
    def messages_url(self) -> str:
        return f"{self.api_base}/{API_VERSION}/Accounts/{self.account_sid}/Messages.json"

    @property
    def content_url(self) -> str:
        return f"{self._base_for(CONTENT_API_BASE)}/v1/Content"

    @property
    def typing_url(self) -> str:
        return f"{self._base_for(MESSAGING_API_BASE)}/v2/Indicators/Typing.json"

    def _base_for(self, production_base: str) -> str:
        """Twilio serves the Content and Typing APIs from their own hosts; a fake
        (api_base elsewhere) serves them all."""
        return production_base if self.api_base == DEFAULT_API_BASE else self.api_base

    def _get_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            self._session = aiohttp.ClientSession(timeout=self.timeout, connector=aiohttp.TCPConnector(limit=64))
            self._session_loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def backoff(self, attempt: int) -> float:
        """Delay before retry number `attempt` (1, 2, …): exponential with jitter."""
        delay = min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))
        return delay / 2 + random.uniform(0, delay / 2)

    async def send_message(
        self,
        *,
        to: str,
        from_: str,
        body: Optional[str] = None,
        media_urls: Iterable[str] = (),
        content_sid: Optional[str] = None,
        content_variables: Optional[str] = None,
        status_callback: Optional[str] = None,
    ) -> SentMessage:
        """Creates a message; returns its MessageSid and status, or raises TwilioError."""
        form: List[Tuple[str, str]] = [("To", to), ("From", from_)]
        if body:
            form.append(("Body", body))
        form.extend(("MediaUrl", url) for url in media_urls)
        if content_sid:
            form.append(("ContentSid", content_sid))
        if content_variables:
            form.append(("ContentVariables", content_variables))
        if status_callback:
            form.append(("StatusCallback", status_callback))

        payload = await self._post(self.messages_url, data=form)
        return SentMessage(payload["sid"], payload.get("status", "queued"), payload)

    async def create_content(self, definition: Dict[str, Any]) -> str:
        """Creates a content (POST {content base}/v1/Content, JSON); returns its HX… SID."""
        payload = await self._post(self.content_url, json=definition)
        return payload["sid"]

    async def send_typing(self, message_sid: str) -> bool:
        """Shows "typing…" for the citizen's message (and marks it read), until our
        reply arrives or 25 s pass (Twilio's Typing Indicators resource, public beta).
        A courtesy: one try, never retried, and a failure only logged."""
        try:
            async with self._get_session().post(
                self.typing_url,
                data={"channel": "whatsapp", "messageId": message_sid},
                auth=self.auth,
                timeout=aiohttp.ClientTimeout(total=5),
            ) as resp:
                if resp.status in (200, 201):
                    return True
                logger.info("twilio: typing indicator not shown (HTTP %s)", resp.status)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            logger.info("twilio: typing indicator not shown: %r", exc)
        return False

    async def _post(self, url: str, *, data: Any = None, json: Any = None) -> Dict[str, Any]:
        """One create request with the retries described above; Twilio's answer
        (a dict with a "sid"), or TwilioError."""
        session = self._get_session()
        error: Optional[TwilioError] = None
        for attempt in range(1, self.max_attempts + 1):
            delay: Optional[float] = None
            try:
                async with session.post(url, data=data, json=json, auth=self.auth) as resp:
                    try:
                        payload = await resp.json(content_type=None)
                    except ValueError:
                        payload = await resp.text()
                    if resp.status in (200, 201) and isinstance(payload, dict) and payload.get("sid"):
                        return payload
                    error = TwilioError.from_response(resp.status, payload)
                    if not error.retryable:
                        raise error
                    delay = _retry_after(resp.headers.get("Retry-After"))
            except aiohttp.ClientConnectorError as exc:
                error = TwilioError(0, None, f"cannot connect to {url}: {exc}", unreachable=True)
            except (asyncio.TimeoutError, aiohttp.ClientError) as exc:
                # Maybe accepted: retrying could deliver the message twice.
                raise TwilioError(0, None, f"no answer from Twilio: {exc!r}") from None
            if attempt == self.max_attempts:
                break
            wait = min(self.backoff_max, delay) if delay is not None else self.backoff(attempt)
            logger.warning("twilio: %s; retry %d/%d in %.2f s", error, attempt, self.max_attempts - 1, wait)
            await self._sleep(wait)
        assert error is not None
        raise error

    def is_account_media_url(self, url: str) -> bool:
        """A media URL of this account on Twilio's API (scheme, host and port of
        api_base, path under /2010-04-01/Accounts/<sid>/): the only URLs that get
        the account's credentials, whatever host a webhook's MediaUrl names."""
        base, target = URL(self.api_base), URL(url)
        return (
            (target.scheme, target.host, target.port) == (base.scheme, base.host, base.port)
            and target.path.startswith(f"/2010-04-01/Accounts/{self.account_sid}/")
            and ".." not in target.path
        )

    async def fetch_media(self, url: str, max_bytes: int) -> Media:
        """Downloads a citizen's media (Twilio's media URLs take the account's basic auth)."""
        if not self.is_account_media_url(url):
            raise MediaError("download_failed", "not a media URL of this Twilio account")
        session = self._get_session()
        try:
            async with session.get(url, auth=self.auth, allow_redirects=True) as resp:
                if resp.status != 200:
                    raise MediaError("download_failed", f"HTTP {resp.status}")
                if resp.content_length is not None and resp.content_length > max_bytes:
                    raise MediaError("too_large", f"{resp.content_length} bytes")
                chunks: List[bytes] = []
                size = 0
                async for chunk in resp.content.iter_chunked(64 * 1024):
                    size += len(chunk)
                    if size > max_bytes:
                        raise MediaError("too_large", f"more than {max_bytes} bytes")
                    chunks.append(chunk)
                content_type = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
                return Media(b"".join(chunks), content_type)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise MediaError("download_failed", repr(exc)) from None
