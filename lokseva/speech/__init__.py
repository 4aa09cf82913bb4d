"""Speech: voice notes understood, answers spoken.

Two small interfaces, one adapter each per place it runs:

- `SpeechToText.transcribe(wav, language) -> Transcript`: a 16 kHz mono WAV in,
  the words and how sure the engine is out. Bhashini's pipeline API in
  production (`bhashini.BhashiniSpeech`), the local fake of that API in
  development and tests (`lokseva/devtools/fake_bhashini.py`), or a local engine
  when SPEECH_MODEL_DIR names a model (`local.LocalSpeechToText`).
- `TextToSpeech.synthesise(text, language) -> bytes`: a WAV of the text, spoken.
  Bhashini's TTS in production, espeak-ng's Hindi voice locally (`espeak`).

`lokseva.speech.audio` converts with ffmpeg (WhatsApp's OGG/Opus to the WAV the
engines take, and a WAV back to the OGG/Opus WhatsApp plays as a voice note).
Every failure is a SpeechError: the caller answers politely, never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Protocol

from lokseva.settings import Settings

# Below this the words are a guess: the citizen is asked to type or tap instead.
MIN_CONFIDENCE = 0.6


class SpeechError(Exception):
    """The speech service failed, refused, or is not configured."""


@dataclass(frozen=True)
class Transcript:
    text: str
    confidence: Optional[float] = None  # 0..1 when the engine says; None when it does not

    @property
    def usable(self) -> bool:
        """Words worth acting on: something was heard, and the engine is not unsure."""
        return bool(self.text.strip()) and (self.confidence is None or self.confidence >= MIN_CONFIDENCE)


class SpeechToText(Protocol):
    async def transcribe(self, wav: bytes, language: str) -> Transcript: ...


class TextToSpeech(Protocol):
    async def synthesise(self, text: str, language: str) -> bytes: ...


def speech_to_text(settings: Settings) -> Optional[SpeechToText]:
    """The configured speech-to-text adapter (SPEECH_TO_TEXT), or None when off."""
    if settings.speech_to_text == "off":
        return None
    if settings.speech_to_text == "local":
        # The engines import SpeechError and Transcript from this module: loaded when chosen.
        from lokseva.speech.local import LocalSpeechToText

        return LocalSpeechToText(settings.speech_model_dir)
    # Like every engine, Bhashini's imports this module's SpeechError: loaded when chosen.
    from lokseva.speech.bhashini import BhashiniSpeech

    return BhashiniSpeech.from_settings(settings)


def text_to_speech(settings: Settings) -> Optional[TextToSpeech]:
    """The configured text-to-speech adapter (TEXT_TO_SPEECH), or None when off."""
    if settings.text_to_speech == "off":
        return None
    if settings.text_to_speech == "espeak":
        # The engines import SpeechError from this module: loaded when chosen.
        from lokseva.speech.espeak import EspeakSpeech

        return EspeakSpeech()
    # Like every engine, Bhashini's imports this module's SpeechError: loaded when chosen.
    from lokseva.speech.bhashini import BhashiniSpeech

    return BhashiniSpeech.from_settings(settings)
