"""The receipt PDF: Hindi text shaped with the packaged font, small, with the facts."""

import datetime as dt
import shutil
import subprocess

import pytest

from lokseva.payments.receipt_pdf import ReceiptData, render_receipt

DATA = ReceiptData(
    receipt_number="JBA-2026-000123-P01",
    application_id="JBA-2026-000123",
    service_name_hi="आय प्रमाण पत्र",
    service_name_en="Income certificate",
    applicant_name="सीता भूरिया",
    lines=[("लोक सेवा केंद्र शुल्क", "Lok Seva Kendra fee", 2000), ("घर पर डाक से भेजने का शुल्क", "Home delivery by post", 2000)],
    total_paise=4000,
    method="upi",
    gateway_payment_id="pay_TEST12345678",
    paid_at=dt.datetime(2026, 11, 28, 12, 10, tzinfo=dt.timezone.utc),
    office_hi="लोक सेवा केंद्र, झाबुआ",
    office_en="Lok Seva Kendra, Jhabua",
)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_receipt(DATA)


def test_is_a_small_pdf_with_the_font_embedded(pdf):
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) < 60_000, "a receipt must stay small for WhatsApp on cheap phones"
    assert b"NotoSansDevanagari" in pdf


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils' pdftotext")
def test_says_what_was_paid_for(pdf, tmp_path):
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        "भुगतान रसीद",
        "JBA-2026-000123-P01",
        "JBA-2026-000123",
        "pay_TEST12345678",
        "₹40",
        "₹20",
        "Total paid",
        "28-11-2026 17:40 IST",
        "UPI",
        "आवेदन नंबर",
    ):
        assert expected in text, expected
