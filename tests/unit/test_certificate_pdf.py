"""The certificate PDF, read back the way a citizen's phone and a verifier do:
text extracted by poppler (pdftotext), the page rasterised by poppler
(pdftoppm) and the QR code decoded by ZXing."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from types import SimpleNamespace

import pytest

from lokseva.certificates.document import Bilingual, LayoutError, build_document, details_from_application, load_layouts
from lokseva.certificates.pdf import CertificateTooLong, qr_modules, render_certificate
from lokseva.certificates.samples import SAMPLE_APPLICATIONS, SAMPLE_DETAILS, render_png, sample_document
from lokseva.districts import load_district


@pytest.fixture(scope="module", autouse=True)
def poppler():
    missing = [tool for tool in ("pdftotext", "pdftoppm") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"{missing} missing: run scripts/ensure-tools.sh (installs poppler-utils)")


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def squeeze(text: str) -> str:
    # poppler puts a space after a cluster whose i-matra (ि) is drawn before its
    # consonant ("पि टोल"); the letters and their order are what must be right.
    return re.sub(r"\s+", "", text)


def decode_qr(pdf: bytes, dpi: int = 100):
    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(render_png(pdf, dpi)))
    return [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize("service", sorted(SAMPLE_DETAILS))
def test_every_service_prints_its_number_names_and_a_readable_qr(service):
    doc = sample_document(service)
    pdf = render_certificate(doc)
    assert pdf.startswith(b"%PDF-") and len(pdf) < 100 * 1024

    text = pdf_text(pdf)
    assert doc.number in text
    assert doc.application_id in text
    assert squeeze(doc.title.hi) in squeeze(text)
    assert doc.title.en.upper() in text
    for row in doc.details:
        assert squeeze(row.value) in squeeze(text), row.label.en
    assert squeeze(doc.designated_officer.hi) in squeeze(text)
    assert squeeze("झाबुआ") in squeeze(text)

    assert decode_qr(pdf) == [doc.verification_url]


def test_hindi_name_with_conjuncts_extracts_exactly():
    # Words without an i-matra come back from poppler letter for letter, so the
    # conjuncts (क्ष, ज्ञ, श्व, श्र) were embedded as the right characters.
    doc = sample_document("income_certificate")
    text = pdf_text(render_certificate(doc))
    assert "श्रीमती लक्ष्मी" in text
    assert "श्री ज्ञानेश्वर" in text
    assert "भूरि या" in text  # the known poppler space after an i-matra cluster (see squeeze)
    assert "₹ 84,000" in text  # 84,00,000 paise in the application
    assert "पति श्री ज्ञानेश्वर" in text and "wife of" in text  # relation from relative_relation


def test_validity_is_printed_only_for_services_that_have_one():
    with_validity = pdf_text(render_certificate(sample_document("income_certificate", validity_days=365)))
    without = pdf_text(render_certificate(sample_document("caste_certificate")))
    assert "Valid until" in with_validity and "12/03/2027" in with_validity
    assert "Valid until" not in without


def test_same_certificate_same_bytes():
    doc = sample_document("domicile_certificate")
    assert render_certificate(doc) == render_certificate(doc)


def test_the_page_header_comes_from_the_district_file():
    district = load_district("jhabua")
    text = squeeze(pdf_text(render_certificate(sample_document("income_certificate", district=district))))
    for value in (district.collectorate["hi"], district.collectorate["en"], district.lok_seva_kendra["en"]):
        assert squeeze(value) in text


def test_missing_statement_value_stops_the_certificate():
    details = dict(SAMPLE_DETAILS["income_certificate"])
    del details["annual_income"]
    with pytest.raises(LayoutError, match="annual_income"):
        build_document(
            number="JBA-C-2026-000001",
            application_id="JBA-2026-000001",
            service="income_certificate",
            details=details,
            district=load_district("jhabua"),
            designated_officer=Bilingual("तहसीलदार", "Tehsildar"),
            issue_date=dt.date(2026, 1, 1),
            valid_until=None,
            verification_url="http://x/verify/1?s=a",
        )


def test_unknown_service_has_no_layout():
    with pytest.raises(LayoutError, match="pension"):
        load_layouts().for_service("pension")


def test_too_many_details_are_refused_not_drawn_over_the_qr_code():
    doc = sample_document("birth_certificate")
    crowded = doc.__class__(**{**doc.__dict__, "details": doc.details * 4})
    with pytest.raises(CertificateTooLong):
        render_certificate(crowded)


def test_qr_code_holds_the_url_at_medium_error_correction():
    modules = qr_modules("https://lokseva.example.gov.in/verify/JBA-C-2026-000123?s=" + "A" * 22)
    assert 25 <= len(modules) <= 45  # version 2-7: large modules on a 34 mm code


@pytest.mark.parametrize(
    "paise, printed",
    [(8_400_000, "₹ 84,000"), (123_456_700, "₹ 12,34,567"), (50_000, "₹ 500"), (8_400_050, "₹ 84,000")],
)
def test_income_is_printed_in_whole_rupees_with_indian_grouping(paise, printed):
    fields = {**SAMPLE_APPLICATIONS["income_certificate"], "details": {"annual_income": paise}}
    details = details_from_application(SimpleNamespace(service_id="income_certificate", **fields))
    doc = build_document(
        number="JBA-C-2026-000001",
        application_id="JBA-2026-000001",
        service="income_certificate",
        details=details,
        district=load_district("jhabua"),
        designated_officer=Bilingual("तहसीलदार", "Tehsildar"),
        issue_date=dt.date(2026, 1, 1),
        valid_until=None,
        verification_url="http://x/verify/1?s=a",
    )
    income = next(row.value for row in doc.details if row.label.en == "Annual family income")
    assert income == printed
    assert printed in doc.statement.hi and printed in doc.statement.en
