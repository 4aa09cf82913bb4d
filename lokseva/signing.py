"""The one signing scheme of the assistant: HMAC-SHA256 keys per purpose, each with a key id.

Every value the assistant signs for itself (conversation ids, certificate QR codes,
media links, payment-receipt links, staff-portal cookies) is signed with its own
purpose's keyring, so a value signed for one purpose is never accepted for another.
A keyring is a list of keys, newest first: the first signs, every key verifies. The
key id travels in what is signed (`<kid>.<tag>`), so rotating a key (putting a new
one first and keeping the old one after it) breaks no printed QR code and no link
already sent; an old key is dropped once nothing it signed is still in use
(docs/operations.md says when, per purpose).

Keys come from the environment, one variable per purpose (`CERTIFICATE_KEYS`,
`MEDIA_KEYS`, `RECEIPT_KEYS`, `COOKIE_KEYS`, `CONVERSATION_KEYS`), each a list
`kid:secret kid:secret ...`. A purpose without its own variable has one key, id
"0", derived from SIGNING_KEY (SESSION_SECRET for cookies) exactly as values were
signed before key ids existed: a value without a key id is key "0"'s, so every QR
code printed before keeps verifying.

Tags are truncated to 128 bits (RFC 2104 allows down to half the hash length): it
keeps QR codes small enough for a cheap phone's camera to read from a printout,
and forging one still takes about 2**128 tries.

Webhook signatures of Twilio and Razorpay are their schemes, not ours, and stay
with their channels: Twilio's X-Twilio-Signature is checked by twilio's own
RequestValidator (lokseva/channels/whatsapp.py), Razorpay's X-Razorpay-Signature
and callback signature follow Razorpay's documented format with Razorpay's
secrets (lokseva/payments/signatures.py). Every other HMAC or constant-time
comparison of the assistant goes through this module.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

TAG_BYTES = 16
LEGACY_KID = "0"
_KID = re.compile(r"^[A-Za-z0-9]{1,4}$")
MIN_SECRET_LENGTH = 32

# Purpose -> the environment variable of its keys, and the secret its key "0" is derived from.
PURPOSES: Dict[str, Tuple[str, str]] = {
    "conversation": ("CONVERSATION_KEYS", "SIGNING_KEY"),
    "certificate": ("CERTIFICATE_KEYS", "SIGNING_KEY"),
    "media": ("MEDIA_KEYS", "SIGNING_KEY"),
    "receipt": ("RECEIPT_KEYS", "SIGNING_KEY"),
    "cookie": ("COOKIE_KEYS", "SESSION_SECRET"),
}
# Conversation ids, receipt links and cookies were HMACs under the master secret
# itself; certificate codes and media links under a key derived per purpose.
_MASTER_ITSELF = ("conversation", "receipt", "cookie")


class KeyConfigurationError(ValueError):
    """A keyring variable that cannot be read (the message names it)."""


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hmac(secret: bytes, message: bytes) -> bytes:
    return hmac.new(secret, message, hashlib.sha256).digest()


def same(expected: str, given: Optional[str]) -> bool:
    """Constant-time comparison; a missing or malformed value never matches."""
    if not given or not given.isascii() or len(given) > 128:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


@dataclass(frozen=True)
class Keyring:
    purpose: str
    keys: Tuple[Tuple[str, bytes], ...]  # (kid, secret), newest first

    @property
    def current_kid(self) -> str:
        return self.keys[0][0]

    def secret(self, kid: str) -> Optional[bytes]:
        return next((secret for k, secret in self.keys if k == kid), None)

    def digest(self, message: bytes, kid: Optional[str] = None) -> bytes:
        """The full HMAC of `message` under key `kid` (default: the newest)."""
        secret = self.secret(kid or self.current_kid)
        if secret is None:
            raise KeyError(f"no {self.purpose} key {kid!r}")
        return _hmac(secret, message)

    def sign(self, message: bytes) -> str:
        """`<kid>.<tag>` under the newest key."""
        return f"{self.current_kid}.{b64(self.digest(message)[:TAG_BYTES])}"

    def verify(self, message: bytes, signature: Optional[str]) -> bool:
        """True if `signature` (`<kid>.<tag>`, or a bare tag of key "0") signs `message`
        under a key of this ring."""
        if not signature or not signature.isascii() or len(signature) > 64:
            return False
        kid, dot, tag = signature.rpartition(".")
        kid = kid if dot else LEGACY_KID
        secret = self.secret(kid)
        if secret is None:
            return False
        return same(b64(_hmac(secret, message)[:TAG_BYTES]), tag)

    def verify_hex(self, message: bytes, tag: Optional[str], kid: str = LEGACY_KID) -> bool:
        """True if `tag` is the full hex HMAC of `message` under key `kid`: the form
        values had before key ids (receipt links sent then)."""
        secret = self.secret(kid)
        return secret is not None and same(_hmac(secret, message).hex(), (tag or "").lower())


def derive_secret(master: str, label: str) -> str:
    """A secret of its own for `label`, derived from a master secret (hex HMAC-SHA256):
    for the local stand-ins, such as the sandbox gateway's API key, that need one."""
    if not master:
        raise KeyConfigurationError("a master secret is required")
    return _hmac(master.encode(), label.encode()).hex()


def derived_keyring(purpose: str, master: str) -> Keyring:
    """The one-key ring of a purpose configured only by its master secret."""
    if purpose not in PURPOSES:
        raise KeyError(purpose)
    if not master:
        raise KeyConfigurationError(f"{PURPOSES[purpose][1]} is empty")
    secret = master.encode() if purpose in _MASTER_ITSELF else _hmac(master.encode(), f"lokseva:{purpose}".encode())
    return Keyring(purpose, ((LEGACY_KID, secret),))


def parse_keys(purpose: str, text: str) -> Keyring:
    """`kid:secret kid:secret` (spaces or commas between keys), newest first."""
    variable = PURPOSES[purpose][0]
    keys: List[Tuple[str, bytes]] = []
    for item in re.split(r"[\s,]+", text.strip()):
        kid, colon, secret = item.partition(":")
        if not colon or not _KID.match(kid):
            raise KeyConfigurationError(f"{variable}: each key is kid:secret, kid 1 to 4 letters or digits")
        if len(secret) < MIN_SECRET_LENGTH:
            raise KeyConfigurationError(f"{variable}: key {kid} is shorter than {MIN_SECRET_LENGTH} characters")
        if any(k == kid for k, _ in keys):
            raise KeyConfigurationError(f"{variable}: key id {kid} appears twice")
        keys.append((kid, secret.encode()))
    return Keyring(purpose, tuple(keys))


def keyring_from(purpose: str, configured: str, master: str) -> Keyring:
    return parse_keys(purpose, configured) if configured.strip() else derived_keyring(purpose, master)


def keyring(purpose: str, key: "Keyring | str | None" = None) -> Keyring:
    """The ring for `purpose`: `key` itself, the ring derived from a master secret
    given as a string, or (None) the process's configured ring."""
    if isinstance(key, Keyring):
        return key
    if key is not None:
        return derived_keyring(purpose, key)
    # lokseva.settings imports this module (PURPOSES, keyring_from) to check the key variables.
    from lokseva.settings import get_settings

    return get_settings().keyring(purpose)


def decode_b64(text: str) -> bytes:
    """unb64 that raises ValueError on anything malformed."""
    try:
        return unb64(text)
    except (binascii.Error, ValueError):
        raise ValueError("malformed base64") from None
