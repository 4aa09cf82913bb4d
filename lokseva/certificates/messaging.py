"""What the citizen is told about their certificate, Hindi first, English when
the conversation is in English. Short lines for a small screen.

`certificate_ready` is the one place that writes the proactive
"प्रमाण पत्र तैयार है" message (in the notification outbox, lokseva.notifications).
"""
from __future__ import annotations

import logging
from typing import Mapping, Optional

from sqlalchemy.orm import Session

from lokseva.certificates.document import Bilingual
from lokseva.notifications import outbox

logger = logging.getLogger(__name__)

_TEXTS: Mapping[str, Mapping[str, str]] = {
    "sending": {
        "hi": "📄 {service_name} इस संदेश के साथ है।\n"
              "आवेदन नंबर: {application_id}\n"
              "प्रमाण पत्र नंबर: {number}\n"
              "इस पर छपे QR कोड से कोई भी इसकी सच्चाई जाँच सकता है।\n"
              "छपी हुई कॉपी घर पर चाहिए तो लिखें \"घर पर भेजो\"।",
        "en": "📄 Here is the {service_name}.\n"
              "Application number: {application_id}\n"
              "Certificate number: {number}\n"
              "Anyone can check it is genuine with the QR code printed on it.\n"
              "For a printed copy at home, write \"deliver at home\".",
    },
    "caption": {
        "hi": "{service_name} · {number}",
        "en": "{service_name} · {number}",
    },
    "no_applications": {
        "hi": "इस नंबर से आपका कोई आवेदन नहीं मिला।\nप्रमाण पत्र के लिए पहले आवेदन करें: \"आवेदन\" लिखें।",
        "en": "We found no application from this number.\nTo get a certificate, apply first: write \"apply\".",
    },
    "not_yours": {
        "hi": "आवेदन नंबर {application_id} आपके नंबर से नहीं मिला।\nनंबर जाँच कर फिर से भेजें।",
        "en": "Application number {application_id} was not found for your number.\nPlease check it and send it again.",
    },
    "not_ready": {
        "hi": "{service_name} ({application_id}) अभी तैयार नहीं है।\n"
              "बनते ही हम उसे यहीं WhatsApp पर भेज देंगे।\nस्थिति जानने के लिए \"स्थिति\" लिखें।",
        "en": "The {service_name} ({application_id}) is not ready yet.\n"
              "We will send it here on WhatsApp as soon as it is.\nWrite \"status\" to know where it stands.",
    },
    "rejected": {
        "hi": "आपका आवेदन {application_id} स्वीकार नहीं हुआ, इसलिए प्रमाण पत्र नहीं बना।\n"
              "कारण जानने के लिए \"स्थिति\" लिखें।",
        "en": "Your application {application_id} was not approved, so there is no certificate.\n"
              "Write \"status\" to know why.",
    },
    "revoked": {
        "hi": "आपका प्रमाण पत्र {number} रद्द कर दिया गया है।\nजानकारी के लिए लोक सेवा केंद्र से संपर्क करें।",
        "en": "Your certificate {number} has been cancelled.\nPlease contact the Lok Seva Kendra to know more.",
    },
    "choose": {
        "hi": "आपके {count} प्रमाण पत्र हैं। कौन सा भेजूँ?",
        "en": "You have {count} certificates. Which one shall I send?",
    },
    "unavailable": {
        "hi": "माफ़ कीजिए, अभी प्रमाण पत्र भेजने में दिक्कत आ रही है।\nथोड़ी देर बाद फिर कोशिश करें।",
        "en": "Sorry, we cannot send the certificate right now.\nPlease try again in a little while.",
    },
}


def text(key: str, language: Optional[str] = None, **values: object) -> str:
    """The message `key` in the citizen's language (Hindi unless "en")."""
    variants = _TEXTS[key]
    return variants["en" if language == "en" else "hi"].format(**values)


def certificate_filename(number: str) -> str:
    """The file name the citizen sees on WhatsApp."""
    return f"certificate-{number}.pdf"


def certificate_ready(session: Session, citizen, application_reference: str, title: Bilingual, number: str,
                      sha256: str, language: Optional[str]) -> Optional[int]:
    """Writes the proactive "certificate ready" message with the PDF in the
    notification outbox, in the caller's unit of work; its id, or None for a
    citizen without a WhatsApp number (they ask in the chat: "प्रमाण पत्र भेजो").
    The PDF's link is made when the message is sent (it lives a few minutes)."""
    if not citizen.whatsapp_number:
        logger.info("certificate %s: citizen has no WhatsApp number, no notification", application_reference)
        return None
    return outbox.enqueue(
        session, citizen.id, "certificate_ready",
        {"application_id": application_reference, "service_name": title.en if language == "en" else title.hi},
        language, subject=outbox.application_subject(application_reference),
        attachment={"certificate": number, "sha256": sha256, "variable": "document_url"},
    )
