"""Phone numbers: kept in full where the service needs them (sending on
WhatsApp), shown masked everywhere else (logs, staff lists)."""
from __future__ import annotations

import re
from typing import Optional


def mask_phone(number: Optional[str]) -> str:
    """"whatsapp:+919826012345" -> "+91******2345"; the last four digits stay."""
    if not number:
        return ""
    raw = number.split(":", 1)[-1].strip()
    digits = re.sub(r"\D", "", raw)
    if len(digits) <= 4:
        return "*" * len(digits)
    country = ""
    if raw.startswith("+") and len(digits) > 10:
        country, digits = "+" + digits[: len(digits) - 10], digits[-10:]
    return country + "*" * (len(digits) - 4) + digits[-4:]
