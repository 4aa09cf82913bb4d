"""What the portal's side of the assistant tells citizens, Hindi first with the
English variant. Short lines for a small screen."""

from __future__ import annotations

import datetime as dt

from typing import Optional, Sequence

from lokseva.applications.lifecycle import Status
from lokseva.applications.messaging import more_info_step, status_name
from lokseva.districts import OfficeHours
from lokseva.districts.hours import MONTHS, WEEKDAYS, clock, office_days  # noqa: F401 (re-exported)
from lokseva.information import appeal_text
from lokseva.portal.office import CallbackWindow


def _when(window: CallbackWindow, today: dt.date, language: str) -> str:
    opens, closes = clock(window.starts.time(), language), clock(window.ends.time(), language)
    if window.same_day:
        return f"today by {closes}" if language == "en" else f"आज {closes} बजे तक"
    day = window.day
    if language == "en":
        named = "tomorrow" if day == today + dt.timedelta(days=1) else f"on {WEEKDAYS['en'][day.weekday()]}"
        return f"{named}, {day.day} {MONTHS['en'][day.month - 1]}, between {opens} and {closes}"
    named = "कल" if day == today + dt.timedelta(days=1) else WEEKDAYS["hi"][day.weekday()]
    return f"{named}, {day.day} {MONTHS['hi'][day.month - 1]} को {opens} से {closes} बजे के बीच"


def callback_promised(
    window: CallbackWindow, today: dt.date, office: str, request_no: int, language: str, already_open: bool
) -> str:
    when = _when(window, today, language)
    if language == "en":
        first = (
            "Your request to talk to the office is already noted."
            if already_open
            else "Your request to talk to the office is noted 🙏"
        )
        return (
            f"{first}\n"
            f"Someone from the {office} will call you on this number {when}.\n"
            f"Request no. {request_no}.\n"
            "If it is urgent, call CM Helpline 181 (free)."
        )
    first = (
        "दफ़्तर से बात करने का आपका अनुरोध पहले से दर्ज है।" if already_open else "दफ़्तर से बात करने का आपका अनुरोध दर्ज हो गया है 🙏"
    )
    return (
        f"{first}\n"
        f"{office} से कोई आपको इसी नंबर पर {when} फ़ोन करेगा।\n"
        f"अनुरोध नंबर: {request_no}\n"
        "जल्दी हो तो सीएम हेल्पलाइन 181 पर मुफ़्त कॉल करें।"
    )


def callback_failed(hours: OfficeHours, language: str) -> str:
    """When the request could not be stored: the ways to reach a person without it."""
    days = office_days(hours, language)
    opens, closes = clock(hours.opens, language), clock(hours.closes, language)
    if language == "en":
        return (
            "Sorry, I could not note your request just now. Please write again in a few minutes.\n"
            "You can also visit the Lok Seva Kendra at the tehsil or the Collectorate "
            f"({opens} to {closes}, {days}), or call CM Helpline 181 (free)."
        )
    return (
        "माफ़ कीजिए, अभी आपका अनुरोध दर्ज नहीं हो पाया। कुछ देर बाद फिर लिखें।\n"
        "आप तहसील या कलेक्टर कार्यालय के लोक सेवा केंद्र पर भी आ सकते हैं "
        f"({days}, {opens} से {closes} बजे), या सीएम हेल्पलाइन 181 पर मुफ़्त कॉल करें।"
    )


# --- decisions on applications (sent with the channel's status_changed template) ---


def rejected(reason: str, service, language: str) -> str:
    """The status line of a rejection: the reason and the right to appeal."""

    lines = [status_name(Status.REJECTED, language), f"{'Reason' if language == 'en' else 'कारण'}: {reason}"]
    if service is not None:
        lines.append(appeal_text("rejected", service, language))
    lines.append('Questions? Write "talk to the office".' if language == "en" else 'कुछ पूछना हो तो लिखें "दफ़्तर से बात करें"।')
    return "\n".join(lines)


def documents_requested(documents: Sequence[str], note: Optional[str], language: str) -> str:
    """What the officer needs, and how to send it."""

    lines = [status_name(Status.MORE_INFO_NEEDED, language)]
    if documents:
        lines.append("Please send:" if language == "en" else "कृपया ये भेजें:")
        lines.extend(f"• {d}" for d in documents)
    if note:
        lines.append(f"{'Officer' if language == 'en' else 'अधिकारी'}: {note}")
    lines.append(more_info_step(language))
    return "\n".join(lines)


def child_name_requested(reference: str, language: str) -> str:
    """A birth certificate waits for the child's name: how the parent gives it."""
    if language == "en":
        return (
            f"Your application {reference} for a birth certificate has no name for the child. "
            "The certificate is made once the name is written in.\n"
            "👉 When you have chosen the name, send: *I want to talk to officer*. "
            "The office will call you and write the name in."
        )
    return (
        f"आपके जन्म प्रमाण पत्र के आवेदन {reference} में बच्चे का नाम नहीं है। "
        "नाम लिखने के बाद ही प्रमाण पत्र बनेगा।\n"
        "👉 नाम रख लिया हो तो लिखें: *मुझे अधिकारी से बात करनी है*। "
        "दफ़्तर आपको फ़ोन करके नाम लिख लेगा।"
    )
