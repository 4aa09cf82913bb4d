"""Masking of personal numbers in what staff see: phone numbers keep their last
four digits ("+91******3210", as lokseva.privacy shows them everywhere), 12-digit
numbers (Aadhaar) their last four ("XXXX XXXX 9012"). Application ids
(JBA-2026-000123 and their spelling variants) are not personal and stay readable.

Citizens type Devanagari digits too (९८७६५४३२१०), so those are masked the same way.
"""
from __future__ import annotations

import re
from typing import Optional

_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_D = r"[0-9०-९]"
_SEP = r"[ \-.]?"

# An application id in any spelling the NLU accepts: district code, year (20xx), serial.
# The year keeps "phone 9812345678" from passing for an id ("one" + ten digits).
_APPLICATION_ID = re.compile(
    rf"(?<![A-Za-z])[A-Za-z]{{3}}\s?[-/]?\s?(?:20|२०){_D}{{2}}\s?[-/]?\s?{_D}{{6}}(?!{_D})"
)
# A 12-digit number, plain or grouped 4-4-4 (Aadhaar's printed form).
_TWELVE = re.compile(rf"(?<![\w]){_D}{{4}}{_SEP}{_D}{{4}}{_SEP}{_D}{{4}}(?![\w])")
# An Indian mobile number with an optional +91 / 91 / 0 prefix.
_PHONE = re.compile(
    rf"(?<![\w+])(?:\+?91{_SEP}|0)?[6-9६-९]{_D}{{4}}{_SEP}{_D}{{5}}(?![\w])"
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text.translate(_DEVANAGARI_DIGITS))


def mask_phone(value: Optional[str]) -> str:
    """A phone number as staff see it: "whatsapp:+919876543210" -> "+91******3210"."""
    from lokseva.privacy import mask_phone as privacy_mask_phone

    return privacy_mask_phone(value)


def mask_text(text: Optional[str]) -> str:
    """The text with phone numbers and 12-digit numbers masked, application ids kept."""
    if not text:
        return ""
    out = []
    last = 0
    for match in _APPLICATION_ID.finditer(text):
        out.append(_mask_numbers(text[last:match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_mask_numbers(text[last:]))
    return "".join(out)


def _mask_numbers(text: str) -> str:
    text = _TWELVE.sub(lambda m: "XXXX XXXX " + _digits(m.group(0))[-4:], text)
    return _PHONE.sub(lambda m: "******" + _digits(m.group(0))[-4:], text)


def phone_digits(value: Optional[str]) -> str:
    """The digits of what staff typed in a search box (Devanagari digits allowed)."""
    return _digits(value or "")
