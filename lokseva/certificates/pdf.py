"""Draws a certificate (document.CertificateDocument) as a one-page A4 PDF.

fpdf2 with HarfBuzz text shaping (conjuncts, matras) and Noto Sans Devanagari,
which also carries the Latin letters of the English labels. The QR code is
drawn as vector rectangles: sharp at any zoom or print size and a few hundred
bytes, where a bitmap would cost kilobytes. fpdf2 embeds only the glyphs used
(font subsetting), which keeps a certificate around 30-40 KB.

Same inputs, same bytes: the PDF's dates come from the certificate, so a stored
file's sha256 can be checked by rendering again.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import List, Optional

from fpdf import FPDF
from fpdf.enums import TextDirection, TextMode, XPos, YPos

from lokseva.certificates.document import Bilingual, CertificateDocument, format_date
from lokseva.certificates.qr import qr_modules
from lokseva.fonts import FAMILY, use_devanagari

INK = (20, 20, 20)
BLUE = (23, 55, 110)
GREY = (95, 95, 95)
RULE = (150, 160, 185)
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 20.0
CONTENT_W = PAGE_W - 2 * MARGIN
QR_SIZE = 34.0  # mm: readable from a printout by a cheap phone camera
BLOCK_TOP = 210.0  # mm: where the QR code and the designated officer's block start


# Hebrew, Arabic and their relatives: text that really needs bidirectional analysis.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


class CertificateTooLong(ValueError):
    """The details do not fit on one page (a layout needs fewer or shorter rows)."""


class _CertificatePDF(FPDF):
    # Bold drawn by stroking the regular font's outlines (text rendering mode 2)
    # instead of embedding the bold font: each embedded font costs ~20 ms of
    # loading and subsetting per certificate, a fifth of the time budget.
    synthetic_bold = True

    def __init__(self):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        use_devanagari(self, bold=not self.synthetic_bold)
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)

    def cell(self, w=None, h=None, text="", *args, **kwargs):
        # Latin-only text needs no HarfBuzz (nor fpdf2's bidirectional analysis,
        # which runs with it); about a third of the cells of a certificate are.
        if not text.isascii():
            return super().cell(w, h, text, *args, **kwargs)
        shaping, self.text_shaping = self.text_shaping, None
        try:
            return super().cell(w, h, text, *args, **kwargs)
        finally:
            self.text_shaping = shaping

    def _preload_bidirectional_text(self, text, markdown):
        # Hindi and English both run left to right: fpdf2's Unicode bidirectional
        # analysis (run for every shaped cell, ~15% of a certificate's time) can
        # only ever answer "left to right" here. fpdf2 2.8.9 internals (pinned);
        # the PDF tests would catch a change.
        if not self.text_shaping or _RTL.search(text or ""):
            return super()._preload_bidirectional_text(text, markdown)
        self.text_shaping["paragraph_direction"] = TextDirection.LTR
        self.text_shaping["fragment_direction"] = TextDirection.LTR
        return self._preload_font_styles(text, markdown)

    def word_width(self, word: str) -> float:
        """The width of one left-to-right word, shaped when it is not plain Latin,
        skipping get_string_width's bidirectional analysis (a word has one direction)."""
        shaping = self.text_shaping if not word.isascii() else None
        font = self.current_font
        if font is None:
            raise RuntimeError("word_width needs a font: call set_font first")
        _, width_pt = font.get_text_width(word, self.font_size_pt, shaping)
        return width_pt / self.k

    def style(self, size: float, bold: bool = False, color=INK) -> None:
        self.set_text_color(*color)
        if bold and self.synthetic_bold:
            self.set_font(FAMILY, "", size)
            self.set_draw_color(*color)
            # fpdf2 2.8.9 writes the line width after "Tr" unscaled, so for text
            # strokes it is read in points (not mm): 0.028 pt per pt of size.
            self.set_line_width(size * 0.028)
            self.text_mode = TextMode.FILL_STROKE
        else:
            self.set_font(FAMILY, "B" if bold else "", size)
            self.text_mode = TextMode.FILL

    def text_line(self, text: str, size: float, bold: bool = False, color=INK, align: str = "C", h: float = 0) -> None:
        self.style(size, bold, color)
        self.cell(CONTENT_W, h or size * 0.48, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bilingual_pair(self, x: float, w: float, label: Bilingual, value: str) -> None:
        """A small two-language label above a bold value."""
        self.set_xy(x, self.get_y())
        self.style(8.5, color=GREY)
        self.cell(w, 4.6, f"{label.hi} / {label.en}", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.style(11, bold=True)
        self.cell(w, 6, value, new_x=XPos.LEFT, new_y=YPos.NEXT)

    def fit(self, text: str, size: float, width: float, minimum: float = 6.5) -> float:
        """The largest size up to `size` at which `text` fits in `width` on one line."""
        measured = sum(self.word_width(w) for w in text.split()) + self.word_width(" ") * (len(text.split()) - 1)
        return max(minimum, min(size, size * width / measured)) if measured else size

    def paragraph(self, x: float, w: float, line_h: float, text: str, align: str = "L") -> None:
        """Left-aligned lines of `text` within width `w`. fpdf2's multi_cell shapes
        every growing prefix of a line while breaking it (quadratic in the line's
        length); measuring each word once is several times faster."""
        space = self.word_width(" ")
        lines: List[str] = []
        current: List[str] = []
        used = 0.0
        for word in text.split():
            width = self.word_width(word)
            if current and used + space + width > w:
                lines.append(" ".join(current))
                current, used = [], 0.0
            used += (space if current else 0.0) + width
            current.append(word)
        if current:
            lines.append(" ".join(current))
        for line in lines:
            self.set_x(x)
            self.cell(w, line_h, line, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)

    def rule(self, y: float, color=RULE, width: float = 0.3) -> None:
        self.text_mode = TextMode.FILL
        self.set_draw_color(*color)
        self.set_line_width(width)
        self.line(MARGIN, y, PAGE_W - MARGIN, y)

    def qr(self, text: str, x: float, y: float, size: float) -> None:
        modules = qr_modules(text)
        n = len(modules)
        unit = size / n
        self.set_fill_color(0, 0, 0)
        for r, row in enumerate(modules):
            c = 0
            while c < n:
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < n and row[c]:
                    c += 1
                # A hair taller than a module so rows join without white seams when rasterised.
                self.rect(x + start * unit, y + r * unit, (c - start) * unit, unit * 1.02, style="F")


def render_certificate(doc: CertificateDocument, issued_at: Optional[dt.datetime] = None) -> bytes:
    """The certificate as PDF bytes."""
    pdf = _CertificatePDF()
    moment = issued_at or dt.datetime.combine(doc.issue_date, dt.time(), tzinfo=dt.timezone.utc)
    pdf.set_creation_date(moment)
    pdf.set_title(f"{doc.title.hi} / {doc.title.en} {doc.number}")
    pdf.set_subject(doc.title.en)
    pdf.set_author(doc.issuing_office.en)
    pdf.set_lang("hi-IN")
    pdf.add_page()

    # Frame: a double rule, drawn not imaged.
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.9)
    pdf.rect(9, 9, PAGE_W - 18, PAGE_H - 18)
    pdf.set_line_width(0.25)
    pdf.rect(11.5, 11.5, PAGE_W - 23, PAGE_H - 23)

    # Header: government, district office, issuing office (from the district's data file).
    pdf.set_y(17)
    pdf.text_line(doc.government.hi, 14, True, BLUE, h=7.5)
    pdf.text_line(doc.government.en, 10, True, BLUE, h=5)
    pdf.text_line(f"{doc.district_office.hi}  |  {doc.district_office.en}", 10.5, h=6)
    pdf.text_line(f"{doc.issuing_office_label.hi}: {doc.issuing_office.hi}", 9, color=GREY, h=5)
    pdf.text_line(f"{doc.issuing_office_label.en}: {doc.issuing_office.en}", 8.5, color=GREY, h=4.6)
    pdf.rule(pdf.get_y() + 2.5, BLUE, 0.5)

    # Title.
    pdf.set_y(pdf.get_y() + 6)
    pdf.text_line(doc.title.hi, 22, True, BLUE, h=11)
    pdf.text_line(doc.title.en.upper(), 11.5, True, BLUE, h=6)

    # Number, application, dates: two columns.
    top = pdf.get_y() + 5
    half = CONTENT_W / 2
    pdf.set_y(top)
    pdf.bilingual_pair(MARGIN, half, doc.labels["certificate_number"], doc.number)
    pdf.bilingual_pair(MARGIN, half, doc.labels["application_id"], doc.application_id)
    left_bottom = pdf.get_y()
    pdf.set_y(top)
    pdf.bilingual_pair(MARGIN + half, half, doc.labels["issue_date"], format_date(doc.issue_date))
    if doc.valid_until:
        pdf.bilingual_pair(MARGIN + half, half, doc.labels["valid_until"], format_date(doc.valid_until))
    pdf.set_y(max(left_bottom, pdf.get_y()) + 3)
    pdf.rule(pdf.get_y())

    # The certifying statement: Hindi, then English.
    pdf.set_y(pdf.get_y() + 4)
    pdf.style(12, color=INK)
    pdf.paragraph(MARGIN, CONTENT_W, 7.2, doc.statement.hi)
    pdf.set_y(pdf.get_y() + 1.5)
    pdf.style(9.5, color=GREY)
    pdf.paragraph(MARGIN, CONTENT_W, 5, doc.statement.en)

    # Details table: two-line labels (Hindi over English) when the rows fit above
    # the QR block, one-line labels otherwise (birth and death have many rows).
    pdf.set_y(pdf.get_y() + 4)
    label_w, value_w = 68.0, CONTENT_W - 68.0
    room = BLOCK_TOP - 6 - pdf.get_y()
    compact = len(doc.details) * 11.0 > room
    # Compact rows close up (to one line of value and thin margins) when a long
    # statement leaves too little room above the QR block for rows of 8 mm.
    tight = compact and bool(doc.details) and room < len(doc.details) * 8.0
    row_h, pad, line_h = (7.0, 0.8, 5.4) if tight else (8.0, 1.2, 5.6)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN, pdf.get_y(), PAGE_W - MARGIN, pdf.get_y())
    for row in doc.details:
        y = pdf.get_y()
        pdf.set_xy(MARGIN + 1, y + pad)
        if compact:
            label = f"{row.label.hi} / {row.label.en}"
            pdf.style(9)
            pdf.style(pdf.fit(label, 9, label_w - 4))
            pdf.cell(label_w, 5.6, label)
        else:
            pdf.style(10)
            pdf.cell(label_w, 5, row.label.hi, new_x=XPos.LEFT, new_y=YPos.NEXT)
            pdf.style(7.5, color=GREY)
            pdf.cell(label_w, 3.8, row.label.en)
        pdf.set_xy(MARGIN + label_w, y + pad)
        pdf.style(11, bold=True, color=INK)
        pdf.paragraph(MARGIN + label_w, value_w - 1, line_h, row.value)
        bottom = max(pdf.get_y() + pad, y + (row_h if compact else 11.0))
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.line(MARGIN, bottom, PAGE_W - MARGIN, bottom)
        pdf.set_y(bottom)
    if pdf.get_y() > BLOCK_TOP - 2:
        raise CertificateTooLong(
            f"{doc.service}: the details reach {pdf.get_y():.0f} mm, past the QR block at {BLOCK_TOP:.0f} mm"
        )

    # Bottom block: QR code (left), designated officer (right).
    block = BLOCK_TOP
    pdf.qr(doc.verification_url, MARGIN + 2, block, QR_SIZE)
    pdf.set_xy(MARGIN, block + QR_SIZE + 1.5)
    pdf.style(7.5, color=GREY)
    pdf.cell(QR_SIZE + 4, 3.8, doc.scan_to_verify.hi, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.cell(QR_SIZE + 4, 3.6, doc.scan_to_verify.en, align="C")

    officer_x = MARGIN + 55
    officer_w = CONTENT_W - 55
    pdf.set_xy(officer_x, block + 4)
    pdf.style(9, color=GREY)
    pdf.cell(
        officer_w,
        5,
        f"{doc.designated_officer_label.hi} / {doc.designated_officer_label.en}",
        align="C",
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    pdf.style(12, bold=True, color=INK)
    pdf.paragraph(officer_x, officer_w, 6.2, doc.designated_officer.hi, align="C")
    pdf.style(10)
    pdf.paragraph(officer_x, officer_w, 5.2, doc.designated_officer.en, align="C")
    pdf.style(9.5, color=GREY)
    pdf.set_x(officer_x)
    pdf.cell(
        officer_w, 5.5, f"{doc.district_name.hi} / {doc.district_name.en}", align="C", new_x=XPos.LEFT, new_y=YPos.NEXT
    )

    # Footer: under which law, and how to check it.
    pdf.rule(PAGE_H - 40)
    pdf.set_y(PAGE_H - 38.5)
    pdf.style(8.5, color=INK)
    pdf.paragraph(MARGIN, CONTENT_W, 4.4, doc.electronic.hi, align="C")
    pdf.style(7.5, color=GREY)
    pdf.paragraph(MARGIN, CONTENT_W, 4, doc.electronic.en, align="C")
    pdf.style(8, color=GREY)
    pdf.paragraph(MARGIN, CONTENT_W, 4.2, doc.act.hi, align="C")
    pdf.paragraph(MARGIN, CONTENT_W, 4.2, doc.act.en, align="C")
    pdf.style(6.5, color=GREY)
    pdf.cell(CONTENT_W, 3.5, doc.verification_url, align="C")
    return bytes(pdf.output())
