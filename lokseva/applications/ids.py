"""Application ids (आवेदन क्रमांक): JBA-2026-000123 = district code, year, serial.

The serial is unique and without gaps per district and year; it is allocated
in lokseva.applications.service.allocate_reference inside the submitting
transaction.
"""
from __future__ import annotations

import re
from typing import Optional

_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
# Spellings citizens type: jba-2026-000123, JBA2026000123, JBA 2026 000123, JBA-२०२६-०००१२३
_REFERENCE = re.compile(r"(?<![A-Za-z])([A-Za-z]{3})[\s\-_/.]*(\d{4})[\s\-_/.]*(\d{1,6})(?!\d)")


def format_reference(district_code: str, year: int, serial: int) -> str:
    if serial > 999_999:
        raise ValueError(f"serial {serial} does not fit six digits")
    return f"{district_code}-{year:04d}-{serial:06d}"


def parse_reference(text: Optional[str]) -> Optional[str]:
    """The canonical id in `text`, or None."""
    if not text:
        return None
    match = _REFERENCE.search(text.translate(_DIGITS))
    if not match:
        return None
    code, year, serial = match.groups()
    if not (1900 <= int(year) <= 2999):
        return None
    return format_reference(code.upper(), int(year), int(serial))
