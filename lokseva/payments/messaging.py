"""What the citizen is told about paying, Hindi first (Devanagari), English when
the conversation's `language` is "en". Short lines for a small screen, village
words (फीस, पैसा, रसीद), no jargon.

Messages sent outside a conversation turn (receipt after a webhook, a fresh
link after expiry, a link that was late) are written in the notification
outbox by notices.py, as the template `Reply.kind` of
lokseva/channels/notifications.yml with `Reply.variables`.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from lokseva.applications.numbers import format_date
from lokseva.clock import IST
from lokseva.money import format_rupees, rupees_figure
from lokseva.payments.fees import FeeBreakdown, HOME_DELIVERY, PROCESSING, STATUTORY

log = logging.getLogger(__name__)

FEE_LABELS: Dict[str, Tuple[str, str]] = {
    # One name per fee in every message (docs/style-guide.md).
    STATUTORY: ("सरकारी फीस", "Government fee"),
    PROCESSING: ("केंद्र की फीस", "Kendra fee"),
    HOME_DELIVERY: ("डाक की फीस (घर भेजने की)", "Postage to your home"),
}


@dataclass(frozen=True)
class Reply:
    """A message for the citizen: text, optional buttons, optional PDF."""

    text: str
    buttons: Tuple[Tuple[str, str], ...] = ()       # (title, payload)
    media_url: Optional[str] = None
    kind: str = "text"                             # what it is about, for the channel's templates
    variables: Dict[str, str] = field(default_factory=dict)


def _pick(language: str, hi: str, en: str) -> str:
    return en if language == "en" else hi


def _bare(paise: int) -> str:
    """"20" or "20.50": the notification templates write the ₹ sign themselves."""
    return rupees_figure(paise)


def when_text(moment: dt.datetime, language: str) -> str:
    """29 नवंबर 2026, शाम 5:40 बजे  /  29 Nov 2026, 5:40 pm (Indian time)."""
    local = moment.astimezone(IST)
    hour12 = local.hour % 12 or 12
    if language == "en":
        return f"{local.day} {local.strftime('%b %Y')}, {hour12}:{local.minute:02d} {'am' if local.hour < 12 else 'pm'}"
    part = (
        "सुबह" if 4 <= local.hour < 12 else "दोपहर" if local.hour < 16 else "शाम" if local.hour < 19 else "रात"
    )
    return f"{format_date(local.date(), 'hi')}, {part} {hour12}:{local.minute:02d} बजे"


def fee_lines(breakdown: FeeBreakdown, language: str) -> List[str]:
    index = 1 if language == "en" else 0
    return [f"• {FEE_LABELS[line.kind][index]}: {format_rupees(line.paise)}" for line in breakdown.lines]


def payment_link(
    application_id: str,
    service_name: str,
    breakdown: FeeBreakdown,
    url: str,
    expires_at: dt.datetime,
    language: str,
    replacing_expired: bool = False,
) -> Reply:
    total = format_rupees(breakdown.total_paise)
    lines = fee_lines(breakdown, language)
    until = when_text(expires_at, language)
    if language == "en":
        head = "Your last payment link had expired. Here is a new one.\n\n" if replacing_expired else ""
        text = (
            f"{head}Fee for application {application_id} ({service_name}): *{total}*\n"
            + "\n".join(lines)
            + f"\n\nPay with UPI (PhonePe, Google Pay, Paytm, BHIM) or a card on this link:\n{url}\n\n"
            f"The link works until {until}.\nThe receipt comes here on WhatsApp as soon as you pay."
        )
    else:
        head = "पिछले भुगतान लिंक का समय खत्म हो गया था। यह नया लिंक है।\n\n" if replacing_expired else ""
        text = (
            f"{head}आवेदन {application_id} ({service_name}) की फीस: *{total}*\n"
            + "\n".join(lines)
            + f"\n\nइस लिंक से UPI (PhonePe, Google Pay, Paytm, BHIM) या कार्ड से भरें:\n{url}\n\n"
            f"लिंक {until} तक चलेगा।\nपैसा जमा होते ही रसीद यहीं WhatsApp पर आएगी।"
        )
    return Reply(
        text, kind="payment_link_new" if replacing_expired else "payment_link",
        variables={"application_id": application_id, "service_name": service_name,
                   "amount": _bare(breakdown.total_paise), "url": url, "until": until},
    )


def link_delayed(application_id: str, language: str) -> Reply:
    return Reply(
        _pick(
            language,
            f"भुगतान की सेवा अभी धीमी चल रही है। आवेदन {application_id} सुरक्षित है।\n"
            "कुछ मिनट में भुगतान का लिंक यहीं भेज देंगे, आपको कुछ नहीं करना है।",
            f"The payment service is slow right now. Application {application_id} is safe.\n"
            "We will send the payment link here in a few minutes; you need not do anything.",
        ),
        kind="payment_link_delayed",
        variables={"application_id": application_id},
    )


def paid_receipt(application_id: str, amount_paise: int, receipt_url: str, language: str) -> Reply:
    amount = format_rupees(amount_paise)
    return Reply(
        _pick(
            language,
            f"✅ {amount} जमा हो गए। आवेदन {application_id} की फीस भर दी गई है।\n"
            "रसीद (PDF) साथ में है, सँभालकर रखें।\n"
            "अब अधिकारी आवेदन जाँचेंगे। स्थिति जानने के लिए \"स्थिति\" लिखें।",
            f"✅ {amount} received. The fee of application {application_id} is paid.\n"
            "The receipt (PDF) is attached; please keep it.\n"
            "The officer will now check the application. Write \"status\" to know where it stands.",
        ),
        media_url=receipt_url,
        kind="payment_receipt",
        variables={"application_id": application_id, "amount": _bare(amount_paise), "receipt_url": receipt_url},
    )


def already_paid(application_id: str, amount_paise: int, paid_at: Optional[dt.datetime], language: str) -> Reply:
    amount = format_rupees(amount_paise)
    on = f" ({when_text(paid_at, language)})" if paid_at else ""
    return Reply(
        _pick(
            language,
            f"आवेदन {application_id} की फीस {amount} पहले ही जमा हो चुकी है{on}।\nदोबारा भरने की ज़रूरत नहीं है।",
            f"The fee of {amount} for application {application_id} is already paid{on}.\nThere is nothing more to pay.",
        ),
        kind="payment_already_paid",
    )


def payment_failed(application_id: str, url: str, language: str) -> Reply:
    return Reply(
        _pick(
            language,
            f"आवेदन {application_id} का भुगतान नहीं हो पाया। अगर पैसा कटा है तो वह अपने-आप वापस आ जाएगा।\n"
            f"इसी लिंक से दोबारा कोशिश करें:\n{url}",
            f"The payment for application {application_id} did not go through. Any money taken comes back by itself.\n"
            f"Please try again on the same link:\n{url}",
        ),
        kind="payment_failed",
        variables={"application_id": application_id, "url": url},
    )


def refund_due(application_id: str, amount_paise: int, language: str) -> Reply:
    amount = format_rupees(amount_paise)
    return Reply(
        _pick(
            language,
            f"आपके {amount} मिले, पर आवेदन {application_id} की फीस पहले ही जमा थी।\n"
            "यह पैसा आपको लौटाया जाएगा। कुछ पूछना हो तो \"दफ़्तर से बात\" लिखें।",
            f"We received {amount}, but the fee of application {application_id} was already paid.\n"
            "This money will be refunded to you. Write \"talk to the office\" for any question.",
        ),
        kind="payment_refund_due",
        variables={"application_id": application_id, "amount": _bare(amount_paise)},
    )


def nothing_to_pay(language: str) -> Reply:
    return Reply(
        _pick(
            language,
            "आपके किसी आवेदन की फीस अभी बाकी नहीं है।\nनया आवेदन करना हो तो \"आवेदन\" लिखें।",
            "None of your applications has a fee to pay right now.\nWrite \"apply\" to start a new application.",
        ),
        buttons=((_pick(language, "आवेदन करें", "Apply"), "/apply_service"),),
    )


def choose_application(options: Sequence[Tuple[str, str, int]], language: str) -> Reply:
    """options: (application id, service name, total paise)."""
    text = _pick(
        language, "इन आवेदनों की फीस बाकी है। किसकी भरनी है?", "These applications have a fee to pay. Which one?"
    )
    buttons = tuple(
        (f"{app_id} · {name} · {format_rupees(paise)}", f'/pay_fee{{"application_id":"{app_id}"}}')
        for app_id, name, paise in options
    )
    return Reply(text, buttons=buttons)


def not_found(application_id: str, language: str) -> Reply:
    # The same answer whether the id does not exist or belongs to someone else:
    # a citizen sees only their own applications.
    return Reply(
        _pick(
            language,
            f"आवेदन नंबर {application_id} आपके मोबाइल नंबर पर नहीं मिला।\nआवेदन नंबर पावती पर देखकर दोबारा भेजें, जैसे JBA-2026-000123।",
            f"Application {application_id} was not found for your number.\nPlease check the number on your receipt, e.g. JBA-2026-000123.",
        )
    )


def not_payable(application_id: str, reason: str, language: str) -> Reply:
    texts = {
        "draft": (
            f"आवेदन {application_id} अभी पूरा जमा नहीं हुआ है। पहले आवेदन पूरा करें, फिर फीस भरें।",
            f"Application {application_id} is not submitted yet. Please finish it first, then pay.",
        ),
        "closed": (
            f"आवेदन {application_id} पर अब फीस नहीं लगती (आवेदन बंद हो चुका है)।",
            f"Application {application_id} needs no fee now (it is closed).",
        ),
        "free": (
            f"आवेदन {application_id} की कोई फीस नहीं है। आपको कुछ नहीं भरना है।",
            f"Application {application_id} has no fee. There is nothing to pay.",
        ),
    }
    hi, en = texts.get(reason, texts["closed"])
    return Reply(_pick(language, hi, en))


def link_expired_final(application_id: str, language: str) -> Reply:
    return Reply(
        _pick(
            language,
            f"आवेदन {application_id} के भुगतान लिंक का समय खत्म हो गया।\n"
            "जब फीस भरनी हो, \"फीस भरनी है\" लिखें, नया लिंक भेज देंगे।",
            f"The payment link of application {application_id} has expired.\n"
            "When you are ready, write \"pay fee\" and we will send a new link.",
        ),
        buttons=((_pick(language, "फीस भरें", "Pay the fee"), f'/pay_fee{{"application_id":"{application_id}"}}'),),
        kind="payment_link_expired",
        variables={"application_id": application_id},
    )


def gateway_down(language: str) -> Reply:
    return Reply(
        _pick(
            language,
            "माफ़ कीजिए, भुगतान की सेवा अभी नहीं चल रही। आपका आवेदन सुरक्षित है।\nकुछ देर बाद \"फीस भरनी है\" लिखें।",
            "Sorry, the payment service is not working right now. Your application is safe.\nPlease write \"pay fee\" again in a while.",
        )
    )
