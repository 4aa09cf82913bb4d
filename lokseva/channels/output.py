"""The WhatsApp output channel: the bot's messages through Twilio's REST API.

Text is split under Twilio's 1,600-character limit, buttons become reply
buttons or a list (lokseva/channels/interactive.py) with the numbered text as
the fallback, and are remembered per citizen (so "2" or "दूसरा" chooses one), images, PDFs and
{"document": {"url", "filename"}} go out as media, and proactive notifications
as text inside WhatsApp's 24-hour window or as the approved template outside it.
Every message is written to the outbox before it is sent; one Twilio refuses
is logged (number masked) and recorded, never raised into Rasa's turn.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel

from lokseva.channels.interactive import choices_content, link_content
from lokseva.channels.text import render_buttons, split_text, stored_buttons
from lokseva.channels.twilio_client import TwilioError
from lokseva.language import detect_language

if TYPE_CHECKING:
    from lokseva.channels.whatsapp import WhatsAppInput

logger = logging.getLogger(__name__)
CHANNEL_NAME = "whatsapp"


class WhatsAppOutput(OutputChannel):
    """Sends the bot's messages through Twilio's REST API, one after the other."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL_NAME

    def __init__(self, channel: "WhatsAppInput") -> None:
        self.channel = channel

    async def _send(self, recipient_id: Text, kind: str, **params: Any) -> None:
        """Into the outbox, then to Twilio (lokseva/channels/outbox.py): a message
        Twilio cannot take now is sent later by the periodic job, in order."""
        phone = await self.channel.phone_for(recipient_id)
        if not phone:
            logger.error("whatsapp: no phone number for conversation %s; message dropped", recipient_id)
            return
        await self.channel.outbox.send(recipient_id, phone, kind, params)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("notification"), dict):
            # Its text is in the message for the conversation log; send it once, our way.
            await self._send_notification(recipient_id, custom["notification"])
            return
        if isinstance(custom, dict) and isinstance(custom.get("call_to_action"), dict) and message.get("text"):
            # The text with a button that opens the link (the text still has the link: the fallback).
            await self._send_link(recipient_id, message["text"], custom["call_to_action"])
            for key in ("image", "attachment"):
                if message.get(key):
                    await super().send_response(recipient_id, {key: message[key]})
            return
        await super().send_response(recipient_id, message)

    async def _send_link(self, recipient_id: Text, text: Text, link: Dict[Text, Any]) -> None:
        interactive = link_content(
            text, str(link.get("url") or ""), str(link.get("title") or ""), detect_language(text)
        )
        content_sid = await self._content_sid(interactive) if interactive else None
        if content_sid is None:
            await self.send_text_message(recipient_id, text)
            return
        await self._send(
            recipient_id,
            "interactive",
            content_sid=content_sid,
            content_variables=interactive.content_variables,
            fallback_body=split_text(text)[0],
        )

    async def send_text_message(self, recipient_id: Text, text: Text, echo: bool = False, **kwargs: Any) -> None:
        """`echo`: the words of the citizen's voice note, shown back (never spoken as an answer)."""
        for part in split_text(text):
            await self._send(recipient_id, "text", body=part, **({"echo": True} if echo else {}))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        # Remembered first: a tap (or a typed "2") may come back before the send returns.
        await self.channel.db(self.channel.store.set_buttons, recipient_id, stored_buttons(buttons))
        numbered = render_buttons(text, buttons)
        content_sid, interactive = await self._content_for(text, buttons)
        if content_sid is None:
            await self.send_text_message(recipient_id, numbered)
            return
        await self._send(
            recipient_id,
            "interactive",
            content_sid=content_sid,
            content_variables=interactive.content_variables,
            fallback_body=split_text(numbered)[0],
        )

    async def _content_for(self, text: Text, buttons: List[Dict[Text, Any]]):
        """The Content SID for these choices (cached, else created), or None: the
        numbered text goes instead."""
        interactive = choices_content(text, buttons, detect_language(text or ""))
        sid = await self._content_sid(interactive) if interactive else None
        return (sid, interactive) if sid else (None, None)

    async def _content_sid(self, interactive) -> Optional[str]:
        """The content's SID: cached, else created (and cached); None when
        interactive messages are off or Twilio will not make it."""
        if not self.channel.interactive:
            return None
        cache = self.channel.contents
        sid = await self.channel.db(cache.get, interactive.key)
        if sid is None:
            try:
                sid = await self.channel.client.create_content(interactive.definition)
            except TwilioError as error:
                logger.warning("whatsapp: %s not created, plain text sent instead: %s", interactive.content_type, error)
                return None
            sid = await self.channel.db(cache.put, interactive.key, sid, interactive.content_type)
        return sid

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, "media", media_urls=[image])

    async def send_attachment(self, recipient_id: Text, attachment: Any, **kwargs: Any) -> None:
        url = attachment.get("url") if isinstance(attachment, dict) else attachment
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            await self._send(recipient_id, "media", media_urls=[url])
        else:
            logger.warning("whatsapp: attachment without a URL not sent")

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        """{"document": {"url", "filename", "caption"?}} goes out as a file;
        {"notification": {...}} as text or template (see send_response)."""
        document = json_message.get("document")
        if isinstance(document, dict) and document.get("url"):
            caption = document.get("caption") or document.get("filename")
            await self._send(recipient_id, "media", media_urls=[document["url"]], body=caption)
        elif isinstance(json_message.get("notification"), dict):
            await self._send_notification(recipient_id, json_message["notification"])
        else:
            logger.warning(
                "whatsapp: custom message without document or notification not sent: %s", sorted(json_message)
            )

    async def _send_notification(self, recipient_id: Text, notification: Dict[Text, Any]) -> None:
        """Inside the 24-hour window: the text (and its document). Outside: the
        approved template, the only thing WhatsApp delivers then."""
        store = self.channel.store
        if await self.channel.db(store.within_session_window, recipient_id):
            await self.send_text_message(recipient_id, notification.get("text") or "")
            if notification.get("document_url"):
                await self._send(recipient_id, "media", media_urls=[notification["document_url"]])
            return
        content_sid = notification.get("content_sid")
        if not content_sid:
            logger.error(
                "whatsapp: notification %r has no approved template for %s; not sent",
                notification.get("key"),
                notification.get("language"),
            )
            await self.channel.db(
                store.record_outbound, recipient_id, "template", None, "not_sent", None, "no approved template"
            )
            return
        await self._send(
            recipient_id,
            "template",
            content_sid=content_sid,
            content_variables=notification.get("content_variables") or "{}",
        )
