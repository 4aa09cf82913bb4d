"""No Aadhaar number in clear anywhere after a whole journey (UIDAI's rules,
docs/facts/scheme-facts.md section D).

A citizen applies on WhatsApp and types the Aadhaar number with spaces (and
later once more, with autocorrect's en dashes), pays on the sandbox gateway's page, an officer
approves in the portal, the certificate arrives, the citizen orders it by post
and pays the postage, then asks for the status. Then every row of every table
of both databases (application data and Rasa's conversations), every log line
of every process and every file the run wrote is searched for that number in
any spelling: any digit script, any separators between any digits, JSON and
URL escapes undone.

Its own stack (not the shared `assistant`): the scan must see only this run's
files and rows, and no other test's leftovers.
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
import urllib.parse
import zlib
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
import requests
import sqlalchemy as sa

from lokseva.privacy import verhoeff_valid
from lokseva.settings import VAR_DIR
from tests.conftest import assistant_stack
from tests.integration.whatsapp_support import Phone, link_in, wait_until
from tests.unit.portal.support import PortalClient, make_staff

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

STEM = "73915284602"
AADHAAR = next(STEM + d for d in "0123456789" if verhoeff_valid(STEM + d))
SPACED = f"{AADHAAR[:4]} {AADHAAR[4:8]} {AADHAAR[8:]}"
TYPED = f"{AADHAAR[:4]} – {AADHAAR[4:8]} – {AADHAAR[8:]}"  # as a phone's autocorrect leaves it


def digit_class(value: int) -> str:
    """Every character that is the decimal digit `value`, in any script."""
    chars = [
        chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Nd" and unicodedata.digit(chr(c)) == value
    ]
    return "[" + "".join(re.escape(c) for c in chars) + "]"


def spelled_anyhow(number: str) -> "re.Pattern[str]":
    """The number in any digit script with up to four non-word characters (or
    invisible format characters) between any two digits."""
    classes = {d: digit_class(d) for d in range(10)}
    between = r"(?:[\W_]|[\u200b-\u200f\u2060\ufeff\u00ad]){0,4}"
    return re.compile(between.join(classes[int(d)] for d in number))


def readable(text: str) -> str:
    """`text` with JSON's \\uXXXX escapes and URL escapes undone."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return urllib.parse.unquote_plus(text) + "\n" + text


def pdf_streams(data: bytes) -> Iterator[str]:
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            yield zlib.decompress(match.group(1)).decode("latin-1")
        except zlib.error:
            continue


def rows_of(database_url: str) -> Iterator[Tuple[str, str]]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            tables = (
                conn.execute(
                    sa.text(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                        "AND table_type = 'BASE TABLE'"
                    )
                )
                .scalars()
                .all()
            )
            for table in tables:
                for (row,) in conn.execute(sa.text(f'SELECT t::text FROM "{table}" t')):
                    yield table, row
    finally:
        engine.dispose()


def files_under(*roots: Path, since: float = 0.0) -> Iterator[Path]:
    for root in roots:
        if root.exists():
            for path in root.rglob("*"):
                if path.is_file() and path.stat().st_mtime >= since:
                    yield path


def clear_copies(settings, roots: List[Path], since: float) -> List[str]:
    pattern = spelled_anyhow(AADHAAR)
    found = []
    for url in (settings.database_url, settings.tracker_store_url):
        for table, row in rows_of(url):
            match = pattern.search(readable(row))
            if match:
                found.append(f"table {table}: …{row[max(0, match.start() - 60) : match.end() + 20]}…")
    for path in files_under(*roots, since=since):
        data = path.read_bytes()
        texts = [data.decode("utf-8", errors="replace")]
        if path.suffix == ".pdf":
            texts += list(pdf_streams(data))
        for text in texts:
            match = pattern.search(readable(text))
            if match:
                found.append(f"file {path}: …{text[max(0, match.start() - 60) : match.end() + 20]!r}…")
                break
    return found


def pay(link: str) -> None:
    done = requests.post(f"{link}/pay", data={"method": "upi", "outcome": "success", "lang": "hi"}, timeout=60)
    assert done.status_code == 200


@pytest.fixture(scope="module")
def journey_stack(tmp_path_factory, model_path, postgres_database_factory):
    tmp = tmp_path_factory.mktemp("privacy-scan")
    var = tmp / "var"
    with assistant_stack(
        var,
        model_path,
        postgres_database_factory,
        name="privacy-scan",
        UPLOADS_DIR=str(var / "uploads"),
        CERTIFICATES_DIR=str(var / "certificates"),
    ) as stack:
        yield stack, var


@pytest.fixture
def phone(journey_stack):
    phone = Phone(journey_stack[0])
    yield phone
    for message in phone.received():  # the conversation, when something went wrong
        print("bot:", message["body"], message.get("media_urls") or "", file=sys.stderr)


def test_a_whole_journey_leaves_the_aadhaar_number_nowhere_in_clear(journey_stack, phone):
    assistant, var = journey_stack
    started = time.time()
    web = f"http://{assistant.settings.host}:{assistant.settings.web_port}"

    # Apply, typing the Aadhaar number with spaces.
    phone.chat("नमस्ते")
    for text in [
        "aay praman patra banwana hai",
        "jhabua",
        "sita bhuriya",
        "papa ka naam kalu bhuriya",
        "mahila",
        "12/03/1990",
        "gaon pitol",
        "2",
        "457661",
        f"mera aadhar {SPACED} hai",
        "2 lakh",
    ]:
        phone.chat(text)
    before = len(phone.received())
    phone.send("haan")
    messages = wait_until(phone, lambda ms: any("/i/" in (m["body"] or "") for m in ms[before:]))[before:]
    reference = re.search(r"JBA-\d{4}-\d{6}", " ".join(m["body"] or "" for m in messages)).group(0)
    assert f"XXXX XXXX {AADHAAR[-4:]}" in " ".join(m["body"] or "" for m in phone.received()), (
        "the summary shows only the last four digits"
    )

    # Pay the fee on the gateway's page.
    pay(link_in(next(m for m in messages if "/i/" in (m["body"] or ""))["body"]))
    wait_until(phone, lambda ms: any((m["body"] or "").startswith("✅ ₹20 जमा हो गए") for m in ms))

    # The officer approves in the portal; the certificate reaches the citizen.
    make_staff(assistant.settings.database_url, "officer.scan", "designated_officer")
    officer = PortalClient(web)
    assert officer.login("officer.scan", "a-Long-pass-1234").status_code == 303
    page = officer.get(f"/portal/applications/{reference}").text
    assert AADHAAR not in page and f"XXXX XXXX {AADHAAR[-4:]}" in page
    before = len(phone.received())
    assert officer.post(f"/portal/applications/{reference}/approve").status_code == 303
    wait_until(phone, lambda ms: any(m.get("media_urls") for m in ms[before:]), timeout=120)

    # Home delivery to the address on the application, postage paid on the gateway.
    before = len(phone.received())
    phone.chat(f"{reference} ka certificate ghar pe bhej do")
    reply = wait_until(phone, lambda ms: len(ms) > before)[-1]["body"]
    if "/i/" not in reply:
        phone.chat("haan")
    messages = wait_until(phone, lambda ms: any("/i/" in (m["body"] or "") for m in ms[before:]))[before:]
    pay(link_in(next(m for m in messages if "/i/" in (m["body"] or ""))["body"]))

    # Status, and the number once more as autocorrect leaves it.
    status = phone.chat(f"{reference} ka status")
    assert reference in status["body"]
    phone.chat(f"mera aadhar {TYPED} sahi likha tha na?")

    # The scan.
    time.sleep(2)  # the last log lines flushed
    # Everything under the run's own directory (logs, uploads, certificates) and
    # whatever the run wrote to the checkout's var/ (fonts, exports).
    found = clear_copies(assistant.settings, [var, VAR_DIR], since=started - 1)
    assert not found, f"{len(found)} clear copies of the Aadhaar number:\n" + "\n".join(found[:40])


def test_the_scan_finds_every_spelling():
    pattern = spelled_anyhow(AADHAAR)
    a = AADHAAR
    for spelling in [
        a,
        f"{a[:4]} {a[4:8]} {a[8:]}",
        f"{a[:4]}–{a[4:8]}—{a[8:]}",
        f"{a[:4]}\n{a[4:8]}\n{a[8:]}",
        a.translate(str.maketrans("0123456789", "०१२३४५६७८९")),
        f"{a[:6]}, {a[6:]}",
        "".join(f"\\u{0x966 + int(d):04x}" for d in a),
        urllib.parse.quote(TYPED),
    ]:
        assert pattern.search(readable(spelling)), spelling
    assert not pattern.search(f"XXXX XXXX {a[-4:]}")
