"""What the citizen is told about their certificate, Hindi first, English when
the conversation is in English. The texts: lokseva/messages/<language>/certificates.yml.

`certificate_ready` is the one place that writes the proactive
"प्रमाण पत्र तैयार है" message (in the notification outbox, lokseva.notifications).
"""

from __future__ import annotations

import logging
from typing import Optional

from sqlalchemy.orm import Session

from lokseva.certificates.document import Bilingual
from lokseva.messages import render
from lokseva.notifications import outbox

logger = logging.getLogger(__name__)


def text(key: str, language: Optional[str] = None, **values: object) -> str:
    """The message `key` of lokseva/messages/<language>/certificates.yml in the citizen's language."""
    return render(f"certificates.{key}", language, **values)


def certificate_filename(number: str) -> str:
    """The file name the citizen sees on WhatsApp."""
    return f"certificate-{number}.pdf"


def certificate_ready(
    session: Session,
    citizen,
    application_reference: str,
    title: Bilingual,
    number: str,
    sha256: str,
    language: Optional[str],
) -> Optional[int]:
    """Writes the proactive "certificate ready" message with the PDF in the
    notification outbox, in the caller's unit of work; its id, or None for a
    citizen without a WhatsApp number (they ask in the chat: "प्रमाण पत्र भेजो").
    The PDF's link is made when the message is sent (it lives a few minutes)."""
    if not citizen.whatsapp_number:
        logger.info("certificate %s: citizen has no WhatsApp number, no notification", application_reference)
        return None
    return outbox.enqueue(
        session,
        citizen.id,
        "certificate_ready",
        {"application_id": application_reference, "service_name": title.en if language == "en" else title.hi},
        language,
        subject=outbox.application_subject(application_reference),
        attachment={"certificate": number, "sha256": sha256, "variable": "document_url"},
    )
