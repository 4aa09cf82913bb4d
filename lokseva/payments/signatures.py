"""Signatures of the payment gateway (Razorpay's scheme, also used by the sandbox).

- Webhooks: hex HMAC-SHA256 of the RAW request body keyed with the webhook secret,
  in the header `X-Razorpay-Signature`. The body must not be parsed and re-encoded
  before checking: any change of a byte (spacing, key order, ₹ escaping) changes it.
- The redirect after paying (callback_url): `razorpay_signature` is the HMAC-SHA256,
  keyed with the API key secret, of
  "<payment_link_id>|<reference_id>|<payment_link_status>|<payment_id>".

And our own receipt links, signed with the receipt keys of lokseva.signing.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Mapping, Optional

from lokseva.signing import LEGACY_KID, Keyring, keyring

SIGNATURE_HEADER = "X-Razorpay-Signature"
EVENT_ID_HEADER = "X-Razorpay-Event-Id"


# Razorpay's documented scheme with Razorpay's secrets, not ours: it stays outside
# lokseva.signing (whose tags carry a key id and are truncated).
def sign(body: bytes, secret: str) -> str:
    if not secret:
        raise ValueError("a signing secret is required")
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(body: bytes, signature: Optional[str], secret: str) -> bool:
    """True only if `signature` is the signature of exactly these bytes.

    A missing signature or an unset secret never verifies (a webhook endpoint
    without a secret must refuse everything, not accept everything)."""
    if not secret or not signature or not isinstance(body, (bytes, bytearray)):
        return False
    expected = hmac.new(secret.encode("utf-8"), bytes(body), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


def callback_message(params: Mapping[str, str]) -> bytes:
    return "|".join(
        params.get(key, "")
        for key in (
            "razorpay_payment_link_id",
            "razorpay_payment_link_reference_id",
            "razorpay_payment_link_status",
            "razorpay_payment_id",
        )
    ).encode("utf-8")


def sign_callback(params: Mapping[str, str], key_secret: str) -> str:
    return sign(callback_message(params), key_secret)


def verify_callback(params: Mapping[str, str], key_secret: str) -> bool:
    return verify(callback_message(params), params.get("razorpay_signature"), key_secret)


def _receipt_message(reference: str, expires: int) -> bytes:
    return f"payment-receipt\0{reference}\0{expires}".encode("utf-8")


def receipt_token(reference: str, expires: int, signing_key: "Keyring | str") -> str:
    """Signs a receipt's URL (WhatsApp's servers fetch the PDF without logging in)
    with the receipt keys (lokseva.signing): `<kid>.<tag>`."""
    return keyring("receipt", signing_key).sign(_receipt_message(reference, expires))


def verify_receipt_token(
    reference: str, expires: int, token: Optional[str], signing_key: "Keyring | str", now: int
) -> bool:
    if not token or expires < now:
        return False
    ring = keyring("receipt", signing_key)
    message = _receipt_message(reference, expires)
    if len(token) == 64 and "." not in token:
        # A link sent before key ids (full hex HMAC under key "0"); they live 7 days.
        return ring.verify_hex(message, token, LEGACY_KID)
    return ring.verify(message, token)
