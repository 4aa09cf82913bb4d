"""The answer to "send me my certificate" (intent get_certificate), with or
without an application id: the PDF as a WhatsApp document behind a signed link
that works for minutes and only for this conversation, or why there is none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from lokseva.certificates import media, messaging, service
from lokseva.settings import Settings, get_settings


@dataclass(frozen=True)
class Reply:
    text: str = ""
    document: Optional[Dict[str, str]] = None  # {"url", "filename", "caption"}
    buttons: Tuple[Tuple[str, str], ...] = ()  # (title, payload)


def _name(item: service.CitizenCertificate, language: str) -> str:
    return item.service_name.en if language == "en" else item.service_name.hi


def _send(item: service.CitizenCertificate, channel_user_id: str, language: str, settings: Settings) -> List[Reply]:
    if item.number is None or item.sha256 is None:
        raise ValueError(f"{item.application_reference} has no certificate to send")
    name = _name(item, language)
    document = {
        "url": media.media_url(item.number, item.sha256, channel_user_id, settings),
        "filename": messaging.certificate_filename(item.number),
        "caption": messaging.text("caption", language, service_name=name, number=item.number),
    }
    return [
        Reply(
            messaging.text(
                "sending", language, service_name=name, application_id=item.application_reference, number=item.number
            )
        ),
        Reply(document=document),
    ]


def _why_not(item: service.CitizenCertificate, language: str) -> Reply:
    values = {"service_name": _name(item, language), "application_id": item.application_reference}
    if item.revoked:
        return Reply(messaging.text("revoked", language, number=item.number))
    if item.application_status == "rejected":
        return Reply(messaging.text("rejected", language, application_id=item.application_reference))
    return Reply(messaging.text("not_ready", language, **values))


def certificate_replies(
    channel_user_id: str, reference: Optional[str], language: str, settings: Optional[Settings] = None, engine=None
) -> List[Reply]:
    settings = settings or get_settings()
    found = service.for_conversation(channel_user_id, reference, engine=engine)
    if found is None:
        return [Reply(messaging.text("not_yours", language, application_id=reference))]
    if not found:
        return [Reply(messaging.text("no_applications", language))]
    ready = [item for item in found if item.number and not item.revoked]
    if reference or len(found) == 1:
        item = found[0]
        return _send(item, channel_user_id, language, settings) if item in ready else [_why_not(item, language)]
    if len(ready) == 1:
        return _send(ready[0], channel_user_id, language, settings)
    if len(ready) > 1:
        buttons = tuple(
            (
                f"{_name(item, language)} · {item.application_reference}",
                f'/get_certificate{{"application_id":"{item.application_reference}"}}',
            )
            for item in ready
        )
        return [Reply(messaging.text("choose", language, count=len(ready)), buttons=buttons)]
    return [_why_not(found[0], language)]  # none ready: about the newest application
