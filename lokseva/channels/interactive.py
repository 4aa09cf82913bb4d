"""Choices as WhatsApp shows them: reply buttons or a list (Twilio's Content API).

Wherever the bot offers buttons, the channel asks for a content of type
`twilio/quick-reply` (up to 3 buttons whose titles fit in 20 characters: the
most WhatsApp shows inside the 24-hour session without an approved template)
or `twilio/list-picker` (up to 10 items of 24 characters; a title cut to fit
keeps its full wording in the item's description, so no meaning is lost). The
message text is the content's variable {{1}}, so one content serves every
message offering the same choices: contents are cached by what they contain
(table whatsapp_content), and a restart does not create them again.

Each button's id is the bot's payload, so a tap comes back in the webhook as
ButtonPayload (buttons) or ListId (list) and maps to that payload exactly. The
same choices are also remembered as numbered options (whatsapp_contacts), so
"2", "दूसरा" or a title typed by hand still work, and the numbered text is
what is sent when a content cannot be made (Twilio refuses it, more than 10
choices, a payload over 200 characters) or Twilio cannot deliver it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from lokseva.channels.models import WhatsAppContent
from lokseva.channels.service import utcnow
from lokseva.channels.text import stored_buttons
from lokseva.db import session_scope

QUICK_REPLY, LIST_PICKER, CALL_TO_ACTION = "twilio/quick-reply", "twilio/list-picker", "twilio/call-to-action"
# WhatsApp's limits, as Twilio documents them for each content type.
MAX_BUTTONS = 3  # quick replies in a session message without approval
MAX_BUTTON_TITLE = 20
MAX_LIST_ITEMS = 10
MAX_ITEM_TITLE = 24
MAX_ITEM_DESCRIPTION = 72
MAX_LIST_BUTTON = 20
MAX_ID = 200
MAX_BODY = 1024
LIST_BUTTON = {"hi": "यहाँ से चुनें", "en": "Choose"}
BODY_VARIABLE = "{{1}}"


def shorten(title: str, limit: int) -> str:
    """`title` in at most `limit` characters: whole words and "…" when it must
    be cut, never a matra or virama parted from its letter."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    room = limit - 1  # for "…"
    cut = title.rfind(" ", 0, room + 1)
    if cut < room // 2:  # one long word: cut inside it, at a letter boundary
        cut = room
        # Not before a matra, nor after a virama (that would split a conjunct like त्र).
        while cut > 1 and (unicodedata.category(title[cut])[0] == "M" or title[cut - 1] == "\u094d"):
            cut -= 1
    return title[:cut].rstrip(" ,;:-–—।") + "…"


@dataclass(frozen=True)
class Interactive:
    """A content to create (once) and send: its type, the Content API's
    definition of it (text as {{1}}), and the variables of this message."""

    content_type: str
    definition: Dict[str, Any]
    variables: Dict[str, str]
    key_fields: Tuple[str, ...] = ()  # samples of variables that vary per message (left out of the key)

    @property
    def key(self) -> str:
        """What the cache knows a content by: everything but this message's text."""
        definition = dict(self.definition)
        definition["variables"] = {k: v for k, v in definition["variables"].items() if k not in self.key_fields}
        canonical = json.dumps(definition, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def content_variables(self) -> str:
        return json.dumps(self.variables, ensure_ascii=False)


def _definition(content_type: str, spec: Dict[str, Any], language: str) -> Dict[str, Any]:
    return {
        "friendly_name": f"lokseva_{content_type.split('/')[1].replace('-', '_')}",
        "language": language,
        "variables": {"1": LIST_BUTTON.get(language, LIST_BUTTON["hi"])},  # a sample, as Twilio asks
        "types": {content_type: spec},
    }


def choices_content(
    text: Optional[str], buttons: Sequence[Dict], language: Optional[str] = None
) -> Optional[Interactive]:
    """Reply buttons or a list for these choices, or None when WhatsApp cannot
    show them (the numbered text is sent instead)."""
    body = (text or "").strip()
    choices = stored_buttons(buttons)
    payloads = [c["payload"] for c in choices]
    if (
        not body
        or len(body) > MAX_BODY
        or not choices
        or len(choices) > MAX_LIST_ITEMS
        or any(not p or len(p) > MAX_ID for p in payloads)
        or len(set(payloads)) != len(payloads)
        or any(not c["title"].strip() for c in choices)
    ):
        return None
    language = language if language in LIST_BUTTON else "hi"
    titles = [" ".join(c["title"].split()) for c in choices]
    if len(choices) <= MAX_BUTTONS and all(len(t) <= MAX_BUTTON_TITLE for t in titles):
        spec: Dict[str, Any] = {
            "body": BODY_VARIABLE,
            "actions": [{"title": t, "id": p} for t, p in zip(titles, payloads)],
        }
        return Interactive(QUICK_REPLY, _definition(QUICK_REPLY, spec, language), {"1": body})
    items: List[Dict[str, str]] = []
    for title, payload in zip(titles, payloads):
        item = {"item": shorten(title, MAX_ITEM_TITLE), "id": payload}
        if item["item"] != title:
            item["description"] = shorten(title, MAX_ITEM_DESCRIPTION)
        items.append(item)
    if len({i["item"] for i in items}) != len(items):
        return None  # two titles cut alike: the citizen could not tell them apart
    spec = {"body": BODY_VARIABLE, "button": LIST_BUTTON[language], "items": items}
    return Interactive(LIST_PICKER, _definition(LIST_PICKER, spec, language), {"1": body})


def link_content(text: Optional[str], url: str, title: str, language: Optional[str] = None) -> Optional[Interactive]:
    """A button that opens `url` under the text (`twilio/call-to-action`), or None.
    The URL's last path segment is a variable (WhatsApp allows one only at the end),
    so every payment link of one gateway shares one content."""
    body = (text or "").strip()
    title = " ".join((title or "").split())
    if (
        not body
        or len(body) > MAX_BODY
        or not title
        or len(title) > MAX_BUTTON_TITLE
        or not url.startswith("https://")
        or "{{" in url
    ):
        return None
    cut = url.rfind("/") + 1
    if cut <= len("https://") or cut == len(url):
        return None  # no path segment to vary: not a link we know how to share
    language = language if language in LIST_BUTTON else "hi"
    spec = {"body": BODY_VARIABLE, "actions": [{"type": "URL", "title": title, "url": url[:cut] + "{{2}}"}]}
    definition = _definition(CALL_TO_ACTION, spec, language)
    definition["variables"]["2"] = url[cut:]
    content = Interactive(CALL_TO_ACTION, definition, {"1": body, "2": url[cut:]})
    # The key must not depend on this link's own segment, only on where links lead.
    return dataclasses.replace(content, key_fields=("2",))


def chosen_payload(params: Dict[str, Any], buttons: Optional[Sequence[Dict]]) -> Optional[str]:
    """The payload of a tapped button or list item (ButtonPayload / ListId), if it
    is one of the choices the bot offered last."""
    tapped = params.get("ButtonPayload") or params.get("ListId")
    if not tapped:
        return None
    for button in buttons or ():
        if tapped == (button.get("payload") or button.get("title")):
            return tapped
    return None


class ContentCache:
    """Content SIDs by content key, in the database (survives restarts, shared by
    every process); the blocking calls run in the channel's threads."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._known: Dict[str, str] = {}

    def get(self, key: str) -> Optional[str]:
        if key in self._known:
            return self._known[key]
        with session_scope(self.engine) as s:
            sid = s.execute(
                sa.select(WhatsAppContent.content_sid).where(WhatsAppContent.key == key)
            ).scalar_one_or_none()
        if sid:
            self._known[key] = sid
        return sid

    def put(self, key: str, content_sid: str, content_type: str) -> str:
        """Remembers a new content; when another process stored one first, that one wins."""
        try:
            with session_scope(self.engine) as s:
                s.add(WhatsAppContent(key=key, content_sid=content_sid, content_type=content_type, created_at=utcnow()))
        except IntegrityError:
            return self.get(key) or content_sid
        self._known[key] = content_sid
        return content_sid
