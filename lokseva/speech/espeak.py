"""Text to speech with espeak-ng's Hindi voice (Debian's espeak-ng), for `make run`
and the tests: robotic but clear, and it needs no network."""

from __future__ import annotations

from lokseva.speech.audio import run_tool

VOICES = {"hi": "hi", "en": "en-gb"}


class EspeakSpeech:
    def __init__(self, words_per_minute: int = 140):
        self.words_per_minute = words_per_minute  # slower than espeak's 175: easier to follow

    async def synthesise(self, text: str, language: str) -> bytes:
        """A WAV of `text` in espeak-ng's voice for `language`; raises SpeechError."""
        return await run_tool(
            "espeak-ng",
            ["-v", VOICES.get(language, "hi"), "-s", str(self.words_per_minute), "--stdin", "--stdout"],
            text.encode("utf-8"),
        )
