"""The whole payment flow on one machine, as a citizen lives it on WhatsApp:
apply, get the receipt and the payment link, pay on the (sandbox) gateway's page,
get the confirmation with the receipt PDF. Real Rasa server, action server,
web app, fake Twilio, sandbox gateway and reconciliation job (the `assistant`
fixture, as `make run` starts them)."""

import re

import pytest
import requests
import sqlalchemy as sa

from lokseva.privacy import verhoeff_valid
from tests.integration.whatsapp_support import Phone, link_in, wait_until

pytestmark = pytest.mark.integration


def aadhaar() -> str:
    stem = "23456789012"
    return next(stem + d for d in "0123456789" if verhoeff_valid(stem + d))


def application_status(assistant, reference: str) -> str:
    engine = sa.create_engine(assistant.settings.database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                sa.text("SELECT status FROM applications WHERE reference = :r"), {"r": reference}
            ).scalar()
    finally:
        engine.dispose()


def test_apply_pay_on_the_gateway_page_and_get_the_receipt_on_whatsapp(assistant):
    phone = Phone(assistant)
    phone.chat("नमस्ते")
    answers = [
        "aay praman patra banwana hai",
        "jhabua",
        "sita bhuriya",
        "papa ka naam kalu bhuriya",
        "mahila",
        "12/03/1990",
        "gaon pitol",
        "2",
        "457661",
        aadhaar(),
        "2 lakh",
    ]
    for text in answers:
        phone.chat(text)
    before = len(phone.received())
    phone.send("haan")
    # The receipt (पावती), then the payment link for the exact fee.
    messages = wait_until(phone, lambda ms: any("/i/" in (m["body"] or "") for m in ms[before:]))[before:]
    reference = re.search(r"JBA-\d{4}-\d{6}", " ".join(m["body"] or "" for m in messages)).group(0)
    link_message = next(m for m in messages if "/i/" in (m["body"] or ""))
    assert reference in link_message["body"] and "₹20" in link_message["body"]
    assert application_status(assistant, reference) == "fee_pending"

    # The citizen opens the link and pays by UPI on the gateway's page.
    url = link_in(link_message["body"])
    page = requests.get(url, timeout=30)
    assert "₹20" in page.text and "UPI" in page.text
    done = requests.post(f"{url}/pay", data={"method": "upi", "outcome": "success", "lang": "hi"}, timeout=60)
    assert done.status_code == 200

    # WhatsApp: the confirmation, with the receipt PDF.
    received = wait_until(
        phone,
        lambda ms: (
            any((m["body"] or "").startswith("✅ ₹20 जमा हो गए") for m in ms)
            and any(m.get("media_urls") for m in ms[before:])
        ),
    )
    [pdf_url] = next(m["media_urls"] for m in received[before:] if m.get("media_urls"))
    assert "/payments/receipts/" in pdf_url
    pdf = requests.get(pdf_url, timeout=60)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert application_status(assistant, reference) == "paid"

    # Asking to pay again: already paid, no new link.
    again = phone.chat(f"{reference} ki fees bharni hai")
    assert "पहले ही जमा हो चुकी है" in again["body"]
    for message in phone.received():  # the conversation, for `pytest -s`
        print("bot:", message["body"], message.get("media_urls") or "")
