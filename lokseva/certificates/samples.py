"""Sample certificates with made-up applicants, one per service.

Used by the reference renderings in docs/certificates/, the benchmark and the
tests. `python -m lokseva.certificates.samples` redraws docs/certificates/*.png.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Dict, Optional, cast

from lokseva.catalogue import load_catalogue
from lokseva.certificates.document import Bilingual, CertificateDocument, build_document, details_from_application
from lokseva.certificates.pdf import render_certificate
from lokseva.certificates.signing import certificate_signature, verification_url
from lokseva.districts import District, load_district
from lokseva.settings import ROOT

DOCS_DIR = ROOT / "docs" / "certificates"
ISSUE_DATE = dt.date(2026, 3, 12)

# Fictional people, as the applications capability stores them (money in paise,
# dates as ISO strings in `details`); names chosen for hard Devanagari:
# conjuncts (क्ष, ज्ञ, श्व, श्र), reph (र्), i-matras before their consonant, nukta.
_PERSON = {
    "applicant_name": "श्रीमती लक्ष्मी भूरिया",
    "relative_name": "श्री ज्ञानेश्वर भूरिया",
    "relative_relation": "husband",
    "gender": "female",
    "date_of_birth": dt.date(1994, 7, 21),
    "address_village": "ग्राम पिटोल, फलिया बड़ा",
    "address_tehsil": "झाबुआ",
    "address_pin": "457661",
}
_PARENT = {
    **_PERSON,
    "applicant_name": "श्री ज्ञानेश्वर भूरिया",
    "relative_name": "श्री कालूसिंह भूरिया",
    "relative_relation": "father",
    "gender": "male",
    "date_of_birth": dt.date(1990, 1, 5),
}
SAMPLE_APPLICATIONS: Dict[str, Dict[str, object]] = {
    "income_certificate": {**_PERSON, "details": {"annual_income": 8_400_000}},
    "domicile_certificate": {**_PERSON, "details": {}},
    "caste_certificate": {**_PERSON, "details": {"caste_category": "ST"}},
    "birth_certificate": {
        **_PARENT,
        "details": {"subject_name": "कृष्णा भूरिया", "event_date": "2026-02-27", "event_place": "ज़िला चिकित्सालय, झाबुआ"},
    },
    "death_certificate": {
        **_PARENT,
        "details": {"subject_name": "श्री कालूसिंह भूरिया", "event_date": "2026-03-01", "event_place": "निवास, ग्राम पिटोल"},
    },
    "land_record_copy": {**_PARENT, "details": {"land_village": "पिटोल", "khasra_number": "142/3"}},
}
SAMPLE_DETAILS = {
    service: details_from_application(SimpleNamespace(service_id=service, **fields))
    for service, fields in SAMPLE_APPLICATIONS.items()
}
# The catalogue's designated officers (lokseva/catalogue/services.yml).
SAMPLE_OFFICERS = {service.id: Bilingual.of(service.designated_officer) for service in load_catalogue()}
# Validity in days where the catalogue gives one (`validity_days`; none does yet).
VALIDITY_DAYS = {service.id: getattr(service, "validity_days", None) for service in load_catalogue()}


def sample_document(
    service: str,
    serial: int = 123,
    public_url: str = "https://lokseva.example.gov.in",
    signing_key: str = "sample-signing-key",
    district: Optional[District] = None,
    validity_days: Optional[int] = None,
) -> CertificateDocument:
    district = district or load_district("jhabua")
    number = f"{district.code}-C-{ISSUE_DATE.year}-{serial:06d}"
    details = SAMPLE_DETAILS[service]
    subject = cast(Dict[str, Any], SAMPLE_APPLICATIONS[service]["details"]).get("subject_name")
    signature = certificate_signature(
        number, service, str(details["applicant_name"]), ISSUE_DATE, signing_key=signing_key, subject_name=subject
    )
    days = VALIDITY_DAYS.get(service) if validity_days is None else validity_days
    return build_document(
        number=number,
        application_id=f"{district.code}-{ISSUE_DATE.year}-{serial:06d}",
        service=service,
        details=details,
        district=district,
        designated_officer=SAMPLE_OFFICERS[service],
        issue_date=ISSUE_DATE,
        valid_until=ISSUE_DATE + dt.timedelta(days=days) if days else None,
        verification_url=verification_url(public_url, number, signature),
    )


def render_png(pdf_bytes: bytes, dpi: int = 150) -> bytes:
    """The first page as PNG, drawn by poppler's pdftoppm."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.pdf"
        source.write_bytes(pdf_bytes)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(source), str(Path(tmp) / "page")],
            check=True,
            timeout=60,
        )
        return (Path(tmp) / "page.png").read_bytes()


def write_reference_renderings(target: Path = DOCS_DIR, dpi: int = 72) -> None:
    """docs/certificates/<service>.png: small palette PNGs to look at in review."""
    from PIL import Image

    target.mkdir(parents=True, exist_ok=True)
    for service in SAMPLE_DETAILS:
        image = Image.open(io.BytesIO(render_png(render_certificate(sample_document(service)), dpi)))
        small = image.convert("RGB").quantize(colors=32, method=Image.Quantize.MEDIANCUT)
        small.save(target / f"{service}.png", optimize=True)
        print(f"{target / f'{service}.png'}  {(target / f'{service}.png').stat().st_size // 1024} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=72)
    args = parser.parse_args()
    write_reference_renderings(dpi=args.dpi)


if __name__ == "__main__":
    main()
