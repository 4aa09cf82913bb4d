"""A citizen pays the exact fee from the chat and gets a receipt: the chat,
the sandbox gateway's page, its signed webhook to the web app, the receipt PDF."""

import re
from urllib.parse import urlparse

import pytest
import requests

from lokseva.payments import flows, notices

pytestmark = pytest.mark.integration


def link_in(text: str) -> str:
    return re.search(r"https?://\S+/i/[\w-]+", text).group(0)


def test_the_link_is_for_the_exact_fee_and_the_citizen_pays_and_gets_a_receipt(stack):
    app = stack.new_application(statutory=3000, processing=2000)
    replies = flows.pay_from_chat(app["channel_user_id"], None, "hi", "fees bharni hai")
    assert len(replies) == 1
    text = replies[0].text
    assert app["reference"] in text and "*₹50*" in text and "सरकारी फीस: ₹30" in text and "केंद्र की फीस: ₹20" in text
    url = link_in(text)

    [payment] = stack.payments(app["reference"])
    assert payment["status"] == "open" and payment["amount_paise"] == 5000 and payment["currency"] == "INR"
    assert payment["reference"] == f"{app['reference']}-P01"
    link = stack.gateway.fetch_link(payment["gateway_link_id"])
    assert link.amount_paise == 5000 and link.reference_id == payment["reference"] and link.short_url == url

    # The citizen opens the page (Hindi), picks UPI and pays; the browser lands on our page.
    page = requests.get(url, timeout=10)
    assert "₹50" in page.text and "भुगतान करें" in page.text
    done = requests.post(f"{url}/pay", data={"method": "upi", "outcome": "success", "lang": "hi"}, timeout=30)
    assert urlparse(done.url).path == "/payments/done" and "भुगतान हो गया" in done.text

    stack.wait_for(lambda: stack.application_status(app["reference"]) == "paid", what="the application paid")
    [payment] = stack.payments(app["reference"])
    assert (
        payment["status"] == "paid" and payment["gateway_payment_id"].startswith("pay_") and payment["method"] == "upi"
    )
    assert stack.history(app["reference"])[-2:] == ["fee_pending", "paid"]
    receipt = stack.wait_for(
        lambda: [n for n in stack.notices(payment["id"]) if n["kind"] == "receipt" and n["sent_at"]],
        what="the receipt notice sent",
    )
    assert len(receipt) == 1

    # The receipt: a signed, expiring URL to a PDF; a changed signature is refused.
    receipt_url = notices.receipt_url(payment["reference"]).replace(stack.settings.public_url, stack.web_url)
    pdf = requests.get(receipt_url, timeout=30)
    assert (
        pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    )
    assert requests.get(receipt_url[:-4] + "0000", timeout=10).status_code == 403
    other = notices.receipt_url(payment["reference"]).replace(payment["reference"], f"{app['reference']}-P02")
    assert requests.get(other.replace(stack.settings.public_url, stack.web_url), timeout=10).status_code == 403


def test_payment_questions_are_answered_with_the_link(stack):
    app = stack.new_application()
    replies = flows.pay_from_chat(app["channel_user_id"], None, "hi", "UPI se kar sakte hain?")
    assert replies[0].text.startswith("हाँ ✅ UPI") and "PhonePe" in replies[0].text
    assert link_in(replies[1].text)
    cash = flows.pay_from_chat(app["channel_user_id"], None, "en", "cash de sakte hai?")
    assert "Cash cannot be paid on WhatsApp" in cash[0].text and "Lok Seva Kendra" in cash[0].text
    # Asking again sends the same open link, not a second one.
    assert link_in(cash[1].text) == link_in(replies[1].text)
    assert len(stack.payments(app["reference"])) == 1


def test_which_application_and_whose(stack):
    citizen = f"test-two-{id(stack)}"
    first = stack.new_application(channel_user_id=citizen)
    second = stack.new_application(channel_user_id=citizen, processing=2000, service_id="domicile_certificate")
    [choice] = flows.pay_from_chat(citizen, None, "hi", "payment karna hai")
    payloads = [payload for _, payload in choice.buttons]
    assert f'/pay_fee{{"application_id":"{first["reference"]}"}}' in payloads and len(payloads) == 2
    # Another citizen's application id reveals nothing and gets no link.
    stranger = stack.new_application()
    [reply] = flows.pay_from_chat(stranger["channel_user_id"], second["reference"], "hi", "")
    assert "नहीं मिला" in reply.text and stack.payments(second["reference"]) == []
    # Nothing waiting: said so, with a way to apply.
    [nothing] = flows.pay_from_chat("test-nobody", None, "en", "pay now")
    assert "None of your applications" in nothing.text


def test_the_page_after_paying_with_a_forged_signature_changes_nothing(stack):
    app = stack.new_application()
    flows.pay_from_chat(app["channel_user_id"], None, "hi", "")
    [payment] = stack.payments(app["reference"])
    page = requests.get(
        f"{stack.web_url}/payments/done",
        params={
            "razorpay_payment_id": "pay_FORGED0000001",
            "razorpay_payment_link_id": payment["gateway_link_id"],
            "razorpay_payment_link_reference_id": payment["reference"],
            "razorpay_payment_link_status": "paid",
            "razorpay_signature": "0" * 64,
        },
        timeout=30,
    )
    assert page.status_code == 200 and "दोबारा भुगतान न करें" in page.text
    assert stack.payments(app["reference"])[0]["status"] == "open"
    assert stack.application_status(app["reference"]) == "fee_pending"
