"""The Rasa channel for WhatsApp through Twilio.

credentials.yml:

    lokseva.channels.whatsapp.WhatsAppInput:
      account_sid: "${TWILIO_ACCOUNT_SID}"
      auth_token: "${TWILIO_AUTH_TOKEN}"
      whatsapp_number: "${TWILIO_WHATSAPP_NUMBER}"
      public_url: "${PUBLIC_URL}"
      api_base: "${TWILIO_API_BASE}"

Routes (on the Rasa server): POST /webhooks/whatsapp/webhook (messages),
POST /webhooks/whatsapp/status (delivery status callbacks), GET /webhooks/whatsapp/.

What it does that Rasa's built-in Twilio connector does not (see
docs/rasa-notes.md): checks X-Twilio-Signature against the configured
public URL, records every webhook before acknowledging it so a redelivery runs
once and a crash loses nothing, answers Twilio at once and runs the turn in the
background in per-citizen order, takes photos/PDFs and location pins, sends
through the REST API without blocking the event loop (with retries, and an
outbox from which the periodic job sends what Twilio did not take), splits long
answers, sends choices as reply buttons or lists (numbered text as the
fallback) and understands taps and typed numbers, understands voice notes and
speaks answers on request (lokseva/channels/voice.py), shows "typing…" while
a slow turn is prepared, sends files as media, proactive messages as approved
templates outside the 24-hour window, and never puts a phone number in a
conversation id or a log line.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Text
from urllib.parse import parse_qsl

from multidict import MultiDict
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from lokseva.channels import messaging, voice
from lokseva.channels.documents import attach_upload
from lokseva.channels.identity import InvalidPhoneNumber, normalise_phone, whatsapp_address
from lokseva.channels.inbox import InboundItem, OrderedTurns
from lokseva.channels.interactive import ContentCache, chosen_payload
from lokseva.channels.media import media_count, receive_media
from lokseva.channels.outbox import Outbox, OutboxSender
from lokseva.channels.output import WhatsAppOutput
from lokseva.channels.service import DONE, FAILED, IGNORED, ChannelStore, TurnStart, utcnow
from lokseva.channels.text import match_button_reply, normalise_text
from lokseva.channels.twilio_client import MediaError, TwilioClient
from lokseva.db import create_engine_for
from lokseva.language import detect_language
from lokseva.privacy import mask_phone
from lokseva.privacy.aadhaar import redact_aadhaar
from lokseva.settings import Settings, get_settings
from lokseva.speech import SpeechError, speech_to_text, text_to_speech

logger = logging.getLogger(__name__)

CHANNEL_NAME = "whatsapp"  # also lokseva.channels.output.CHANNEL_NAME
WEBHOOK_PATH = f"/webhooks/{CHANNEL_NAME}/webhook"
STATUS_PATH = f"/webhooks/{CHANNEL_NAME}/status"
UNSPOKEN = ("you_said", "voice_offer")  # the channel's messages no spoken answer reads out
VOICE_PATH = f"/webhooks/{CHANNEL_NAME}/voice"  # spoken answers, behind signed links
SLOW_TURN_S = 1.5  # a turn not answered by then shows "typing…"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
_SID = re.compile(r"^[A-Za-z]{2}[0-9a-fA-F]{32}$")
SWEEP_SECONDS = 10.0  # renew this process's leases (30 s), recover abandoned messages
ORDER_WAIT_SECONDS = 0.1  # how often a turn looks whether another process answered the earlier message
MAX_TURN_ATTEMPTS = 3  # turns begun by processes that died: then the message is given up
TRANSIENT_RETRY_SECONDS = 120.0  # a database or Redis restart: how long a turn is tried again
PRUNE_EVERY = 360  # sweeps (one hour)
DB_THREADS = 12  # the channel's database threads, and its engine's pool
# Twilio's webhook is a form of a few dozen fields with a Body of at most 1,600
# characters (media come as URLs): anything much larger is not Twilio's, and is
# refused before its signature is even computed.
MAX_WEBHOOK_BYTES = 64 * 1024


def _form(request: Request) -> MultiDict:
    """The form as Twilio sent it. Sanic's request.form drops empty values, but
    Twilio signs them (a photo without a caption has Body=""), so parse ourselves."""
    try:
        body = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return MultiDict()
    return MultiDict(parse_qsl(body, keep_blank_values=True))


def is_transient(error: BaseException) -> bool:
    """An error that goes away by itself: the database or Redis restarting, a lost connection."""
    import redis.exceptions
    import sqlalchemy.exc
    from rasa.core.lock_store import LockError

    if isinstance(
        error,
        (
            sqlalchemy.exc.OperationalError,
            sqlalchemy.exc.InterfaceError,
            LockError,
            redis.exceptions.ConnectionError,
            redis.exceptions.TimeoutError,
        ),
    ):
        return True
    return isinstance(error, sqlalchemy.exc.DBAPIError) and bool(error.connection_invalidated)


def _raise(error: Exception) -> None:
    raise error


def _done_future() -> "asyncio.Future[bool]":
    claim: asyncio.Future = asyncio.get_running_loop().create_future()
    claim.set_result(True)
    return claim


def same_message_id(stored: Optional[str], sid: str) -> bool:
    """Is `stored` (a message id from the tracker) the MessageSid `sid`? The tracker
    store masks any run of 12+ digits as a possible Aadhaar number
    (lokseva.privacy), which can hit the digits inside a hex MessageSid."""
    return (
        stored is not None
        and len(stored) == len(sid)
        and all(a == b or (a == "X" and b.isdigit()) for a, b in zip(stored, sid))
    )


def _location(params: Mapping[str, str]) -> Optional[Dict[str, Any]]:
    try:
        latitude, longitude = float(params["Latitude"]), float(params["Longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return {
        "latitude": latitude,
        "longitude": longitude,
        "address": normalise_text(params.get("Address")) or None,
        "label": normalise_text(params.get("Label")) or None,
    }


class WhatsAppInput(InputChannel):
    """Twilio WhatsApp webhooks in, Rasa turns out."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        missing = [k for k in ("account_sid", "auth_token", "whatsapp_number", "public_url") if not credentials.get(k)]
        if missing:
            raise ValueError(f"credentials.yml: {cls.__module__}.{cls.__name__} needs {', '.join(missing)}")
        return cls(
            account_sid=credentials["account_sid"],
            auth_token=credentials["auth_token"],
            whatsapp_number=credentials["whatsapp_number"],
            public_url=credentials["public_url"],
            api_base=credentials.get("api_base") or None,
        )

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        whatsapp_number: str,
        public_url: str,
        api_base: Optional[str] = None,
        *,
        settings: Optional[Settings] = None,
        store: Optional[ChannelStore] = None,
        client: Optional[TwilioClient] = None,
    ) -> None:
        settings = settings or get_settings()
        self.whatsapp_number = whatsapp_address(whatsapp_number)
        self.public_url = public_url.rstrip("/")
        # Twilio's X-Twilio-Signature is Twilio's scheme with its auth token, checked by
        # Twilio's own validator; lokseva.signing is for what the assistant signs itself.
        self.validator = RequestValidator(auth_token)
        self.client = client or TwilioClient(account_sid, auth_token, api_base or settings.twilio_api_base)
        self._own_engine = store is None
        if store is None:
            # Its own connections, one for each of the channel's threads: none waits
            # for one, none is connected for one use only.
            store = ChannelStore(
                create_engine_for(settings.database_url, pool_size=DB_THREADS), settings.keyring("conversation")
            )
        self.store = store
        self.uploads_dir = Path(settings.uploads_dir)
        self.owner = uuid.uuid4().hex  # this process, for the inbox leases
        self.outbox = OutboxSender(
            Outbox(store.engine),
            store,
            self.client,
            self.whatsapp_number,
            self.status_url,
            self.db,
            settings.whatsapp_outbox_max_attempts,
        )
        self.turns = OrderedTurns(self._run_turn)
        self.interactive = settings.whatsapp_interactive
        self.contents = ContentCache(store.engine)
        self.speech_in = speech_to_text(settings)
        tts = text_to_speech(settings)
        self.voice_replies = tts and voice.VoiceReplies(
            tts,
            Path(settings.voice_dir),
            self.public_url + VOICE_PATH,
            settings.keyring("media"),
            settings.media_url_ttl_seconds,
        )
        self._on_new_message: Optional[Callable[[UserMessage], Awaitable[Any]]] = None
        self._phones: Dict[str, str] = {}
        self._sweeper: Optional[asyncio.Task] = None
        self._app = None
        # The channel's own threads for the database: the event loop never waits on it,
        # and its work does not queue behind anything else.
        self._db_pool = ThreadPoolExecutor(max_workers=DB_THREADS, thread_name_prefix="whatsapp-db")

    async def db(self, function: Callable[..., Any], *args: Any) -> Any:
        """Runs a (blocking) database call in the channel's threads."""
        return await asyncio.get_running_loop().run_in_executor(self._db_pool, functools.partial(function, *args))

    @property
    def webhook_url(self) -> str:
        return self.public_url + WEBHOOK_PATH

    @property
    def status_url(self) -> str:
        return self.public_url + STATUS_PATH

    # ------------------------------------------------------------ HTTP

    def is_signed(self, request: Request, params: MultiDict) -> bool:
        """Twilio signs the URL it called, i.e. our *public* URL (behind a proxy
        the URL this server sees differs), plus the sorted form fields."""
        signature = request.headers.get("X-Twilio-Signature", "")
        url = self.public_url + request.path + (f"?{request.query_string}" if request.query_string else "")
        return bool(signature) and self.validator.validate(url, params, signature)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        self._on_new_message = on_new_message
        bp = Blueprint(f"{CHANNEL_NAME}_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_WEBHOOK_BYTES:
                return response.text("too large", status=413)
            return await self.receive(request)

        @bp.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_WEBHOOK_BYTES:
                return response.text("too large", status=413)
            return await self.receive_status(request)

        @bp.route("/voice/<token:str>/<filename:str>", methods=["GET"])
        async def spoken_answer(request: Request, token: str, filename: str) -> HTTPResponse:
            path = self.voice_replies and self.voice_replies.path_for(token)
            if not path:
                return response.text("this link has expired", status=410)
            return await response.file(str(path), mime_type="audio/ogg", headers={"Cache-Control": "private, no-store"})

        @bp.listener("after_server_start")
        async def start(app, loop) -> None:
            self._app = app  # its agent's tracker store: was a recovered message answered already?
            await self.start()

        @bp.listener("before_server_stop")
        async def stop(app, loop) -> None:
            await self.stop()

        return bp

    async def receive(self, request: Request) -> HTTPResponse:
        params = _form(request)
        if not self.is_signed(request, params):
            logger.warning("whatsapp: webhook with a missing or wrong signature refused (%s)", request.ip)
            return response.text("invalid signature", status=403)
        fields = {k: params.get(k) for k in params}
        sid = fields.get("MessageSid") or fields.get("SmsMessageSid") or ""
        try:
            phone = normalise_phone(fields.get("From", ""))
        except InvalidPhoneNumber:
            phone = ""
        if not _SID.match(sid) or not phone:
            return response.text("MessageSid and From are required", status=400)
        loop = asyncio.get_running_loop()
        claim = loop.run_in_executor(self._db_pool, self.store.record_inbound, sid, phone, fields, self.owner)
        # Queued before any await: the citizen's messages keep their arrival order.
        self.turns.submit(InboundItem(sid, self.store.conversation_for(phone), phone, fields, claim))
        try:
            await asyncio.shield(claim)
        except Exception:
            logger.exception("whatsapp: could not record %s from %s", sid, mask_phone(phone))
            return response.text("not recorded, please retry", status=500)
        # Recorded (or a redelivery of a recorded message): Twilio may consider it delivered.
        return response.text(EMPTY_TWIML, content_type="text/xml")

    async def receive_status(self, request: Request) -> HTTPResponse:
        params = _form(request)
        if not self.is_signed(request, params):
            logger.warning("whatsapp: status callback with a wrong signature refused (%s)", request.ip)
            return response.text("invalid signature", status=403)
        sid = params.get("MessageSid") or params.get("SmsSid") or ""
        status = (params.get("MessageStatus") or params.get("SmsStatus") or "").lower()
        if not _SID.match(sid) or not status:
            return response.text("MessageSid and MessageStatus are required", status=400)
        code = params.get("ErrorCode")
        error_code = int(code) if code and code.isdigit() else None
        if error_code:
            logger.warning(
                "whatsapp: message %s to %s %s, error %s", sid, mask_phone(params.get("To", "")), status, error_code
            )
        await self.db(self.store.update_status, sid, status, error_code, params.get("ErrorMessage"))
        if status in ("failed", "undelivered"):
            fallback = await self.db(self.outbox.outbox.take_fallback, sid)
            if fallback:  # buttons or a list this citizen's WhatsApp could not show: the numbers
                asyncio.get_running_loop().create_task(WhatsAppOutput(self).send_text_message(*fallback))
        return response.text("", status=200)

    # ------------------------------------------------------------ background

    async def start(self) -> None:
        if self._sweeper is None:
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep_forever())

    async def stop(self, timeout: float = 10.0) -> None:
        if not await self.turns.drain(timeout):
            logger.warning("whatsapp: stopping with turns still queued; another process will recover them")
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None
        await self.client.close()
        self._db_pool.shutdown(wait=False)
        if self._own_engine:
            self.store.engine.dispose()

    async def sweep(self) -> int:
        """Renews this process's leases and takes over messages of processes that died."""
        await self.db(self.store.renew_leases, self.owner)
        abandoned = await self.db(self.store.claim_abandoned, self.owner)
        for pending in abandoned:
            logger.warning("whatsapp: recovering %s (its process stopped before the turn ran)", pending.message_sid)
            phone = normalise_phone(pending.params.get("From", ""))
            self.turns.submit(
                InboundItem(pending.message_sid, pending.conversation_id, phone, pending.params, _done_future())
            )
        return len(abandoned)

    async def _sweep_forever(self) -> None:
        count = 0
        while True:
            try:
                await self.sweep()
                count += 1
                if count % PRUNE_EVERY == 0:
                    await self.db(self.store.prune_inbox)
                if self.voice_replies:
                    await asyncio.to_thread(self.voice_replies.prune)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("whatsapp: inbox sweep failed")
            await asyncio.sleep(SWEEP_SECONDS)

    # ------------------------------------------------------------ a turn

    async def _run_turn(self, item: InboundItem) -> None:
        """One message's turn. A database or Redis restart in the middle (every
        process loses its connections at once) does not lose the message: the turn
        is tried again until they are back, for TRANSIENT_RETRY_SECONDS."""
        loop = asyncio.get_running_loop()
        deadline, delay, retries = loop.time() + TRANSIENT_RETRY_SECONDS, 0.5, 0
        while True:
            try:
                return await self._turn(item, retries)
            except Exception as error:
                if not is_transient(error) or loop.time() > deadline:
                    with contextlib.suppress(Exception):
                        await self.db(self.store.finish, item.message_sid, FAILED, repr(error)[:500])
                    raise
                logger.warning(
                    "whatsapp: turn for %s interrupted (%s); again in %.1f s",
                    item.message_sid,
                    type(error).__name__,
                    delay,
                )
            await asyncio.sleep(delay)
            delay, retries = min(delay * 2, 5.0), retries + 1

    async def _turn(self, item: InboundItem, retries: int) -> None:
        self._conversation_store_errors_fail_the_turn()
        start = await self._begin_turn(item)
        if start is None:
            return
        if start.attempts and await self._in_tracker(item):
            # A turn of this message ran to the end (tracker saved), then its process died
            # or its database went away before the message was marked done.
            logger.warning("whatsapp: %s was answered already; not again", item.message_sid)
            await self.db(self.store.finish, item.message_sid, DONE)
            return
        if start.attempts - retries >= MAX_TURN_ATTEMPTS:
            await self.db(self.store.finish, item.message_sid, FAILED, "gave up after repeated crashes")
            return
        typing = asyncio.get_running_loop().create_task(self._typing_after(item.message_sid, SLOW_TURN_S))
        try:
            message = await self._user_message(item, start.buttons)
            if message is None:
                await self.db(self.store.finish, item.message_sid, IGNORED)
                return
            started = utcnow()
            await self._on_new_message(message)
        finally:
            typing.cancel()
        await self._after_reply(item, started, bool((message.metadata or {}).get("voice_note")), start.speak_replies)
        await self.db(self.store.finish, item.message_sid, DONE)

    async def _after_reply(self, item: InboundItem, started, was_voice_note: bool, speak_replies: bool) -> None:
        """The turn's reply also as a voice note for a citizen who asked for that; after a
        first voice note, the offer to do so (once). Never fails the turn: it is answered."""
        cid = item.conversation_id
        try:
            if speak_replies:  # read when the turn began: a citizen's turns run one at a time
                await self._speak(
                    item, voice.speakable(await self.db(self.outbox.outbox.texts_since, cid, started)), quiet=True
                )
            elif was_voice_note and await self.db(self.store.claim_voice_offer, cid):
                await self._say(cid, "voice_offer")
        except Exception:  # noqa: BLE001 - the written reply went out; a spoken one is extra
            logger.exception("whatsapp: spoken reply for %s not sent", item.message_sid)

    async def _speak(self, item: InboundItem, spoken: str, quiet: bool = False) -> None:
        """`spoken` as a voice note; when that cannot be done, a polite word (none when `quiet`)."""
        cid = item.conversation_id
        if not spoken:
            return
        language = detect_language(spoken)
        if self.voice_replies is None:
            if not quiet:
                await self._say(cid, "cannot_speak", language)
            return
        asyncio.get_running_loop().create_task(self.client.send_typing(item.message_sid))
        try:
            link = await self.voice_replies.speak(spoken, language)
        except SpeechError as error:
            logger.warning("whatsapp: answer for %s not spoken: %s", item.message_sid, error)
            if not quiet:
                await self._say(cid, "cannot_speak", language)
            return
        await WhatsAppOutput(self).send_image_url(cid, link)

    async def _begin_turn(self, item: InboundItem) -> Optional[TurnStart]:
        """Waits until every earlier message of the citizen is answered (running
        those whose process died here, first), then begins this one's turn; None
        when it was already processed."""
        while True:
            start = await self.db(self.store.begin_turn, item.message_sid, item.conversation_id, self.owner)
            if start.ready:
                return start
            if start.already_done:
                return None
            earlier = start.earlier
            ours = earlier.owner == self.owner or earlier.abandoned(utcnow())
            if ours and await self.db(self.store.take_over, earlier.message_sid, self.owner):
                logger.warning(
                    "whatsapp: answering %s first (an earlier message of the same citizen)", earlier.message_sid
                )
                await self._run_turn(
                    InboundItem(
                        earlier.message_sid,
                        item.conversation_id,
                        item.phone,
                        earlier.params,
                        _done_future(),
                    )
                )
                continue
            await asyncio.sleep(ORDER_WAIT_SECONDS)  # held by a live process: it answers it soon

    def _conversation_store_errors_fail_the_turn(self) -> None:
        """Rasa's FailSafeTrackerStore answers a conversation store error (the database
        restarting) with an empty conversation kept in memory: the citizen's form would
        start again and the turn be lost. Raised instead, the turn is tried again once
        the database is back (is_transient)."""
        agent = getattr(self._app.ctx, "agent", None) if self._app is not None else None
        store = getattr(agent, "tracker_store", None)
        if isinstance(store, FailSafeTrackerStore) and store._on_tracker_store_error is not _raise:
            store._on_tracker_store_error = _raise

    async def _in_tracker(self, item: InboundItem) -> bool:
        """Does the conversation already hold this message (a turn that ran to the end)?"""
        agent = getattr(self._app.ctx, "agent", None) if self._app is not None else None
        if agent is None or agent.tracker_store is None:
            return False
        tracker = await agent.tracker_store.retrieve(item.conversation_id)
        if tracker is None:
            return False
        return any(
            isinstance(event, UserUttered) and same_message_id(event.message_id, item.message_sid)
            for event in tracker.events
        )

    async def _typing_after(self, message_sid: str, delay: float) -> None:
        """Shows "typing…" (and marks the message read) once the turn is slow."""
        await asyncio.sleep(delay)
        await self.client.send_typing(message_sid)

    async def _say(self, conversation_id: str, key: str, language: Optional[str] = None, **values: Any) -> None:
        """One of the channel's own messages (messaging.py), not a turn of the bot. The
        voice note's echo and the offer to speak every reply are never read out."""
        await WhatsAppOutput(self).send_text_message(
            conversation_id, messaging.text(key, language, **values), echo=key in UNSPOKEN
        )

    async def _hear(self, item: InboundItem, url: str) -> Optional[str]:
        """A voice note's words, shown back to the citizen; None (after a polite
        request to type or tap) when it could not be understood."""
        asyncio.get_running_loop().create_task(self.client.send_typing(item.message_sid))
        heard = None
        if self.speech_in is not None:
            try:
                transcript = await voice.transcribe(self.client, self.speech_in, url)
                heard = normalise_text(transcript.text) if transcript.usable else None
            except (MediaError, SpeechError) as error:
                logger.warning("whatsapp: voice note %s not transcribed: %s", item.message_sid, error)
        if not heard:
            await self._say(item.conversation_id, "voice_not_understood")
            return None
        # Shown back (and kept in the outbox) with any Aadhaar number masked, like typed text in the tracker.
        await self._say(item.conversation_id, "you_said", detect_language(heard), words=redact_aadhaar(heard))
        return heard

    async def _speak_last_answer(self, item: InboundItem, buttons: Optional[List[Dict]]) -> None:
        """ "सुनाओ": the answer before this message, again, as a voice note."""
        cid = item.conversation_id
        if buttons:  # still the choices on the screen: a tap after listening must work
            await self.db(self.store.set_buttons, cid, buttons)
        since = await self.db(self.store.previous_message_at, cid, item.message_sid)
        spoken = voice.speakable(await self.db(self.outbox.outbox.texts_since, cid, since)) if since else ""
        if not spoken:
            await self._say(cid, "nothing_to_speak")
            return
        await self._speak(item, spoken)

    async def _set_spoken_replies(self, item: InboundItem, on: bool, text: str, buttons: Optional[List[Dict]]) -> None:
        """ "हमेशा बोलकर जवाब दो" / "बोलकर जवाब बंद करो": kept on the contact, said
        back (and, turned on, spoken at once: the citizen hears that it works)."""
        cid = item.conversation_id
        if buttons:  # the choices on the screen stay valid
            await self.db(self.store.set_buttons, cid, buttons)
        await self.db(self.store.set_spoken_replies, cid, on)
        language = detect_language(text)
        key = "voice_on" if on else "voice_off"
        await self._say(cid, key, language)
        if on:
            await self._speak(item, voice.speakable([messaging.text(key, language)]))

    async def _user_message(self, item: InboundItem, buttons: Optional[List[Dict]]) -> Optional[UserMessage]:
        """What Rasa gets: normalised text, a chosen button's payload, or
        /upload_document and /share_location with the details in the metadata."""
        params, cid = item.params, item.conversation_id
        self._phones[cid] = item.phone
        metadata: Dict[str, Any] = {"whatsapp": {"message_sid": item.message_sid}}

        location = _location(params)
        note = voice.voice_note(params)
        if location:
            metadata["location"] = location
            text = "/share_location"
        elif media_count(params) and not note:
            stored, refused = await receive_media(self.client, params, self.uploads_dir, cid, item.message_sid)
            for upload in stored:
                try:
                    attached = await self.db(attach_upload, cid, upload, self.store.engine)
                except Exception:  # the file is kept; the reply must still go out
                    logger.exception("whatsapp: could not attach %s to an application", upload.path)
                    attached = None
                if attached is not None and attached.reference:
                    metadata.setdefault("application_id", attached.reference)
            metadata["media"] = [u.as_dict() for u in stored]
            metadata["refused_media"] = [r.as_dict() for r in refused]
            caption = normalise_text(params.get("Body"))
            if caption:
                metadata["caption"] = caption
            text = "/upload_document"
        elif chosen_payload(params, buttons):
            # A tapped reply button or list item of the bot's last choices: its payload, exactly.
            text = chosen_payload(params, buttons)
            metadata["button_reply"] = normalise_text(
                params.get("ButtonText") or params.get("ListTitle") or params.get("Body")
            )
        elif (params.get("ButtonPayload") or "").startswith("/"):
            # A quick-reply button of one of our templates (Content API): its payload.
            text = params["ButtonPayload"]
            metadata["button_reply"] = normalise_text(params.get("ButtonText"))
        else:
            if note:
                text = await self._hear(item, note[0])
                if text is None:
                    return None
                metadata["voice_note"] = True
            else:
                text = normalise_text(params.get("Body"))
            if not text:
                logger.info("whatsapp: nothing to understand in %s", item.message_sid)
                return None
            if voice.asks_to_hear(text):
                await self._speak_last_answer(item, buttons)
                return None
            setting = voice.spoken_replies_setting(text)
            if setting is not None:
                await self._set_spoken_replies(item, setting, text, buttons)
                return None
            chosen = match_button_reply(text, buttons)
            if chosen:
                metadata["button_reply"] = text
                text = chosen
        return UserMessage(
            text,
            WhatsAppOutput(self),
            cid,
            input_channel=CHANNEL_NAME,
            message_id=item.message_sid,
            metadata=metadata,
        )

    # ------------------------------------------------------------ output

    async def phone_for(self, conversation_id: str) -> Optional[str]:
        phone = self._phones.get(conversation_id)
        if phone is None:
            phone = await self.db(self.store.phone_for, conversation_id)
            if phone:
                if len(self._phones) > 50_000:
                    self._phones.clear()
                self._phones[conversation_id] = phone
        return phone

    def get_output_channel(self) -> OutputChannel:
        """For messages the citizen did not ask for (trigger_intent, reminders)."""
        return WhatsAppOutput(self)


__all__ = ["WhatsAppInput", "WhatsAppOutput", "WEBHOOK_PATH", "STATUS_PATH"]
