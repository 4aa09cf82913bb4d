"""Webhook fields and message parameters as they may be stored.

An incoming WhatsApp message waits in the inbox table until Rasa has answered
it, and the inbox keeps it for a week after (Twilio may redeliver). The bot
must read the Aadhaar number the citizen typed, so while the message waits its
clear text is kept sealed (encrypted with the vault's keys) beside the masked
copy, and the seal is dropped as soon as the message is processed.

Identity fields (From, To, WaId, the SIDs) are the channel's own record of who
wrote; they are never text a citizen typed and are stored as they are.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Mapping

from lokseva.privacy.redaction import redact_text
from lokseva.privacy.vault import seal, unseal

IDENTITY_FIELDS = frozenset(
    {
        "From",
        "To",
        "WaId",
        "AccountSid",
        "MessageSid",
        "SmsMessageSid",
        "SmsSid",
        "MessagingServiceSid",
    }
)
SEALED = "_sealed"  # the clear values of the fields that were masked, encrypted


def redacted_fields(fields: Mapping[str, Any]) -> Dict[str, Any]:
    """`fields` with every Aadhaar-like number in a text field masked."""
    return {k: redact_text(v) if isinstance(v, str) and k not in IDENTITY_FIELDS else v for k, v in fields.items()}


def sealed_fields(fields: Mapping[str, Any]) -> Dict[str, Any]:
    """What the inbox stores: masked fields, plus the clear ones sealed."""
    stored = redacted_fields(fields)
    clear = {k: v for k, v in fields.items() if stored.get(k) != v}
    if clear:
        stored[SEALED] = seal(json.dumps(clear, ensure_ascii=False))
    return stored


def unsealed_fields(stored: Mapping[str, Any]) -> Dict[str, Any]:
    """The fields as the webhook delivered them (for processing a waiting message)."""
    fields = {k: v for k, v in stored.items() if k != SEALED}
    if stored.get(SEALED):
        fields.update(json.loads(unseal(stored[SEALED])))
    return fields


def without_seal(stored: Mapping[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in stored.items() if k != SEALED}
