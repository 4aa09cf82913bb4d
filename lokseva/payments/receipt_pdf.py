"""The payment receipt (भुगतान रसीद) as a small PDF, Hindi first with English.

fpdf2 draws the text; uharfbuzz shapes Devanagari (conjuncts and matras in the
right place); the font is Noto Sans Devanagari, regular and bold, set up by
lokseva.fonts as for the certificates. Only the glyphs used are embedded, so a
receipt is a few tens of kilobytes, well under WhatsApp's media limits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence, Tuple

from fpdf import FPDF

from lokseva.clock import IST
from lokseva.fonts import FAMILY, use_devanagari
from lokseva.money import format_rupees


@dataclass(frozen=True)
class ReceiptData:
    receipt_number: str  # our payment reference, e.g. JBA-2026-000123-P01
    application_id: str
    service_name_hi: str
    service_name_en: str
    applicant_name: str
    lines: Sequence[Tuple[str, str, int]]  # (Hindi label, English label, paise)
    total_paise: int
    method: str  # upi | card | …
    gateway_payment_id: str
    paid_at: dt.datetime  # aware
    office_hi: str
    office_en: str


METHODS = {"upi": "UPI", "card": "कार्ड / Card", "netbanking": "नेट बैंकिंग / Net banking", "wallet": "वॉलेट / Wallet"}


def render_receipt(data: ReceiptData) -> bytes:
    pdf = FPDF(format=(148, 210))  # A5: small enough for a phone screen
    pdf.set_title(f"Payment receipt {data.receipt_number}")
    pdf.set_author(data.office_en)
    pdf.set_creator("Lok Seva WhatsApp assistant")
    use_devanagari(pdf)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    width = pdf.epw

    pdf.set_font(FAMILY, "B", 15)
    pdf.cell(width, 8, "भुगतान रसीद", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(width, 5, "Payment receipt", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 5, f"{data.office_hi} / {data.office_en}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    paid_at = data.paid_at.astimezone(IST)
    rows = [
        ("रसीद नंबर", "Receipt no.", data.receipt_number),
        ("आवेदन नंबर", "Application no.", data.application_id),
        ("सेवा", "Service", f"{data.service_name_hi} ({data.service_name_en})"),
        ("आवेदक", "Applicant", data.applicant_name),
        ("दिनांक व समय", "Date and time", paid_at.strftime("%d-%m-%Y %H:%M IST")),
        ("भुगतान का तरीका", "Paid by", METHODS.get(data.method, data.method)),
        ("भुगतान आईडी", "Payment id", data.gateway_payment_id),
    ]
    label_w = width * 0.42
    for hi, en, value in rows:
        _row(pdf, label_w, width - label_w, hi, en, value)

    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 11)
    pdf.cell(width, 7, "शुल्क का विवरण / Fees", new_x="LMARGIN", new_y="NEXT")
    for hi, en, paise in data.lines:
        _row(pdf, width * 0.7, width * 0.3, hi, en, format_rupees(paise), align="R")
    pdf.set_draw_color(120, 120, 120)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.l_margin + width, pdf.get_y() + 1)
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(width * 0.7, 8, "कुल जमा / Total paid")
    pdf.cell(width * 0.3, 8, format_rupees(data.total_paise), align="R", new_x="LMARGIN", new_y="NEXT")

    pdf.ln(4)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.multi_cell(
        width,
        4.5,
        "यह कंप्यूटर से बनी रसीद है, इस पर हस्ताक्षर की ज़रूरत नहीं। आवेदन की स्थिति WhatsApp पर "
        "पूछ सकते हैं।\nThis receipt is computer generated and needs no signature. "
        "Ask for your application's status on WhatsApp.",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def _row(pdf: FPDF, label_w: float, value_w: float, hi: str, en: str, value: str, align: str = "L") -> None:
    y = pdf.get_y()
    pdf.set_font(FAMILY, "", 10)
    pdf.cell(label_w, 5, hi, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 7.5)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(label_w, 4, en, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + label_w, y)
    pdf.set_font(FAMILY, "B", 10)
    pdf.multi_cell(value_w, 5, value, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(bottom, pdf.get_y()) + 1)
