"""A local speech-to-text engine, used when SPEECH_TO_TEXT=local and
SPEECH_MODEL_DIR names a Vosk model directory (e.g. vosk-model-small-hi-0.22).

Nothing of it is installed here: the `vosk` package and a Hindi model are not
dependencies of the project (no offline Hindi model can be installed on the
development machines; see docs/whatsapp.md). A deployment that wants speech
without Bhashini installs both; until then, this adapter says clearly that the
engine is missing, and voice notes get the polite request to type or tap.
"""

from __future__ import annotations

import asyncio
import io
import json
import wave
from pathlib import Path

from lokseva.speech import SpeechError, Transcript


class LocalSpeechToText:
    def __init__(self, model_dir: str):
        self.model_dir = Path(model_dir)
        self._model = None

    def _load(self):
        if self._model is None:
            try:
                import vosk  # optional: not in requirements (see the module docstring)
            except ImportError:
                raise SpeechError("the local speech engine (the vosk package) is not installed") from None
            if not self.model_dir.is_dir():
                raise SpeechError(f"SPEECH_MODEL_DIR {self.model_dir} is not a directory")
            self._model = vosk.Model(str(self.model_dir))
        return self._model

    def _transcribe(self, wav: bytes) -> Transcript:
        import vosk

        recogniser = vosk.KaldiRecognizer(self._load(), 16000)
        recogniser.SetWords(True)
        with wave.open(io.BytesIO(wav)) as audio:
            while chunk := audio.readframes(4000):
                recogniser.AcceptWaveform(chunk)
        result = json.loads(recogniser.FinalResult())
        words = result.get("result") or []
        confidence = min((w.get("conf", 0.0) for w in words), default=0.0)
        return Transcript(result.get("text", ""), confidence)

    async def transcribe(self, wav: bytes, language: str) -> Transcript:
        if language != "hi":
            raise SpeechError("the local engine has a Hindi model only")
        return await asyncio.to_thread(self._transcribe, wav)
