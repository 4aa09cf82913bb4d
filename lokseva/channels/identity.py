"""Who a citizen is on WhatsApp, without spreading their phone number around.

Rasa's conversation id (sender_id) is not the phone number: it is an HMAC-SHA256
of the number under the signing key, stable across restarts and processes, so
trackers, logs and the staff portal never show the number. The table
`whatsapp_contacts` (lokseva/channels/models.py) maps the id back to the number
for replies and proactive messages. Logs show numbers masked: +91******3210.
"""
from __future__ import annotations

import hashlib
import hmac
import re

from lokseva.privacy.phone import mask_phone

WHATSAPP_PREFIX = "whatsapp:"
CONVERSATION_PREFIX = "wa-"
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


class InvalidPhoneNumber(ValueError):
    """Not a phone number in international (E.164) form."""


def normalise_phone(raw: str) -> str:
    """"whatsapp:+91 98765-43210" -> "+919876543210" (E.164); raises InvalidPhoneNumber."""
    value = (raw or "").strip()
    if value.lower().startswith(WHATSAPP_PREFIX):
        value = value[len(WHATSAPP_PREFIX):]
    value = re.sub(r"[\s\-().]", "", value)
    if value.startswith("00"):
        value = "+" + value[2:]
    if not _E164.match(value):
        raise InvalidPhoneNumber(f"not an international phone number: {mask_phone(value)}")
    return value


def whatsapp_address(phone: str) -> str:
    """"+919876543210" -> "whatsapp:+919876543210" (Twilio's To/From form)."""
    return WHATSAPP_PREFIX + normalise_phone(phone)


def conversation_id(phone: str, signing_key: str) -> str:
    """The Rasa sender id of the citizen with this number: "wa-" + 32 hex digits.

    Domain-separated from the key's other uses (certificate QR codes, media URLs).
    """
    digest = hmac.new(
        signing_key.encode("utf-8"),
        b"whatsapp-conversation-id\0" + normalise_phone(phone).encode("ascii"),
        hashlib.sha256,
    ).hexdigest()
    return CONVERSATION_PREFIX + digest[:32]
