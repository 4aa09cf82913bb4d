"""Voice on WhatsApp: voice notes understood, answers spoken (lokseva.speech).

In: a voice note (OGG/Opus, or any audio WhatsApp sends) is downloaded, converted
to a 16 kHz WAV and transcribed, in memory only: the audio is never written to
disk and is gone when the transcription returns. The transcript then goes to
the NLU like typed text.

Out: "सुनाओ", "बोलकर बताओ", "sunao" (SPEAK_REQUESTS) makes the channel speak its
last answer (every text it sent since the citizen's message before this one)
as a voice note: text to speech, then OGG/Opus, stored under VOICE_DIR and sent
as a signed link that works for MEDIA_URL_TTL_SECONDS (WhatsApp fetches it at
once); files older than that are deleted by the channel's sweep.
"हमेशा बोलकर जवाब दो" (SPOKEN_REPLIES_ON) makes every later reply come as a
voice note too, until "बोलकर जवाब बंद करो" (SPOKEN_REPLIES_OFF); the channel
offers it once, after the citizen's first voice note.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
import unicodedata
from pathlib import Path
from typing import List, Mapping, Optional, Tuple

from lokseva.channels.text import comparable
from lokseva.channels.twilio_client import TwilioClient
from lokseva.speech import SpeechToText, TextToSpeech, Transcript
from lokseva.signing import Keyring, keyring
from lokseva.speech.audio import to_ogg_opus, to_wav16k

logger = logging.getLogger(__name__)

MAX_AUDIO_BYTES = 16 * 1024 * 1024  # WhatsApp's cap for audio
MAX_SPOKEN_CHARS = 900  # about a minute of speech
TRANSCRIPTION_LANGUAGE = "hi"  # Jhabua speaks Hindi (and Bhili, which no engine knows yet)
# What citizens say to hear the answer (compared without case, punctuation or emoji).
SPEAK_REQUESTS = frozenset(
    comparable(p)
    for p in (
        "सुनाओ",
        "सुनाइए",
        "सुनाइये",
        "सुना दो",
        "सुनादो",
        "सुनाओ जी",
        "बोलकर बताओ",
        "बोल कर बताओ",
        "बोलकर बताइए",
        "बोल कर बताइए",
        "बोलकर सुनाओ",
        "आवाज़ में बताओ",
        "आवाज में बताओ",
        "आवाज़ में सुनाओ",
        "आवाज में सुनाओ",
        "sunao",
        "sunaao",
        "suna do",
        "sunado",
        "sunaiye",
        "bolkar batao",
        "bol kar batao",
        "bolkar bataiye",
        "awaz me batao",
        "awaaz mein batao",
        "awaz me sunao",
        "read aloud",
        "read it aloud",
        "speak",
        "say it",
    )
)
# What citizens say to hear every reply from now on, or no longer (SPOKEN_REPLIES_ON / _OFF):
# the setting is the channel's, kept on the contact (whatsapp_contacts.speak_replies), no Rasa turn.
SPOKEN_REPLIES_ON = frozenset(
    comparable(p)
    for p in (
        "हमेशा बोलकर जवाब दो",
        "हमेशा बोल कर जवाब दो",
        "हमेशा बोलकर जवाब दें",
        "हमेशा बोलकर जवाब दीजिए",
        "हमेशा बोलकर बताओ",
        "हमेशा बोल कर बताओ",
        "हमेशा सुनाओ",
        "हमेशा आवाज़ में जवाब दो",
        "हमेशा आवाज में जवाब दो",
        "आवाज़ में जवाब दो",
        "आवाज में जवाब दो",
        "आवाज़ में जवाब दें",
        "बोलकर जवाब दो",
        "बोल कर जवाब दो",
        "हर जवाब बोलकर दो",
        "हर जवाब सुनाओ",
        "बोलकर जवाब चालू करो",
        "hamesha bolkar jawab do",
        "hamesha bol kar jawab do",
        "hamesha bolkar batao",
        "hamesha sunao",
        "awaaz mein jawab do",
        "awaaz me jawab do",
        "awaz mein jawab do",
        "awaz me jawab do",
        "awaj me jawab do",
        "bolkar jawab do",
        "bol kar jawab do",
        "har jawab sunao",
        "always reply in voice",
        "always answer in voice",
        "always speak",
        "always read aloud",
        "reply in voice",
        "voice replies on",
        "voice reply on",
        "turn on voice replies",
    )
)
SPOKEN_REPLIES_OFF = frozenset(
    comparable(p)
    for p in (
        "बोलकर जवाब बंद करो",
        "बोल कर जवाब बंद करो",
        "बोलकर जवाब बंद करें",
        "बोलकर जवाब बंद",
        "बोलकर बताना बंद करो",
        "आवाज़ में जवाब बंद करो",
        "आवाज में जवाब बंद करो",
        "आवाज़ बंद करो",
        "आवाज बंद करो",
        "सुनाना बंद करो",
        "सिर्फ़ लिखकर जवाब दो",
        "सिर्फ लिखकर जवाब दो",
        "लिखकर ही जवाब दो",
        "bolkar jawab band karo",
        "bol kar jawab band karo",
        "awaaz mein jawab band karo",
        "awaz me jawab band karo",
        "awaaz band karo",
        "awaz band karo",
        "sunana band karo",
        "sirf likhkar jawab do",
        "sirf likh kar jawab do",
        "stop voice replies",
        "stop voice reply",
        "stop voice",
        "voice replies off",
        "voice reply off",
        "voice off",
        "turn off voice replies",
        "no voice",
        "text only",
    )
)
_URL = re.compile(r"https?://\S+")
_TOKEN_NAME = re.compile(r"^[0-9a-f]{32}$")


def voice_note(params: Mapping[str, str]) -> Optional[Tuple[str, str]]:
    """(media URL, content type) of a message that is a voice note, else None."""
    if (params.get("NumMedia") or "0").strip() != "1":
        return None
    content_type = (params.get("MediaContentType0") or "").split(";")[0].strip().lower()
    url = params.get("MediaUrl0")
    return (url, content_type) if url and content_type.startswith("audio/") else None


def asks_to_hear(text: str) -> bool:
    return comparable(text) in SPEAK_REQUESTS


def spoken_replies_setting(text: str) -> Optional[bool]:
    """True: "speak every reply" asked for; False: asked to stop; None: neither."""
    said = comparable(text)
    if said in SPOKEN_REPLIES_ON:
        return True
    if said in SPOKEN_REPLIES_OFF:
        return False
    return None


def speakable(texts: List[str]) -> str:
    """What a voice reads of our messages: no links, emoji or symbols, at most about a minute."""
    spoken = "\n".join(_URL.sub("", t) for t in texts)
    spoken = "".join(ch for ch in spoken if unicodedata.category(ch) not in ("So", "Sk", "Cs", "Co"))
    spoken = " ".join(spoken.split())
    if len(spoken) > MAX_SPOKEN_CHARS:
        cut = max(spoken.rfind("।", 0, MAX_SPOKEN_CHARS), spoken.rfind(". ", 0, MAX_SPOKEN_CHARS))
        spoken = spoken[: cut + 1 if cut > 0 else MAX_SPOKEN_CHARS]
    return spoken


async def transcribe(client: TwilioClient, engine: SpeechToText, url: str) -> Transcript:
    """The words of a voice note; raises MediaError or SpeechError."""
    media = await client.fetch_media(url, MAX_AUDIO_BYTES)
    wav = await to_wav16k(media.content)
    del media  # the citizen's voice is kept no longer than this call
    return await engine.transcribe(wav, TRANSCRIPTION_LANGUAGE)


class VoiceReplies:
    """Spoken answers as files behind expiring signed links."""

    def __init__(
        self, engine: TextToSpeech, directory: Path, base_url: str, signing_key: "Keyring | str", ttl_seconds: int
    ):
        """`signing_key`: the media keys (settings.keyring("media"), lokseva.signing), or a master secret."""
        self.engine = engine
        self.directory = Path(directory)
        self.base_url = base_url.rstrip("/")
        self._keys = keyring("media", signing_key)
        self.ttl_seconds = ttl_seconds

    @staticmethod
    def _message(name: str, expires: int) -> bytes:
        return f"voice-reply|{name}|{expires}".encode()  # a domain of its own among the media keys' uses

    def link(self, name: str, now: Optional[float] = None) -> str:
        expires = int((time.time() if now is None else now) + self.ttl_seconds)
        return f"{self.base_url}/{name}-{expires}-{self._keys.sign(self._message(name, expires))}/answer.ogg"

    def path_for(self, token: str, now: Optional[float] = None) -> Optional[Path]:
        """The file a link's token grants, or None (altered, expired, gone)."""
        try:
            name, expires_text, tag = token.split("-", 2)
            expires = int(expires_text)
        except ValueError:
            return None
        if not _TOKEN_NAME.match(name) or not self._keys.verify(self._message(name, expires), tag):
            return None
        if (time.time() if now is None else now) >= expires:
            return None
        path = self.directory / f"{name}.ogg"
        return path if path.is_file() else None

    async def speak(self, text: str, language: str) -> str:
        """The signed link to `text` spoken as an OGG/Opus voice note; raises SpeechError."""
        ogg = await to_ogg_opus(await self.engine.synthesise(text, language))
        name = hashlib.sha256(ogg).hexdigest()[:32]
        await asyncio.to_thread(self._write, name, ogg)
        return self.link(name)

    def _write(self, name: str, ogg: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.directory / f"{name}.part"
        tmp.write_bytes(ogg)
        tmp.replace(self.directory / f"{name}.ogg")

    def prune(self, now: Optional[float] = None) -> int:
        """Deletes the answers no link can reach any more."""
        limit = (time.time() if now is None else now) - self.ttl_seconds - 60
        removed = 0
        for path in self.directory.glob("*.ogg") if self.directory.is_dir() else ():
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
