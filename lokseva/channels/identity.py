"""Who a citizen is on WhatsApp, without spreading their phone number around.

Rasa's conversation id (sender_id) is not the phone number: it is an HMAC-SHA256
of the number under the conversation key (lokseva.signing, purpose "conversation"),
stable across restarts and processes, so trackers, logs and the staff portal never
show the number. An id made under key "0" is "wa-" + 32 hex digits, under any
other key "wa-<kid>-" + 32 hex digits; once made, an id is the citizen's for good
(ChannelStore finds it by number), so rotating the key changes only new ids. The table
`whatsapp_contacts` (lokseva/channels/models.py) maps the id back to the number
for replies and proactive messages. Logs show numbers masked: +91******3210.
"""

from __future__ import annotations

import re
from typing import Union

from lokseva.signing import LEGACY_KID, Keyring, keyring

from lokseva.privacy.phone import mask_phone

WHATSAPP_PREFIX = "whatsapp:"
CONVERSATION_PREFIX = "wa-"
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


class InvalidPhoneNumber(ValueError):
    """Not a phone number in international (E.164) form."""


def normalise_phone(raw: str) -> str:
    """ "whatsapp:+91 98765-43210" -> "+919876543210" (E.164); raises InvalidPhoneNumber."""
    value = (raw or "").strip()
    if value.lower().startswith(WHATSAPP_PREFIX):
        value = value[len(WHATSAPP_PREFIX) :]
    value = re.sub(r"[\s\-().]", "", value)
    if value.startswith("00"):
        value = "+" + value[2:]
    if not _E164.match(value):
        raise InvalidPhoneNumber(f"not an international phone number: {mask_phone(value)}")
    return value


def whatsapp_address(phone: str) -> str:
    """ "+919876543210" -> "whatsapp:+919876543210" (Twilio's To/From form)."""
    return WHATSAPP_PREFIX + normalise_phone(phone)


def conversation_id(phone: str, signing_key: Union[Keyring, str]) -> str:
    """The Rasa sender id a citizen with this number gets under the newest
    conversation key (`signing_key`: the keyring, or SIGNING_KEY as a string)."""
    ring = keyring("conversation", signing_key)
    digest = ring.digest(b"whatsapp-conversation-id\0" + normalise_phone(phone).encode("ascii")).hex()
    kid = "" if ring.current_kid == LEGACY_KID else f"{ring.current_kid}-"
    return CONVERSATION_PREFIX + kid + digest[:32]
