"""What the citizen is told about paying, in the conversation's language (Hindi
unless it is English). The texts: lokseva/messages/<language>/payments.yml.

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

from babel.dates import format_date as babel_date

from lokseva.applications.numbers import format_date
from lokseva.clock import IST
from lokseva.messages import both, language_of, render
from lokseva.money import format_rupees, rupees_figure
from lokseva.payments.fees import FeeBreakdown, HOME_DELIVERY, PROCESSING, STATUTORY

log = logging.getLogger(__name__)

FEE_LABELS: Dict[str, Tuple[str, str]] = {
    # (Hindi, English) for the receipt PDF, which prints both (payments.fee_label in the catalogue).
    kind: both(f"payments.fee_label.{kind}")
    for kind in (STATUTORY, PROCESSING, HOME_DELIVERY)
}


@dataclass(frozen=True)
class Reply:
    """A message for the citizen: text, optional buttons, optional PDF."""

    text: str
    buttons: Tuple[Tuple[str, str], ...] = ()  # (title, payload)
    media_url: Optional[str] = None
    kind: str = "text"  # what it is about, for the channel's templates
    variables: Dict[str, str] = field(default_factory=dict)


def _bare(paise: int) -> str:
    """ "20" or "20.50": the notification templates write the ₹ sign themselves."""
    return rupees_figure(paise)


def _day_part(hour: int) -> str:
    # Hand-written, not Babel's day periods (format "B"): CLDR's Hindi शाम lasts
    # until 8 pm where the assistant says रात from 7 pm (as lokseva.clock.spoken_time
    # does for office hours), and its English writes "PM" where citizens read "pm".
    if hour < 4:
        return "small_hours"
    return "morning" if hour < 12 else "afternoon" if hour < 16 else "evening" if hour < 19 else "night"


def when_text(moment: dt.datetime, language: str) -> str:
    """29 नवंबर 2026, शाम 5:40 बजे  /  29 Nov 2026, 5:40 pm (Indian time)."""
    local = moment.astimezone(IST)
    lang = language_of(language)
    # English writes the month short, as Babel (CLDR) does; Hindi the whole name (numbers.format_date).
    day = babel_date(local.date(), "d MMM y", locale="en") if lang == "en" else format_date(local.date(), lang)
    return render(
        "payments.when",
        lang,
        date=day,
        part=render(f"payments.day_part.{_day_part(local.hour)}", lang),
        hour=local.hour % 12 or 12,
        minute=f"{local.minute:02d}",
    )


def fee_lines(breakdown: FeeBreakdown, language: str) -> List[str]:
    return [
        render(
            "payments.fee_line",
            language,
            label=render(f"payments.fee_label.{line.kind}", language),
            amount=format_rupees(line.paise),
        )
        for line in breakdown.lines
    ]


def payment_link(
    application_id: str,
    service_name: str,
    breakdown: FeeBreakdown,
    url: str,
    expires_at: dt.datetime,
    language: str,
    replacing_expired: bool = False,
) -> Reply:
    until = when_text(expires_at, language)
    text = render(
        "payments.link",
        language,
        head=render("payments.link_replaces_expired", language) if replacing_expired else "",
        application_id=application_id,
        service_name=service_name,
        total=format_rupees(breakdown.total_paise),
        fee_lines="\n".join(fee_lines(breakdown, language)),
        url=url,
        until=until,
    )
    return Reply(
        text,
        kind="payment_link_new" if replacing_expired else "payment_link",
        variables={
            "application_id": application_id,
            "service_name": service_name,
            "amount": _bare(breakdown.total_paise),
            "url": url,
            "until": until,
        },
    )


def link_delayed(application_id: str, language: str) -> Reply:
    return Reply(
        render("payments.link_delayed", language, application_id=application_id),
        kind="payment_link_delayed",
        variables={"application_id": application_id},
    )


def paid_receipt(application_id: str, amount_paise: int, receipt_url: str, language: str) -> Reply:
    return Reply(
        render("payments.paid_receipt", language, amount=format_rupees(amount_paise), application_id=application_id),
        media_url=receipt_url,
        kind="payment_receipt",
        variables={"application_id": application_id, "amount": _bare(amount_paise), "receipt_url": receipt_url},
    )


def already_paid(application_id: str, amount_paise: int, paid_at: Optional[dt.datetime], language: str) -> Reply:
    on = f" ({when_text(paid_at, language)})" if paid_at else ""
    return Reply(
        render(
            "payments.already_paid", language, application_id=application_id, amount=format_rupees(amount_paise), on=on
        ),
        kind="payment_already_paid",
    )


def payment_failed(application_id: str, url: str, language: str) -> Reply:
    return Reply(
        render("payments.payment_failed", language, application_id=application_id, url=url),
        kind="payment_failed",
        variables={"application_id": application_id, "url": url},
    )


def refund_due(application_id: str, amount_paise: int, language: str) -> Reply:
    return Reply(
        render("payments.refund_due", language, amount=format_rupees(amount_paise), application_id=application_id),
        kind="payment_refund_due",
        variables={"application_id": application_id, "amount": _bare(amount_paise)},
    )


def nothing_to_pay(language: str) -> Reply:
    return Reply(
        render("payments.nothing_to_pay", language),
        buttons=((render("payments.apply_button", language), "/apply_service"),),
    )


def choose_application(options: Sequence[Tuple[str, str, int]], language: str) -> Reply:
    """options: (application id, service name, total paise)."""
    buttons = tuple(
        (f"{app_id} · {name} · {format_rupees(paise)}", f'/pay_fee{{"application_id":"{app_id}"}}')
        for app_id, name, paise in options
    )
    return Reply(render("payments.choose_application", language), buttons=buttons)


def not_found(application_id: str, language: str) -> Reply:
    # The same answer whether the id does not exist or belongs to someone else:
    # a citizen sees only their own applications.
    return Reply(render("payments.not_found", language, application_id=application_id))


NOT_PAYABLE_REASONS = ("draft", "closed", "free")


def not_payable(application_id: str, reason: str, language: str) -> Reply:
    reason = reason if reason in NOT_PAYABLE_REASONS else "closed"
    return Reply(render(f"payments.not_payable.{reason}", language, application_id=application_id))


def link_expired_final(application_id: str, language: str) -> Reply:
    return Reply(
        render("payments.link_expired", language, application_id=application_id),
        buttons=((render("payments.pay_button", language), f'/pay_fee{{"application_id":"{application_id}"}}'),),
        kind="payment_link_expired",
        variables={"application_id": application_id},
    )


def gateway_down(language: str) -> Reply:
    return Reply(render("payments.gateway_down", language))
