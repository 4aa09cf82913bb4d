"""What a citizen is told about their data, and their right to see and delete it.

DPDP Act 2023 s.5 and Rule 3 (docs/facts/scheme-facts.md, section D): before the
first personal question, a short notice in Hindi and English says what is
collected, why, how long it is kept, whom to ask and how to complain. s.11 and
s.12: a citizen may ask what is kept about them and ask for it to be erased; what
the law makes the State keep (an application once submitted, a certificate once
issued, fee receipts) is kept and the answer says so. Issuing a certificate rests
on s.7(b) (a State service), not on consent.

Erasure runs in two steps: the drafts at once (lokseva.applications), the
conversation by the retention job (lokseva.data_rights.retention), which finds the
request as the slot `data_erasure_requested_at` in the conversation store, so a
request needs no table of its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lokseva.applications import service as applications
from lokseva.applications.lifecycle import Status
from lokseva.applications.models import Application
from lokseva.db import session_scope
from lokseva.districts import District, current_district

ERASURE_SLOT = "data_erasure_requested_at"
# The first characters of the notice: how the action sees it was already shown.
NOTICE_MARK = "🔒"

_NOTICE = {
    "hi": (
        "🔒 आपकी जानकारी के बारे में\n"
        "• आवेदन के लिए हम आपका नाम, पिता/पति का नाम, पता, जन्म की तारीख, आधार नंबर और आपका WhatsApp नंबर लेंगे। "
        "यह सिर्फ़ आपका प्रमाण पत्र बनाने और आपको उसकी खबर देने के लिए है।\n"
        "• आधार नंबर ताले में (छुपाकर) रखा जाता है, हर जगह सिर्फ़ आख़िरी 4 अंक दिखते हैं।\n"
        "• अधूरा आवेदन 24 घंटे में और हमारी बातचीत {days} दिन में मिटा दी जाती है। "
        "जमा हुआ आवेदन और बना हुआ प्रमाण पत्र सरकारी रिकॉर्ड में रहते हैं।\n"
        "• अपनी जानकारी देखनी हो तो लिखें \"मेरा डेटा\", मिटानी हो तो \"मेरा डेटा हटाओ\"।\n"
        "• कोई शिकायत हो तो {office} में या CM हेल्पलाइन 181 पर बताएँ। "
        "वहाँ हल न हो तो भारत के डेटा संरक्षण बोर्ड (Data Protection Board of India) में शिकायत कर सकते हैं।"
    ),
    "en": (
        "🔒 About your information\n"
        "• For the application we take your name, your father's or husband's name, address, date of birth, "
        "Aadhaar number and your WhatsApp number, only to make your certificate and to tell you about it.\n"
        "• The Aadhaar number is kept locked (encrypted); everywhere only its last 4 digits are shown.\n"
        "• An unfinished application is deleted after 24 hours and our chat after {days} days. "
        "A submitted application and an issued certificate stay in the government's records.\n"
        "• To see your information write \"my data\"; to delete it write \"delete my data\".\n"
        "• For a complaint, tell the {office} or CM Helpline 181. If it is not solved there, you can complain "
        "to the Data Protection Board of India."
    ),
}

_KEPT = {
    "hi": {
        "title": "आपके बारे में हमारे पास यह है:",
        "phone": "• आपका WhatsApp नंबर (छुपाकर): {phone}",
        "chat": "• हमारी बातचीत ({days} दिन तक रखी जाती है)",
        "draft": "• एक अधूरा आवेदन (24 घंटे में अपने-आप मिट जाता है)",
        "applications": "• जमा किए गए आवेदन: {count}",
        "certificates": "• बने हुए प्रमाण पत्र: {count}",
        "nothing": "• कोई आवेदन नहीं",
        "how": "इसे मिटाना हो तो लिखें \"मेरा डेटा हटाओ\"।",
    },
    "en": {
        "title": "This is what we keep about you:",
        "phone": "• Your WhatsApp number (hidden): {phone}",
        "chat": "• Our chat (kept for {days} days)",
        "draft": "• One unfinished application (deleted by itself after 24 hours)",
        "applications": "• Submitted applications: {count}",
        "certificates": "• Issued certificates: {count}",
        "nothing": "• No applications",
        "how": "To delete it, write \"delete my data\".",
    },
}

_ERASED = {
    "hi": (
        "✅ ठीक है। आपका अधूरा आवेदन मिटा दिया गया है, और हमारी बातचीत एक दिन के अंदर मिटा दी जाएगी।\n"
        "{kept}"
        "आगे कभी भी \"नमस्ते\" लिखकर फिर से शुरू कर सकते हैं।"
    ),
    "en": (
        "✅ Done. Your unfinished application has been deleted, and our chat will be deleted within a day.\n"
        "{kept}"
        "You can start again any time by writing \"hello\"."
    ),
}
_KEPT_BY_LAW = {
    "hi": (
        "जमा किए गए {count} आवेदन, उनके प्रमाण पत्र और फीस की रसीदें कानून के अनुसार सरकारी रिकॉर्ड में रहेंगे, "
        "और उनकी खबर देने के लिए आपका नंबर भी। इनके बारे में {office} से पूछ सकते हैं।\n"
    ),
    "en": (
        "The {count} submitted application(s), their certificates and fee receipts stay in the government's "
        "records as the law requires, and so does your number to tell you about them. You can ask the {office} "
        "about them.\n"
    ),
}


def _lang(language: Optional[str]) -> str:
    return "en" if language == "en" else "hi"


def notice(language: Optional[str], conversation_retention_days: int, district: Optional[District] = None) -> str:
    """The notice shown before the first personal question."""
    language = _lang(language)
    district = district or current_district()
    return _NOTICE[language].format(days=conversation_retention_days, office=district.text("lok_seva_kendra", language))


@dataclass(frozen=True)
class KeptData:
    masked_phone: Optional[str]
    has_draft: bool
    submitted: int            # applications past the draft, whatever their status
    certificates: int


def kept_data(channel_user_id: str, engine: Optional[Engine] = None) -> KeptData:
    """What the application database keeps about this conversation's citizen."""
    with session_scope(engine or applications.engine()) as session:
        citizen = applications.find_citizen(session, channel_user_id)
        if citizen is None:
            return KeptData(None, False, 0, 0)
        counts: Dict[str, int] = dict(
            session.execute(
                sa.select(Application.status, sa.func.count()).where(Application.citizen_id == citizen.id)
                .group_by(Application.status)
            ).all()
        )
        issued = counts.get(Status.CERTIFICATE_ISSUED.value, 0) + counts.get(Status.DELIVERED.value, 0)
        submitted = sum(n for status, n in counts.items() if status != Status.DRAFT.value)
        return KeptData(citizen.masked_whatsapp_number or None, bool(counts.get(Status.DRAFT.value)), submitted, issued)


def kept_data_text(kept: KeptData, language: Optional[str], conversation_retention_days: int) -> str:
    texts = _KEPT[_lang(language)]
    lines = [texts["title"]]
    if kept.masked_phone:
        lines.append(texts["phone"].format(phone=kept.masked_phone))
    lines.append(texts["chat"].format(days=conversation_retention_days))
    if kept.has_draft:
        lines.append(texts["draft"])
    if kept.submitted:
        lines.append(texts["applications"].format(count=kept.submitted))
        if kept.certificates:
            lines.append(texts["certificates"].format(count=kept.certificates))
    elif not kept.has_draft:
        lines.append(texts["nothing"])
    lines.append(texts["how"])
    return "\n".join(lines)


def erase_now(channel_user_id: str, engine: Optional[Engine] = None) -> KeptData:
    """Deletes what can go at once (the draft, with its Aadhaar number) and returns
    what the law keeps. The conversation goes with the retention job."""
    with session_scope(engine or applications.engine()) as session:
        citizen = applications.find_citizen(session, channel_user_id)
        if citizen is not None:
            applications.discard_draft(session, citizen)
    return kept_data(channel_user_id, engine)


def erased_text(kept: KeptData, language: Optional[str], district: Optional[District] = None) -> str:
    language = _lang(language)
    district = district or current_district()
    by_law = _KEPT_BY_LAW[language].format(
        count=kept.submitted, office=district.text("lok_seva_kendra", language)) if kept.submitted else ""
    return _ERASED[language].format(kept=by_law)
