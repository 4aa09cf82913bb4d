"""Signatures: the certificate's verification code and the expiring media links.

Both use the one signing scheme (lokseva.signing), each under its own purpose's
keys ("certificate", "media"), with the key id in the signature, so a key can be
rotated without breaking a printed QR code.

Plain functions of their inputs: no database, no settings lookup unless the keys
are not passed (`keys`: a Keyring, a master secret as a string, or None for the
configured keys).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import unicodedata
from dataclasses import dataclass
from typing import Optional, Union

from lokseva.signing import LEGACY_KID, Keyring, b64, decode_b64, keyring, same

Keys = Union[Keyring, str, None]


def _canonical(value: str) -> str:
    # The same name typed or stored in NFC or NFD must sign the same.
    return " ".join(unicodedata.normalize("NFC", value).split())


# --- certificates ---------------------------------------------------------------------------


def _certificate_message(
    number: str, service: str, applicant_name: str, issue_date: dt.date, subject_name: Optional[str]
) -> bytes:
    fields = ["certificate-v1", _canonical(number), service, _canonical(applicant_name), issue_date.isoformat()]
    if subject_name:
        fields.append(_canonical(subject_name))
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def certificate_signature(
    number: str,
    service: str,
    applicant_name: str,
    issue_date: dt.date,
    signing_key: Keys = None,
    subject_name: Optional[str] = None,
) -> str:
    """The signature printed in the certificate's QR code (`<kid>.<tag>`), over its
    key fields: number, service, applicant's name, issue date, and for a birth or
    death certificate the name of the child or the deceased (`subject_name`)."""
    message = _certificate_message(number, service, applicant_name, issue_date, subject_name)
    return keyring("certificate", signing_key).sign(message)


def verify_certificate_signature(
    signature: Optional[str],
    number: str,
    service: str,
    applicant_name: str,
    issue_date: dt.date,
    signing_key: Keys = None,
    subject_name: Optional[str] = None,
) -> bool:
    """True if `signature` signs these fields under any certificate key still kept,
    including a bare tag printed before key ids (key "0")."""
    message = _certificate_message(number, service, applicant_name, issue_date, subject_name)
    return keyring("certificate", signing_key).verify(message, signature)


def signature_matches(expected: str, given: Optional[str]) -> bool:
    """Constant-time comparison; a missing or malformed signature never matches."""
    return same(expected, given)


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
    kid: str = LEGACY_KID  # the media key that signed it (and made conversation_tag)


def conversation_tag(channel_id: str, signing_key: Keys = None, kid: Optional[str] = None) -> str:
    """A keyed hash of the citizen's channel id: the token names the conversation
    without putting a phone number into a URL or a log. Under the media key `kid`
    (default: the newest), in a domain of its own."""
    ring = keyring("media", signing_key)
    return b64(ring.digest(b"conversation\0" + channel_id.encode("utf-8"), kid)[:16])


def make_media_token(
    certificate_number: str,
    file_sha256: str,
    channel_id: str,
    ttl_seconds: int,
    now: Optional[float] = None,
    signing_key: Keys = None,
) -> str:
    """`<payload>.<kid>.<tag>`: the file, the conversation and the expiry, signed."""
    expires = int((time.time() if now is None else now) + ttl_seconds)
    payload = "|".join(
        [certificate_number, file_sha256[:16], conversation_tag(channel_id, signing_key), str(expires)]
    ).encode("utf-8")
    return f"{b64(payload)}.{keyring('media', signing_key).sign(payload)}"


def read_media_token(token: str, now: Optional[float] = None, signing_key: Keys = None) -> MediaGrant:
    """Checks the token's signature and expiry; raises MediaTokenError otherwise."""
    encoded, _, signature = token.partition(".")
    try:
        payload = decode_b64(encoded)
    except ValueError:
        raise MediaTokenError("malformed token") from None
    if not signature or not keyring("media", signing_key).verify(payload, signature):
        raise MediaTokenError("bad signature")
    try:
        number, sha_prefix, conv, expires_text = payload.decode("utf-8").split("|")
        expires = int(expires_text)
    except ValueError:  # pragma: no cover - only a signed payload gets here
        raise MediaTokenError("malformed payload") from None
    if (time.time() if now is None else now) >= expires:
        raise MediaTokenError("expired")
    kid = signature.rpartition(".")[0] or LEGACY_KID
    return MediaGrant(number, sha_prefix, conv, expires, kid)
