"""Walks through every service's form on the WhatsApp simulator, as a citizen
would, once in Devanagari and once in Roman letters, and keeps what the
citizen saw: screenshots of the summary and the receipt (docs/walkthrough/)
and the whole conversation as text.

Needs a running assistant (`make run`, or `python -m lokseva.devtools.run`
with other ports) and Playwright with Chromium:

    .venv/bin/python scripts/walkthrough.py --web http://127.0.0.1:8000 [--chromium /usr/bin/chromium]

The answers below are what villagers type: the district asked first ("झाबुआ"),
names, "गाँव पिटोल", a date in Devanagari digits, "aadhaar nahi hai" and a voter
card instead, a child not yet named ("naam nahi rakha"; "abhi nahi" skips the question too).

Each walk's text is written even when it never reached the summary or the
receipt; the run then names what is missing and exits with 1.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path
from typing import Dict, List, Tuple

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "walkthrough"
AADHAAR = "2345 6789 0124"

# (service id, script) -> what the citizen types, in order
CONVERSATIONS: Dict[Tuple[str, str], List[str]] = {
    ("income_certificate", "devanagari"): [
        "मुझे आय प्रमाण पत्र बनवाना है",
        "झाबुआ",
        "रमेश भूरिया",
        "पिता का नाम कालू भूरिया",
        "पुरुष",
        "१२ मार्च १९९०",
        "गाँव पिटोल",
        "झाबुआ",
        "४५७६६१",
        AADHAAR,
        "डेढ़ लाख",
        "हाँ",
    ],
    ("income_certificate", "roman"): [
        "mujhe aay praman patra banwana hai",
        "jhabua",
        "ramesh bhuriya",
        "papa ka naam kalu bhuriya",
        "purush",
        "12/03/1990",
        "pitol gaon",
        "jhabua",
        "457661",
        AADHAAR,
        "10 hazar mahina",
        "haan",
    ],
    ("domicile_certificate", "devanagari"): [
        "मूल निवासी प्रमाण पत्र बनवाना है",
        "झाबुआ",
        "सीता डामोर",
        "पति का नाम दिनेश डामोर",
        "महिला",
        "५ जून १९९५",
        "गाँव रायपुरिया",
        "पेटलावद",
        "४५७७७५",
        AADHAAR,
        "हाँ",
    ],
    ("domicile_certificate", "roman"): [
        "mool niwasi praman patra chahiye",
        "jhabua",
        "sita damor",
        "pati dinesh damor",
        "mahila",
        "05/06/1995",
        "raipuria gaon",
        "petlawad",
        "457775",
        "aadhaar nahi hai",
        "1",
        "ABC1234567",
        "haan",
    ],
    ("caste_certificate", "devanagari"): [
        "जाति प्रमाण पत्र बनवाना है",
        "झाबुआ",
        "रमेश भूरिया",
        "पिता का नाम कालू भूरिया",
        "पुरुष",
        "१२ मार्च १९९०",
        "गाँव पिटोल",
        "झाबुआ",
        "४५७६६१",
        AADHAAR,
        "अनुसूचित जनजाति",
        "हाँ",
    ],
    ("caste_certificate", "roman"): [
        "jati praman patra banwana hai",
        "jhabua",
        "ramesh bhuriya",
        "papa kalu bhuriya",
        "purush",
        "12/03/1990",
        "gaon pitol",
        "jhabua",
        "457661",
        AADHAAR,
        "ST",
        "haan",
    ],
    ("birth_certificate", "devanagari"): [
        "बच्चे का जन्म प्रमाण पत्र बनवाना है",
        "झाबुआ",
        "सीता कटारा",
        "पूजा",
        "लड़की",
        "२५ नवंबर २०२६",
        "घर पर, गाँव कल्याणपुरा",
        "सीता कटारा",
        "रमेश कटारा",
        "गाँव कल्याणपुरा",
        "थांदला",
        "४५७७७७",
        AADHAAR,
        "हाँ",
    ],
    ("birth_certificate", "roman"): [
        "bacche ka birth certificate banwana hai",
        "jhabua",
        "sunita damor",
        "naam nahi rakha",
        "ladka",
        "20/11/2026",
        "zila aspatal jhabua",
        "sunita damor",
        "dinesh damor",
        "raipuria gaon",
        "petlawad",
        "457775",
        "nahi hai",
        "2",
        "ABCDE1234F",
        "haan",
    ],
    ("death_certificate", "devanagari"): [
        "दादाजी का मृत्यु प्रमाण पत्र बनवाना है",
        "झाबुआ",
        "रमेश भूरिया",
        "नानू भूरिया",
        "पुरुष",
        "पिता का नाम हीरा भूरिया",
        "३ नवंबर २०२६",
        "घर पर, गाँव पिटोल",
        "गाँव पिटोल",
        "झाबुआ",
        "४५७६६१",
        AADHAAR,
        "हाँ",
    ],
    ("death_certificate", "roman"): [
        "papa ka death certificate banwana hai",
        "jhabua",
        "sunita damor",
        "bhima damor",
        "purush",
        "pita ka naam kalu damor",
        "20/11/2026",
        "ghar par",
        "gaon pitol",
        "jhabua",
        "457661",
        "aadhaar nahi hai",
        "1",
        "ABC1234567",
        "haan",
    ],
    ("land_record_copy", "devanagari"): [
        "मुझे खसरा की नकल चाहिए",
        "झाबुआ",
        "रमेश भूरिया",
        "गाँव पिटोल",
        "झाबुआ",
        "४५७६६१",
        "ग्राम पारा",
        "खसरा नंबर २४५/२",
        "हाँ",
    ],
    ("land_record_copy", "roman"): [
        "khasra ki nakal chahiye",
        "jhabua",
        "sunita damor",
        "raipuria gaon",
        "petlawad",
        "457775",
        "raipuria gaon",
        "khasra no 245/2",
        "haan",
    ],
}

BOT = ".msg:not(.mine)"


def _settle(page: Page, before: int, timeout: float = 90.0) -> int:
    """Waits for the bot's answer to the last message: at least one new bubble,
    then two quiet seconds (a receipt comes with the payment link)."""
    deadline = time.monotonic() + timeout
    count, quiet_since = before, time.monotonic()
    while time.monotonic() < deadline:
        now = page.locator(BOT).count()
        if now != count:
            count, quiet_since = now, time.monotonic()
        elif count > before and time.monotonic() - quiet_since > 2.0:
            return count
        time.sleep(0.2)
    raise TimeoutError(f"no answer after {timeout:.0f} s (bubbles: {count})")


def _shot(page: Page, pattern: str, path: Path) -> None:
    bubble = page.locator(BOT, has_text=re.compile(pattern)).last
    bubble.evaluate("e => e.scrollIntoView({block: 'center'})")  # clear of the sticky header
    bubble.screenshot(path=str(path))


def walk(page: Page, web: str, service: str, script: str, messages: List[str]) -> List[Tuple[str, str]]:
    page.goto(f"{web}/simulator")
    page.select_option("#citizen", "")
    page.fill("#other", "+9198" + "".join(random.choices("0123456789", k=8)))
    page.dispatch_event("#other", "change")
    transcript: List[Tuple[str, str]] = []
    bubbles = 0
    for text in messages:
        page.fill("#text", text)
        page.press("#text", "Enter")
        transcript.append(("citizen", text))
        after = _settle(page, bubbles)
        for i in range(bubbles, after):
            transcript.append(("assistant", page.locator(BOT).nth(i).inner_text()))
        bubbles = after
        if text in ("हाँ", "haan"):
            break
    return transcript


def photograph(page: Page, service: str, script: str) -> List[str]:
    """Screenshots of the summary and the receipt; the names of those the walk never reached."""
    missing = []
    for pattern, name in (("कृपया जाँच लें", "summary"), ("पावती", "receipt")):
        if page.locator(BOT, has_text=re.compile(pattern)).count():
            _shot(page, pattern, OUT / f"{service}-{script}-{name}.png")
        else:
            missing.append(name)
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--web", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--only", help="one service id")
    parser.add_argument("--script", choices=("devanagari", "roman"), help="one script")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    failed = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 360, "height": 1280}, device_scale_factor=1)
        for (service, script), messages in CONVERSATIONS.items():
            if (args.only and service != args.only) or (args.script and script != args.script):
                continue
            transcript = walk(page, args.web, service, script, messages)
            lines = [f"# {service} ({script})", ""]
            for who, text in transcript:
                quoted = "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
                lines += [f"**{'नागरिक' if who == 'citizen' else 'सहायक'}:**", "", quoted, ""]
            (OUT / f"{service}-{script}.md").write_text("\n".join(lines), encoding="utf-8")
            missing = photograph(page, service, script)
            note = f", never reached: {', '.join(missing)}" if missing else ""
            print(f"{service} ({script}): {len(transcript)} messages{note}", flush=True)
            failed += bool(missing)
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
