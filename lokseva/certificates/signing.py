"""Signatures: the certificate's verification code and the expiring media links.

Both are HMAC-SHA256 under SIGNING_KEY (settings.signing_key), each with its
own derived key so that a value signed for one purpose is never accepted for
another. Tags are truncated to 128 bits (RFC 2104 allows down to half the hash
length): it keeps the QR code small enough for a cheap phone's camera to read
from a printout, and forging one still takes about 2**128 tries.

Plain functions of their inputs: no database, no settings lookup unless the key
is not passed.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import time
import unicodedata
from dataclasses import dataclass
from typing import Optional

TAG_BYTES = 16


def _key(purpose: str, signing_key: Optional[str]) -> bytes:
    if signing_key is None:
        from lokseva.settings import get_settings

        signing_key = get_settings().signing_key
    if not signing_key:
        raise ValueError("SIGNING_KEY is empty")
    return hmac.new(signing_key.encode(), f"lokseva:{purpose}".encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _tag(key: bytes, message: bytes) -> str:
    return _b64(hmac.new(key, message, hashlib.sha256).digest()[:TAG_BYTES])


def _canonical(value: str) -> str:
    # The same name typed or stored in NFC or NFD must sign the same.
    return " ".join(unicodedata.normalize("NFC", value).split())


# --- certificates ---------------------------------------------------------------------------


def certificate_signature(
    number: str,
    service: str,
    applicant_name: str,
    issue_date: dt.date,
    signing_key: Optional[str] = None,
    subject_name: Optional[str] = None,
) -> str:
    """The signature printed in the certificate's QR code, over its key fields:
    number, service, applicant's name, issue date, and for a birth or death
    certificate the name of the child or the deceased (`subject_name`)."""
    fields = ["certificate-v1", _canonical(number), service, _canonical(applicant_name), issue_date.isoformat()]
    if subject_name:
        fields.append(_canonical(subject_name))
    message = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _tag(_key("certificate", signing_key), message)


def signature_matches(expected: str, given: Optional[str]) -> bool:
    """Constant-time comparison; a missing or malformed signature never matches."""
    if not given or not given.isascii() or len(given) > 64:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def verification_url(public_url: str, number: str, signature: str) -> str:
    return f"{public_url.rstrip('/')}/verify/{number}?s={signature}"


# --- media links ----------------------------------------------------------------------------


class MediaTokenError(ValueError):
    """A media token that is malformed, altered or expired (the reason is in the message)."""


@dataclass(frozen=True)
class MediaGrant:
    """What a valid media token allows: one file, for one conversation, until `expires_at`."""

    certificate_number: str
    file_sha256_prefix: str
    conversation_tag: str
    expires_at: int


def conversation_tag(channel_id: str, signing_key: Optional[str] = None) -> str:
    """A keyed hash of the citizen's channel id (their WhatsApp number): the token
    names the conversation without putting a phone number into a URL or a log."""
    return _tag(_key("conversation", signing_key), channel_id.encode("utf-8"))


def make_media_token(
    certificate_number: str,
    file_sha256: str,
    channel_id: str,
    ttl_seconds: int,
    now: Optional[float] = None,
    signing_key: Optional[str] = None,
) -> str:
    expires = int((time.time() if now is None else now) + ttl_seconds)
    payload = "|".join(
        [certificate_number, file_sha256[:16], conversation_tag(channel_id, signing_key), str(expires)]
    ).encode("utf-8")
    return f"{_b64(payload)}.{_tag(_key('media', signing_key), payload)}"


def read_media_token(token: str, now: Optional[float] = None, signing_key: Optional[str] = None) -> MediaGrant:
    """Checks the token's signature and expiry; raises MediaTokenError otherwise."""
    try:
        encoded, tag = token.split(".")
        payload = _unb64(encoded)
    except (ValueError, binascii.Error):
        raise MediaTokenError("malformed token") from None
    if not signature_matches(_tag(_key("media", signing_key), payload), tag):
        raise MediaTokenError("bad signature")
    try:
        number, sha_prefix, conv, expires_text = payload.decode("utf-8").split("|")
        expires = int(expires_text)
    except ValueError:  # pragma: no cover - only a signed payload gets here
        raise MediaTokenError("malformed payload") from None
    if (time.time() if now is None else now) >= expires:
        raise MediaTokenError("expired")
    return MediaGrant(number, sha_prefix, conv, expires)
