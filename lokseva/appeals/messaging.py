"""What the citizen reads about appeals: Hindi first, then English.

Plain words, as a villager says them: अपील, सुनवाई, फ़ैसला, जुर्माना, हर्जाना
(compensation). A date that is not confirmed for the service gets "लगभग" once.
"""
from __future__ import annotations

import datetime as dt
from typing import List, Sequence

from lokseva.appeals.flows import AppealOption, AppealRefused, AppealView
from lokseva.appeals.rules import AppealStatus, Grounds
from lokseva.applications.numbers import format_date
from lokseva.catalogue import load_catalogue
from lokseva.money import format_rupees

_LEVEL = {1: ("पहली अपील", "first appeal"), 2: ("दूसरी अपील", "second appeal")}


def _hi(language: str) -> bool:
    return language != "en"


def _service(service_id: str, language: str) -> str:
    return load_catalogue()[service_id].text("name", "en" if language == "en" else "hi")


def _date(day: dt.date, language: str, confirmed: bool = True) -> str:
    text = format_date(day, "en" if language == "en" else "hi")
    if confirmed:
        return text
    return f"लगभग {text}" if _hi(language) else f"about {text}"


def grounds_text(grounds: Grounds, due: "dt.date | None", language: str) -> str:
    if grounds == Grounds.REJECTED:
        return "आवेदन नामंज़ूर हुआ" if _hi(language) else "the application was refused"
    when = format_date(due, "en" if language == "en" else "hi") if due else ""
    if _hi(language):
        return f"तय तारीख ({when}) तक काम नहीं हुआ" if when else "तय तारीख तक काम नहीं हुआ"
    return f"not done by the guaranteed date ({when})" if when else "not done by the guaranteed date"


def option_line(option: AppealOption, language: str) -> str:
    """One appealable application, for a choice list."""
    return f"{option.application_reference} · {_service(option.service_id, language)}"


def confirm_question(option: AppealOption, language: str) -> str:
    """The one question before filing: the grounds, to confirm with a tap."""
    hi = _hi(language)
    level = _LEVEL[option.level][0 if hi else 1]
    lines = [
        f"⚖️ *{level}*" if hi else f"⚖️ *{level.capitalize()}*",
        f"{'आवेदन नंबर' if hi else 'Application'}: {option.application_reference} "
        f"({_service(option.service_id, language)})",
        f"{'कारण' if hi else 'Grounds'}: {grounds_text(option.grounds, option.due_date, language)}",
    ]
    if not option.window.in_time:
        lines.append(
            "⏳ अपील का समय (30 दिन) निकल चुका है। फिर भी अपील दर्ज होगी; देरी का कारण लिखें, अधिकारी तय करेंगे।"
            if hi else
            "⏳ The 30 days for an appeal have passed. It can still be filed: write why it is late; the officer decides."
        )
    lines.append("क्या अपील दर्ज करें?" if hi else "Shall I file the appeal?")
    return "\n".join(lines)


def receipt(view: AppealView, language: str) -> str:
    """The appeal's receipt (अपील की पावती)."""
    hi = _hi(language)
    level = _LEVEL[view.level][0 if hi else 1]
    lines = [
        f"✅ आपकी {level} दर्ज हो गई।" if hi else f"✅ Your {level} has been filed.",
        "🧾 *अपील की पावती*" if hi else "🧾 *Appeal receipt*",
        f"{'अपील नंबर' if hi else 'Appeal number'}: *{view.reference}*",
        f"{'आवेदन नंबर' if hi else 'Application'}: {view.application_reference} ({_service(view.service_id, language)})",
        f"{'सुनवाई करेंगे' if hi else 'Heard by'}: {view.officer}",
        f"{'फ़ैसला' if hi else 'Decision by'}: {_date(view.decision_due, language, view.decision_due_confirmed)}"
        + (" तक" if hi else ""),
    ]
    if not view.in_time:
        lines.append("देर से की गई अपील: अधिकारी देरी का कारण देखकर तय करेंगे।" if hi
                     else "Filed late: the officer will consider your reason for the delay.")
    if view.penalty_due_paise:
        lines.append(
            f"देरी के लिए अधिकारी पर जुर्माना हो सकता है (अभी तक {format_rupees(view.penalty_due_paise)}); "
            "वह पैसा आपको हर्जाने में मिलता है।" if hi else
            f"The officer may be fined for the delay (so far {format_rupees(view.penalty_due_paise)}); "
            "that money comes to you as compensation."
        )
    lines.append("फ़ैसला होते ही हम यहीं बताएँगे।" if hi else "We will tell you here as soon as it is decided.")
    return "\n".join(lines)


def decision(view: AppealView, language: str) -> str:
    """The appeal officer's decision, sent to the citizen."""
    hi = _hi(language)
    level = _LEVEL[view.level][0 if hi else 1]
    if view.status == AppealStatus.ALLOWED:
        lines = [
            f"✅ आपकी {level} ({view.reference}) मंज़ूर हुई।" if hi else f"✅ Your {level} ({view.reference}) was allowed.",
            (f"नई तारीख: {_date(view.new_due_date, language)} तक आपका काम होगा।" if hi
             else f"New date: the service is due by {_date(view.new_due_date, language)}.") if view.new_due_date else "",
        ]
    else:
        lines = [
            f"❌ आपकी {level} ({view.reference}) नामंज़ूर हुई।" if hi else f"❌ Your {level} ({view.reference}) was dismissed.",
            f"{'कारण' if hi else 'Reason'}: {view.decision_reason}",
        ]
        if view.level == 1:
            lines.append("आप दूसरी अपील कर सकते हैं: लिखें \"अपील करनी है\"।" if hi
                         else "You can make a second appeal: write \"appeal\".")
    if view.penalty_imposed_paise:
        lines.append(f"अधिकारी पर {format_rupees(view.penalty_imposed_paise)} जुर्माना लगा।" if hi
                     else f"The officer was fined {format_rupees(view.penalty_imposed_paise)}.")
    return "\n".join(line for line in lines if line)


def compensation(view: AppealView, language: str) -> str:
    paid = format_rupees(view.compensation_paid_paise or 0)
    return (f"💰 देरी का हर्जाना {paid} आपको दिया गया (अपील {view.reference})।" if _hi(language)
            else f"💰 Compensation of {paid} for the delay was paid to you (appeal {view.reference}).")


def refused(error: AppealRefused, language: str) -> str:
    hi = _hi(language)
    texts = {
        AppealRefused.NOT_FOUND: (
            "इस नंबर का आपका कोई आवेदन नहीं मिला। आवेदन नंबर पावती पर लिखा है, जैसे JBA-2026-000123।",
            "No application of yours has this number. It is on your receipt, like JBA-2026-000123."),
        AppealRefused.NOT_APPEALABLE: (
            "इस आवेदन पर अभी अपील नहीं हो सकती: इसकी तय तारीख अभी निकली नहीं है और यह नामंज़ूर भी नहीं हुआ। "
            "स्थिति जानने के लिए लिखें \"स्थिति\"।",
            "This application cannot be appealed yet: its guaranteed date has not passed and it was not refused. "
            "Write \"status\" to see where it stands."),
        AppealRefused.PENDING: (
            "इस आवेदन की अपील पर सुनवाई चल रही है। फ़ैसला होते ही हम यहीं बताएँगे।",
            "An appeal of this application is being heard. We will tell you here when it is decided."),
        AppealRefused.EXHAUSTED: (
            "इस आवेदन पर दोनों अपील हो चुकी हैं। मदद के लिए सीएम हेल्पलाइन 181 पर फ़ोन करें।",
            "Both appeals of this application have been made. For help, call CM Helpline 181."),
        AppealRefused.ALLOWED: (
            "इस आवेदन की अपील मंज़ूर हो चुकी है; काम नई तारीख तक होगा। स्थिति जानने के लिए लिखें \"स्थिति\"।",
            "The appeal of this application was allowed; the service is due by the new date. Write \"status\"."),
    }
    return texts[error.reason][0 if hi else 1]


def nothing_to_appeal(language: str) -> str:
    return ("आपके किसी आवेदन पर अभी अपील नहीं हो सकती: अपील तब होती है जब तय तारीख निकल जाए या आवेदन नामंज़ूर हो। "
            "स्थिति जानने के लिए लिखें \"स्थिति\"।" if _hi(language) else
            "None of your applications can be appealed now: an appeal is for an application that is late or refused. "
            "Write \"status\" to see where yours stand.")


def choose_application(options: Sequence[AppealOption], language: str) -> List[str]:
    return [option_line(option, language) for option in options]


def which_application(language: str) -> str:
    return ("किस आवेदन पर अपील करनी है? नीचे से चुनें।" if _hi(language)
            else "Which application do you want to appeal? Choose below.")


def not_filed(language: str) -> str:
    return ("ठीक है, अपील दर्ज नहीं की। बाद में कभी भी लिखें \"अपील करनी है\"।" if _hi(language)
            else "All right, no appeal was filed. Write \"appeal\" any time later.")
