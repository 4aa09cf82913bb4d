"""Photos and PDFs of documents that citizens send on WhatsApp.

Each MediaUrlN is downloaded with the account's basic auth, checked (a JPEG or
PNG photo, or a PDF, of at most 5 MB, and the bytes really are what the
declared type says) and stored under UPLOADS_DIR/<conversation id>/. What was
refused is reported with the reason, so the bot can say so politely.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

from lokseva.channels.twilio_client import MediaError, TwilioClient

logger = logging.getLogger(__name__)

MAX_MEDIA_BYTES = 5 * 1024 * 1024  # Twilio's cap for WhatsApp attachments
MAX_MEDIA_ITEMS = 10
ACCEPTED_TYPES: Dict[str, str] = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
_SIGNATURES = {
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "application/pdf": b"%PDF-",
}
# Reasons a file is refused (the bot's messages name them; see messaging.py).
WRONG_TYPE, TOO_LARGE, DOWNLOAD_FAILED = "wrong_type", "too_large", "download_failed"


@dataclass(frozen=True)
class StoredUpload:
    index: int
    path: str  # relative to UPLOADS_DIR
    content_type: str
    size: int
    sha256: str

    def as_dict(self) -> Dict:
        return asdict(self)


@dataclass(frozen=True)
class RefusedUpload:
    index: int
    content_type: str
    reason: str

    def as_dict(self) -> Dict:
        return asdict(self)


def sniff_type(content: bytes) -> Optional[str]:
    """The accepted type these bytes really are, or None."""
    for content_type, magic in _SIGNATURES.items():
        if content.startswith(magic):
            return content_type
    return None


def media_count(params: Mapping[str, str]) -> int:
    try:
        return max(0, min(MAX_MEDIA_ITEMS, int(params.get("NumMedia") or 0)))
    except ValueError:
        return 0


def _write(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".part")
    tmp.write_bytes(content)
    os.replace(tmp, target)  # never a half-written file under its real name


async def receive_media(
    client: TwilioClient,
    params: Mapping[str, str],
    uploads_dir: Path,
    conversation_id: str,
    message_sid: str,
    max_bytes: int = MAX_MEDIA_BYTES,
) -> Tuple[List[StoredUpload], List[RefusedUpload]]:
    stored: List[StoredUpload] = []
    refused: List[RefusedUpload] = []
    for index in range(media_count(params)):
        url = params.get(f"MediaUrl{index}")
        declared = (params.get(f"MediaContentType{index}") or "").split(";")[0].strip().lower()
        if not url:
            refused.append(RefusedUpload(index, declared, DOWNLOAD_FAILED))
            continue
        if declared not in ACCEPTED_TYPES:
            refused.append(RefusedUpload(index, declared, WRONG_TYPE))
            continue
        try:
            media = await client.fetch_media(url, max_bytes)
        except MediaError as error:
            logger.info("whatsapp: media %d of %s refused: %s", index, message_sid, error)
            refused.append(RefusedUpload(index, declared, error.reason))
            continue
        actual = sniff_type(media.content)
        if actual != declared:
            logger.info("whatsapp: media %d of %s is %s, declared %s", index, message_sid, actual, declared)
            refused.append(RefusedUpload(index, declared, WRONG_TYPE))
            continue
        relative = Path(conversation_id) / f"{message_sid}-{index}{ACCEPTED_TYPES[actual]}"
        await asyncio.to_thread(_write, uploads_dir / relative, media.content)
        stored.append(
            StoredUpload(
                index, relative.as_posix(), actual, len(media.content), hashlib.sha256(media.content).hexdigest()
            )
        )
    return stored, refused
