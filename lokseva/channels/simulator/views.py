"""The WhatsApp simulator: talk to the assistant like a citizen, without a phone.

The page (GET /simulator) is a phone-like chat. Its backend plays Twilio's part
towards the assistant: it sends form-encoded webhooks signed with
X-Twilio-Signature (over the public URL, as Twilio does) to the real channel
endpoint on the Rasa server, with photos and PDFs placed in the local fake
Twilio's media store and location pins as Latitude/Longitude. A tap on a reply
button or list item is sent as Twilio does (ButtonPayload/ButtonText, ListId/
ListTitle). A voice note is recorded with espeak-ng from the words the tester
types, and those words are registered with the fake Bhashini for that
recording (the fake cannot understand speech). The bot's answers are what the
channel sent to the fake Twilio's REST API, polled from there; spoken answers
are played from the channel's signed links.

Development and test only: it holds the auth token and can sign anything, so it
is not registered in production (lokseva/web/app.py) and answers only requests
from this machine that no proxy forwarded.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

import aiohttp
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, response
from sanic.request import Request
from twilio.request_validator import RequestValidator

from lokseva.channels.identity import InvalidPhoneNumber, normalise_phone, whatsapp_address
from lokseva.channels.whatsapp import VOICE_PATH, WEBHOOK_PATH
from lokseva.speech import SpeechError
from lokseva.speech.audio import to_ogg_opus, to_wav16k
from lokseva.speech.espeak import EspeakSpeech
from lokseva.fonts import FontUnavailable, variable_font_path
from lokseva.settings import Settings

_templates = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent / "templates")), autoescape=select_autoescape(["html"])
)
MAX_UPLOAD = 12 * 1024 * 1024  # above the channel's 5 MB, so its polite refusal can be tried
# Citizens to pick from (numbers in India's reserved-for-testing style; any +91 number works).
SAMPLE_CITIZENS = [
    ("+919876543210", "सीता बाई · Sita Bai"),
    ("+919812345678", "रमेश भूरिया · Ramesh Bhuriya"),
    ("+919898989898", "English speaker"),
]
JHABUA_PIN = {"latitude": 22.7677, "longitude": 74.5954, "address": "कलेक्टर कार्यालय, झाबुआ", "label": "Collectorate"}


class Simulator:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.fake_url = settings.twilio_api_base.rstrip("/")
        self.uses_fake = self.fake_url == f"http://{settings.host}:{settings.fake_twilio_port}"
        self.webhook_url = settings.rasa_url.rstrip("/") + WEBHOOK_PATH  # where it really listens
        self.signed_url = settings.public_url.rstrip("/") + WEBHOOK_PATH  # what Twilio would call
        # Signs as Twilio does (Twilio's scheme, not lokseva.signing's), so the channel checks it as Twilio's.
        self.validator = RequestValidator(settings.twilio_auth_token)
        self.number = whatsapp_address(settings.twilio_whatsapp_number)
        self._http: Optional[aiohttp.ClientSession] = None

    @property
    def http(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        return self._http

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

    async def store_media(self, content: bytes, content_type: str) -> Dict[str, Any]:
        async with self.http.post(
            f"{self.fake_url}/_fake/media", data=content, headers={"Content-Type": content_type}
        ) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def record_voice_note(self, words: str) -> Dict[str, str]:
        """A voice note saying `words` (espeak-ng, OGG/Opus), in the fake Twilio's
        media store, its transcript registered with the fake Bhashini."""
        ogg = await to_ogg_opus(await EspeakSpeech().synthesise(words, "hi"))
        digest = hashlib.sha256(await to_wav16k(ogg)).hexdigest()
        bhashini = self.settings.bhashini_config_url.split("/ulca/")[0]
        async with self.http.post(f"{bhashini}/_fake/transcripts", json={"sha256": digest, "text": words}) as resp:
            resp.raise_for_status()
        stored = await self.store_media(ogg, "audio/ogg")
        return {"url": stored["url"], "content_type": "audio/ogg", "filename": "voice-note.ogg"}

    async def send(
        self,
        phone: str,
        text: str = "",
        media: Optional[List[Dict[str, str]]] = None,
        location: Optional[Dict[str, Any]] = None,
        tap: Optional[Dict[str, str]] = None,
    ) -> Dict[str, Any]:
        """What Twilio does when a citizen sends a WhatsApp message."""
        sid = ("MM" if media else "SM") + uuid.uuid4().hex
        params: Dict[str, str] = {
            "MessageSid": sid,
            "SmsMessageSid": sid,
            "SmsSid": sid,
            "AccountSid": self.settings.twilio_account_sid,
            "MessagingServiceSid": "",
            "From": f"whatsapp:{phone}",
            "To": self.number,
            "Body": text,
            "NumMedia": str(len(media or [])),
            "NumSegments": "1",
            "ReferralNumMedia": "0",
            "ProfileName": "Simulator",
            "WaId": phone.lstrip("+"),
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
        }
        for i, item in enumerate(media or []):
            params[f"MediaUrl{i}"] = item["url"]
            params[f"MediaContentType{i}"] = item["content_type"]
        if tap:  # Body is the title, as Twilio sends it
            if tap.get("kind") == "list":
                params.update({"ListId": tap["payload"], "ListTitle": tap["title"]})
            else:
                params.update({"ButtonPayload": tap["payload"], "ButtonText": tap["title"]})
        if location:
            params.update(
                {
                    "Latitude": str(location["latitude"]),
                    "Longitude": str(location["longitude"]),
                    "Address": location.get("address") or "",
                    "Label": location.get("label") or "",
                }
            )
        # The conversation log of the fake Twilio shows the citizen's side too.
        async with self.http.post(
            f"{self.fake_url}/_fake/inbound",
            json={
                "sid": sid,
                "from": f"whatsapp:{phone}",
                "body": text,
                "location": location,
                "media": [
                    {"url": m["url"], "content_type": m["content_type"], "filename": m.get("filename")}
                    for m in media or []
                ],
            },
        ) as resp:
            resp.raise_for_status()
        signature = self.validator.compute_signature(self.signed_url, params)
        async with self.http.post(self.webhook_url, data=params, headers={"X-Twilio-Signature": signature}) as resp:
            return {"sid": sid, "status": resp.status, "ok": resp.status == 200}

    async def messages(self, phone: str, after: int) -> List[Dict[str, Any]]:
        async with self.http.get(
            f"{self.fake_url}/_fake/messages", params={"phone": phone, "after": str(after)}
        ) as resp:
            resp.raise_for_status()
            return (await resp.json())["messages"]


_LOOPBACK = ("127.0.0.1", "::1")
_FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def is_local_request(request: Request) -> bool:
    """The TCP peer is this machine and no proxy forwarded the request."""
    peer = (request.conn_info.client_ip if request.conn_info else "") or ""
    return peer in _LOOPBACK and not any(h in request.headers for h in _FORWARDING_HEADERS)


def create_blueprint(settings: Settings) -> Blueprint:
    simulator = Simulator(settings)
    bp = Blueprint("simulator", url_prefix="/simulator")

    @bp.listener("before_server_stop")
    async def close(app, loop):
        await simulator.close()

    @bp.middleware("request")
    async def only_from_this_machine(request: Request):
        # It signs webhooks with the real auth token: never to another machine, nor
        # through a proxy (which would make a distant caller look local).
        if not is_local_request(request):
            return response.text("not found", status=404)
        return None

    def _phone(value: Any) -> str:
        return normalise_phone(str(value or ""))

    @bp.get("/")
    async def page(request: Request):
        return response.html(
            _templates.get_template("simulator.html").render(
                citizens=SAMPLE_CITIZENS,
                pin=JHABUA_PIN,
                uses_fake=simulator.uses_fake,
                number=simulator.number,
                signed_url=simulator.signed_url,
            )
        )

    @bp.get("/font.ttf")
    async def font(request: Request):
        """Noto Sans Devanagari from the installed font package, for phones and
        machines without a Devanagari font."""
        try:
            path = variable_font_path()
        except FontUnavailable:
            return response.empty(status=404)
        return await response.file(path, mime_type="font/ttf", headers={"Cache-Control": "max-age=86400"})

    @bp.post("/api/send")
    async def send(request: Request):
        if not simulator.uses_fake:
            return response.json({"error": "the simulator needs the local fake Twilio (TWILIO_API_BASE)"}, 409)
        media: List[Dict[str, str]] = []
        location = tap = None
        try:
            if request.content_type.startswith("multipart/form-data"):
                phone = _phone(request.form.get("phone"))
                text = request.form.get("text") or ""
                upload = request.files.get("file")
                if upload is None or not upload.body:
                    return response.json({"error": "no file"}, 400)
                if len(upload.body) > MAX_UPLOAD:
                    return response.json({"error": "file too large for the simulator"}, 413)
                content_type = (upload.type or "application/octet-stream").split(";")[0]
                stored = await simulator.store_media(upload.body, content_type)
                media.append({"url": stored["url"], "content_type": content_type, "filename": upload.name})
            else:
                data = request.json or {}
                phone = _phone(data.get("phone"))
                text = str(data.get("text") or "")
                if data.get("location"):
                    loc = data["location"]
                    location = {
                        "latitude": float(loc["latitude"]),
                        "longitude": float(loc["longitude"]),
                        "address": loc.get("address"),
                        "label": loc.get("label"),
                    }
                elif isinstance(data.get("tap"), dict):
                    tap = {
                        "kind": "list" if data["tap"].get("kind") == "list" else "button",
                        "payload": str(data["tap"]["payload"]),
                        "title": str(data["tap"]["title"]),
                    }
                    text = tap["title"]
                elif str(data.get("voice") or "").strip():
                    media.append(await simulator.record_voice_note(str(data["voice"]).strip()[:300]))
                elif not text.strip():
                    return response.json({"error": "empty message"}, 400)
        except InvalidPhoneNumber:
            return response.json({"error": "phone number like +919876543210"}, 400)
        except (KeyError, TypeError, ValueError):
            return response.json({"error": "bad request"}, 400)
        except (SpeechError, aiohttp.ClientError) as error:
            return response.json({"error": f"the voice note could not be recorded: {error}"}, 502)
        try:
            result = await simulator.send(phone, text, media, location, tap)
        except aiohttp.ClientError as error:
            return response.json({"error": f"the assistant is not reachable: {error}"}, 502)
        return response.json(result, status=200 if result["ok"] else 502)

    @bp.get("/api/messages")
    async def messages(request: Request):
        try:
            phone = _phone(request.args.get("phone"))
            after = int(request.args.get("after") or 0)
        except (InvalidPhoneNumber, ValueError):
            return response.json({"error": "phone and after"}, 400)
        try:
            found = await simulator.messages(phone, after)
        except aiohttp.ClientError as error:
            return response.json({"error": f"the fake Twilio is not reachable: {error}"}, 502)
        return response.json({"messages": [_public(m) for m in found]})

    @bp.post("/api/read")
    async def read(request: Request):
        try:
            phone = _phone((request.json or {}).get("phone"))
        except InvalidPhoneNumber:
            return response.json({"error": "phone"}, 400)
        async with simulator.http.post(f"{simulator.fake_url}/_fake/read", json={"phone": phone}) as resp:
            return response.json(await resp.json())

    @bp.get("/api/media")
    async def media_proxy(request: Request):
        """The citizen's own photos for the page (the fake's media needs Twilio's basic auth)."""
        url = request.args.get("url") or ""
        if not url.startswith(f"{simulator.fake_url}/2010-04-01/Accounts/"):
            return response.json({"error": "only the fake Twilio's media"}, 400)
        auth = aiohttp.BasicAuth(settings.twilio_account_sid, settings.twilio_auth_token)
        async with simulator.http.get(url, auth=auth) as resp:
            if resp.status != 200:
                return response.json({"error": "not found"}, 404)
            return response.raw(await resp.read(), content_type=resp.content_type)

    @bp.get("/api/voice")
    async def voice_proxy(request: Request):
        """A spoken answer for the page: the channel's signed link, fetched from the
        Rasa server (locally nothing routes the public URL's /webhooks/ there)."""
        url = request.args.get("url") or ""
        prefix = settings.public_url.rstrip("/") + VOICE_PATH + "/"
        if not url.startswith(prefix):
            return response.json({"error": "only the assistant's spoken answers"}, 400)
        async with simulator.http.get(settings.rasa_url.rstrip("/") + VOICE_PATH + "/" + url[len(prefix) :]) as resp:
            if resp.status != 200:
                return response.json({"error": "expired or not found"}, 404)
            return response.raw(await resp.read(), content_type="audio/ogg")

    return bp


def _public(message: Dict[str, Any]) -> Dict[str, Any]:
    """What the page needs of a recorded message."""
    keys = (
        "seq",
        "sid",
        "direction",
        "body",
        "media_urls",
        "media",
        "location",
        "content_sid",
        "rendered",
        "interactive",
        "status",
        "created_at",
    )
    return {k: message.get(k) for k in keys}
