"""One proactive message to a citizen on WhatsApp, now, through Rasa.

Capabilities do not call this: they write a notification in the outbox
(lokseva.notifications) in the same transaction as the change, and the
channel's sender (lokseva.channels.proactive) calls `notify` for each, with
retries. Directly, e.g. in a test:

    notify("+919876543210", "payment_received",
           {"application_id": "JBA-2026-000123", "amount": "30"})

The message is produced by the bot, not sent behind its back: `notify` triggers
the external intent EXTERNAL_notification on the citizen's conversation
(POST {RASA_URL}/conversations/{id}/trigger_intent?output_channel=whatsapp,
authenticated by lokseva.rasa_api), the
action `action_send_notification` renders it in the citizen's language, and it
is logged in the conversation like any other bot message. The WhatsApp channel
sends the text inside the 24-hour window and the approved template (Content
SID from notifications.yml) outside it.

Synchronous (`requests`). Not retried here: a trigger is not idempotent, so on
NotifyError the caller decides (the outbox tries again later; RasaUnreachable
means nothing reached Rasa, so trying again at once is safe).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional

import requests

from lokseva import rasa_api
from lokseva.channels.notifications import NotificationError, render
from lokseva.channels.service import ChannelStore
from lokseva.db import get_engine
from lokseva.privacy import mask_phone
from lokseva.settings import Settings, get_settings

EXTERNAL_INTENT = "EXTERNAL_notification"
OUTPUT_CHANNEL = "whatsapp"

__all__ = ["notify", "NotifyError", "RasaUnreachable", "NotificationError", "NotifyResult"]


class NotifyError(RuntimeError):
    """Rasa did not take the notification (down, or refused it)."""


class RasaUnreachable(NotifyError):
    """Rasa refused the connection: nothing reached it, trying again is safe."""


@dataclass(frozen=True)
class NotifyResult:
    conversation_id: str
    within_window: bool  # False: sent as the approved template
    tracker: Dict[str, Any]


def notify(
    citizen_phone: str,
    template_key: str,
    variables: Mapping[str, Any],
    language: Optional[str] = None,
    *,
    settings: Optional[Settings] = None,
    store: Optional[ChannelStore] = None,
    timeout: float = 60.0,
) -> NotifyResult:
    """Sends notification `template_key` to the citizen with this phone number.

    `language` "hi" or "en"; None uses the conversation's language (Hindi for a
    citizen who never wrote). Raises NotificationError for an unknown template or
    wrong variables (before anything is sent), NotifyError if Rasa fails.
    """
    values = {k: str(v) for k, v in variables.items()}
    render(template_key, values, language)  # refuse bad input before touching anything
    settings = settings or get_settings()
    if store is None:
        store = ChannelStore(get_engine(settings.database_url), settings.keyring("conversation"))
    conversation_id = store.ensure_contact(citizen_phone)  # so the channel can find the number
    within = store.within_session_window(conversation_id)
    spec = {"key": template_key, "variables": values, "language": language}
    try:
        reply = rasa_api.call(
            settings,
            "POST",
            f"/conversations/{conversation_id}/trigger_intent",
            params={"output_channel": OUTPUT_CHANNEL},
            json={"name": EXTERNAL_INTENT, "entities": {"notification": json.dumps(spec, ensure_ascii=False)}},
            timeout=timeout,
        )
    except requests.ConnectionError as error:
        raise RasaUnreachable(f"Rasa unreachable for {template_key} to {mask_phone(citizen_phone)}: {error}") from None
    except requests.RequestException as error:
        raise NotifyError(f"Rasa unreachable for {template_key} to {mask_phone(citizen_phone)}: {error}") from None
    if reply.status_code != 200:
        raise NotifyError(
            f"Rasa refused {template_key} to {mask_phone(citizen_phone)}: HTTP {reply.status_code} {reply.text[:200]}"
        )
    return NotifyResult(conversation_id, within, reply.json().get("tracker") or {})


def sent_messages(result: NotifyResult) -> List[Dict[str, Any]]:
    """The bot messages of the conversation's last notification (for tests and logs)."""
    events = result.tracker.get("events") or []
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return [e for e in events[last_user + 1 :] if e.get("event") == "bot"]
