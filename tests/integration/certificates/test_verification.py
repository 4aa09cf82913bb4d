"""A certificate's QR code, read from the printed page by a real decoder,
opens the real web app's verification page: valid, invalid (altered link),
unknown, revoked."""

from __future__ import annotations

import io
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from lokseva.certificates import service
from lokseva.certificates.samples import render_png

pytestmark = pytest.mark.integration


def qr_url(pdf: bytes) -> str:
    import zxingcpp
    from PIL import Image

    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(render_png(pdf, 100))))
    return code.text


def test_the_qr_code_opens_a_valid_verification_page(stack):
    application, certificate = stack.issued("caste_certificate")
    url = qr_url(certificate.path.read_bytes())
    assert url == certificate.verification_url and url.startswith(stack.web_url + "/verify/")

    page = requests.get(url, timeout=10)
    assert page.status_code == 200
    assert 'data-status="valid"' in page.text and "यह प्रमाण पत्र असली है" in page.text
    assert "श्रीमती लक्ष्मी भूरिया" in page.text and certificate.number in page.text and "जाति प्रमाण पत्र" in page.text
    assert page.headers["Cache-Control"] == "private, no-store"

    as_json = requests.get(url, headers={"Accept": "application/json"}, timeout=10).json()
    assert as_json == {
        "status": "valid",
        "number": certificate.number,
        "service": "Caste Certificate",
        "applicant_name": "श्रीमती लक्ष्मी भूरिया",
        "subject_name": None,
        "issue_date": as_json["issue_date"],
        "valid_until": None,
        "revoked_at": None,
        "revocation_reason": None,
        "superseded": False,
    }


def _with_query(url: str, query: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=query))


def test_an_altered_link_is_invalid_and_shows_nothing_about_anyone(stack):
    _, certificate = stack.issued()
    _, other = stack.issued("domicile_certificate")
    signature = certificate.signature
    altered = [
        _with_query(certificate.verification_url, "s=" + signature[:-1] + ("B" if signature[-1] == "A" else "A")),
        _with_query(certificate.verification_url, ""),
        certificate.verification_url.replace(certificate.number, other.number),  # another real number
    ]
    for url in altered:
        page = requests.get(url, timeout=10)
        assert page.status_code == 400, url
        assert 'data-status="invalid"' in page.text and "लिंक सही नहीं" in page.text
        assert "लक्ष्मी" not in page.text


def test_a_birth_certificate_shows_and_signs_the_childs_name(stack):
    _, certificate = stack.issued("birth_certificate")
    page = requests.get(certificate.verification_url, timeout=10)
    assert page.status_code == 200 and "बच्चे का नाम" in page.text and "कृष्णा भूरिया" in page.text


def test_an_unknown_number_is_answered_like_a_bad_signature(stack):
    """Otherwise whoever tries numbers learns which certificates exist (and how many)."""
    _, certificate = stack.issued()
    unknown = f"{stack.web_url}/verify/JBA-C-2026-999999?s=AAAAAAAAAAAAAAAAAAAAAA"
    forged = _with_query(certificate.verification_url, "s=AAAAAAAAAAAAAAAAAAAAAA")
    pages = [requests.get(url, timeout=10) for url in (unknown, forged)]
    assert [p.status_code for p in pages] == [400, 400]
    assert pages[0].text.replace("JBA-C-2026-999999", certificate.number) == pages[1].text
    as_json = [
        requests.get(url, headers={"Accept": "application/json"}, timeout=10).json() for url in (unknown, forged)
    ]
    assert [j["status"] for j in as_json] == ["invalid", "invalid"]


def test_a_revoked_certificate_says_so_at_once(stack):
    _, certificate = stack.issued()
    service.revoke(certificate.number, "staff:3", "गलत आय लिखी गई / wrong income entered")
    page = requests.get(certificate.verification_url, timeout=10)
    assert page.status_code == 200
    assert 'data-status="revoked"' in page.text and "रद्द कर दिया गया" in page.text
    assert "गलत आय लिखी गई" in page.text
    assert 'data-test="superseded"' not in page.text, "revoked, not (yet) replaced"
