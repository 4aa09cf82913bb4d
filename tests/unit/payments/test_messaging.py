"""What the citizen is told: Hindi first, the exact amount, and every proactive
message a template the WhatsApp channel knows (with exactly its variables)."""

import datetime as dt

import pytest

from lokseva.channels.notifications import render
from lokseva.payments import messaging
from lokseva.payments.fees import fee_breakdown

UNTIL = dt.datetime(2026, 11, 29, 12, 10, tzinfo=dt.timezone.utc)  # 17:40 in India
FEE = fee_breakdown(statutory_paise=3000, processing_paise=2000, home_delivery_paise=2000, home_delivery=True)


def proactive_replies(language):
    return [
        messaging.payment_link("JBA-2026-000123", "आय प्रमाण पत्र", FEE, "https://rzp.io/i/abc", UNTIL, language),
        messaging.payment_link(
            "JBA-2026-000123", "आय प्रमाण पत्र", FEE, "https://rzp.io/i/abc", UNTIL, language, replacing_expired=True
        ),
        messaging.paid_receipt(
            "JBA-2026-000123", 7000, "https://x/payments/receipts/JBA-2026-000123-P01.pdf", language
        ),
        messaging.payment_failed("JBA-2026-000123", "https://rzp.io/i/abc", language),
        messaging.refund_due("JBA-2026-000123", 2050, language),
        messaging.link_expired_final("JBA-2026-000123", language),
    ]


@pytest.mark.parametrize("language", ["hi", "en"])
def test_every_proactive_message_is_a_known_template_with_its_variables(language):
    for reply in proactive_replies(language):
        notification = render(reply.kind, reply.variables, language)  # raises on unknown/missing variables
        assert "JBA-2026-000123" in notification.text
        if reply.kind == "payment_receipt":
            assert notification.document_url == reply.media_url


def test_amounts_in_templates_are_exact_rupees():
    receipt = messaging.paid_receipt("JBA-2026-000123", 2050, "https://x/r.pdf", "hi")
    assert render(receipt.kind, receipt.variables, "hi").text.startswith("✅ ₹20.50 जमा हो गए।")


def test_the_link_message_shows_each_fee_line_and_the_total_in_hindi_first():
    reply = messaging.payment_link("JBA-2026-000123", "आय प्रमाण पत्र", FEE, "https://rzp.io/i/abc", UNTIL, "hi")
    assert "*₹70*" in reply.text
    assert "• सरकारी फीस: ₹30" in reply.text and "• केंद्र की फीस: ₹20" in reply.text
    assert "• डाक की फीस (घर भेजने की): ₹20" in reply.text
    assert "शुल्क" not in reply.text, "one name for each fee: फीस"
    assert "29 नवंबर 2026, शाम 5:40 बजे तक" in reply.text
    english = messaging.payment_link("JBA-2026-000123", "Income certificate", FEE, "https://rzp.io/i/abc", UNTIL, "en")
    assert "until 29 Nov 2026, 5:40 pm" in english.text and "Postage to your home: ₹20" in english.text


def test_lines_stay_short_for_a_small_screen():
    for language in ("hi", "en"):
        for reply in proactive_replies(language) + [
            messaging.link_delayed("JBA-2026-000123", language),
            messaging.nothing_to_pay(language),
            messaging.gateway_down(language),
        ]:
            assert all(len(line) <= 120 for line in reply.text.splitlines()), reply.text
