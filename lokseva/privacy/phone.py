"""Phone numbers: kept in full where the service needs them (sending on
WhatsApp), shown masked everywhere else (logs, staff lists)."""

from __future__ import annotations

import re
from typing import Optional

from lokseva.text import digits, fold


def mask_phone(number: Optional[str]) -> str:
    """ "whatsapp:+919826012345" -> "+91******2345"; the last four digits stay."""
    if not number:
        return ""
    raw = number.split(":", 1)[-1].strip()
    figures = digits(raw)
    if len(figures) <= 4:
        return "*" * len(figures)
    country = ""
    if raw.startswith("+") and len(figures) > 10:
        country, figures = "+" + figures[: len(figures) - 10], figures[-10:]
    return country + "*" * (len(figures) - 4) + figures[-4:]


# An Indian mobile number in a text, with an optional +91 / 91 / 0 prefix,
# in one piece or as 5 + 5 digits (matched on lokseva.text.fold(text)).
_MOBILE_IN_TEXT = re.compile(r"(?<![\w+])(?:\+?91[ \-.]?|0)?[6-9][0-9]{4}[ \-.]?[0-9]{5}(?![\w])")


def mask_phones_in(text: Optional[str]) -> str:
    """`text` with each mobile number shown as "******3210"."""
    if not text:
        return ""
    folded = fold(text)
    out, last = [], 0
    for match in _MOBILE_IN_TEXT.finditer(folded):
        out.append(text[last : match.start()])
        out.append("******" + digits(match.group(0))[-4:])
        last = match.end()
    out.append(text[last:])
    return "".join(out)
