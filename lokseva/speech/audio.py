"""Audio conversions with ffmpeg (Debian's package; scripts/ensure-tools.sh).

WhatsApp voice notes are OGG/Opus; the speech engines take a 16 kHz mono WAV.
A spoken answer goes back as OGG/Opus (mono, 48 kHz, as WhatsApp records them),
which WhatsApp plays as a voice note. Bit-exact flags keep the output free of
encoder version tags, so the same input always gives the same bytes (the fake
speech service recognises a registered recording by its hash).
"""

from __future__ import annotations

import asyncio
import shutil
from typing import List

from lokseva.speech import SpeechError

MAX_SECONDS = 120  # a longer voice note is cut: nobody asks for a certificate for two minutes
TIMEOUT_S = 30.0


async def run_tool(tool: str, arguments: List[str], data: bytes, timeout: float = TIMEOUT_S) -> bytes:
    """Runs a command-line tool with `data` on stdin; its stdout, or SpeechError."""
    path = shutil.which(tool)
    if path is None:
        raise SpeechError(f"{tool} is not installed (scripts/ensure-tools.sh)")
    process = await asyncio.create_subprocess_exec(
        path,
        *arguments,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(data), timeout)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        raise SpeechError(f"{tool} took too long") from None
    if process.returncode != 0 or not out:
        raise SpeechError(f"{tool} failed: {err.decode(errors='replace')[:200]}")
    return out


async def _ffmpeg(arguments: List[str], data: bytes) -> bytes:
    return await run_tool(
        "ffmpeg",
        ["-hide_banner", "-loglevel", "error", "-nostdin", "-i", "pipe:0", *arguments, "pipe:1"],
        data,
    )


async def to_wav16k(audio: bytes) -> bytes:
    """Any audio ffmpeg reads (OGG/Opus, AMR, MP3, M4A) as 16 kHz mono 16-bit WAV."""
    return await _ffmpeg(
        [
            "-t",
            str(MAX_SECONDS),
            "-ac",
            "1",
            "-ar",
            "16000",
            "-c:a",
            "pcm_s16le",
            "-fflags",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            "-map_metadata",
            "-1",
            "-f",
            "wav",
        ],
        audio,
    )


async def to_ogg_opus(audio: bytes) -> bytes:
    """A voice note WhatsApp plays: OGG container, Opus, mono, 48 kHz."""
    return await _ffmpeg(
        [
            "-ac",
            "1",
            "-ar",
            "48000",
            "-c:a",
            "libopus",
            "-b:a",
            "24k",
            "-application",
            "voip",
            "-fflags",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            "-map_metadata",
            "-1",
            "-f",
            "ogg",
        ],
        audio,
    )
