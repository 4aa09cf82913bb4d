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
from typing import Dict, Optional

from lokseva.certificates.document import Bilingual, CertificateDocument, build_document
from lokseva.certificates.signing import certificate_signature, verification_url
from lokseva.districts import District, load_district
from lokseva.settings import ROOT

DOCS_DIR = ROOT / "docs" / "certificates"
ISSUE_DATE = dt.date(2026, 3, 12)

# Fictional people; names chosen for hard Devanagari: conjuncts (क्ष, त्र, ज्ञ, श्र, द्ध),
# reph (र्), i-matras before their consonant, nukta and chandrabindu.
_PERSON = {
    "applicant_name": "श्रीमती लक्ष्मी भूरिया",
    "guardian_name": "श्री ज्ञानेश्वर भूरिया",
    "village": "ग्राम पिटोल, फलिया बड़ा",
    "tehsil": "झाबुआ",
    "pin": "457661",
}
SAMPLE_DETAILS: Dict[str, Dict[str, object]] = {
    "income_certificate": {**_PERSON, "annual_income": 84000},
    "domicile_certificate": {**_PERSON, "residence_since": "जन्म से / since birth"},
    "caste_certificate": {**_PERSON, "caste": "भील", "category": "अनुसूचित जनजाति (ST)"},
    "birth_certificate": {
        **_PERSON,
        "applicant_name": "श्री ज्ञानेश्वर भूरिया",
        "child_name": "कृष्णा भूरिया",
        "gender": "बालिका / female",
        "date_of_birth": dt.date(2026, 2, 27),
        "place_of_birth": "ज़िला चिकित्सालय, झाबुआ",
        "mother_name": "श्रीमती लक्ष्मी भूरिया",
        "father_name": "श्री ज्ञानेश्वर भूरिया",
    },
    "death_certificate": {
        **_PERSON,
        "applicant_name": "श्री ज्ञानेश्वर भूरिया",
        "deceased_name": "श्री रामप्रसाद भूरिया",
        "gender": "पुरुष / male",
        "date_of_death": dt.date(2026, 3, 1),
        "place_of_death": "निवास, ग्राम पिटोल",
        "guardian_name": "स्व. श्री कालूसिंह भूरिया",
    },
    "land_record_copy": {
        **_PERSON,
        "record_type": "खसरा (B-1)",
        "khasra_number": "142/3",
    },
}
# Until the service catalogue is merged these stand in for its designated officers.
SAMPLE_OFFICERS = {
    "income_certificate": Bilingual("तहसीलदार", "Tehsildar"),
    "domicile_certificate": Bilingual("तहसीलदार", "Tehsildar"),
    "caste_certificate": Bilingual("अनुविभागीय अधिकारी (राजस्व)", "Sub-Divisional Officer (Revenue)"),
    "birth_certificate": Bilingual("रजिस्ट्रार, जन्म-मृत्यु", "Registrar of Births and Deaths"),
    "death_certificate": Bilingual("रजिस्ट्रार, जन्म-मृत्यु", "Registrar of Births and Deaths"),
    "land_record_copy": Bilingual("तहसीलदार", "Tehsildar"),
}
VALIDITY_DAYS = {"income_certificate": 365}


def sample_document(
    service: str,
    serial: int = 123,
    public_url: str = "https://lokseva.example.gov.in",
    signing_key: str = "sample-signing-key",
    district: Optional[District] = None,
) -> CertificateDocument:
    district = district or load_district("jhabua")
    number = f"{district.code}-C-{ISSUE_DATE.year}-{serial:06d}"
    details = SAMPLE_DETAILS[service]
    signature = certificate_signature(
        number, service, str(details["applicant_name"]), ISSUE_DATE, signing_key=signing_key
    )
    days = VALIDITY_DAYS.get(service)
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

    from lokseva.certificates.pdf import render_certificate

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
