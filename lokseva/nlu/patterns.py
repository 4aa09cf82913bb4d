"""Application ids and Indian numbers in free text: plain functions.

Digits may be ASCII or Devanagari (or any other decimal script), dashes of any
kind; matching runs on lokseva.text.fold(text), which keeps one character per
character, so match offsets are offsets into the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

from lokseva import references
from lokseva.text import fold


@dataclass(frozen=True)
class Found:
    entity: str
    start: int
    end: int
    value: str


def find_application_ids(text: str, known_codes: Optional[Iterable[str]] = None) -> List[Found]:
    """Application ids in any spelling, as canonical `XXX-YYYY-NNNNNN`; the rule
    is lokseva.references' (the same for the forms, the actions and the portal)."""
    return [
        Found("application_id", f.start, f.end, f.value) for f in references.find_application_ids(text, known_codes)
    ]


# --- Aadhaar, mobile, PIN ----------------------------------------------------

_AADHAAR = re.compile(r"(?<![0-9+])([2-9][0-9]{3})[ \-]?([0-9]{4})[ \-]?([0-9]{4})(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9+])(?:(?:\+|00)?91[ \-]?|0)?([6-9][0-9]{4})[ \-]?([0-9]{5})(?![0-9])")
_PIN = re.compile(r"(?<![0-9])([1-9][0-9]{2})[ ]?([0-9]{3})(?![0-9])")
_PIN_CONTEXT = re.compile(r"pin|पिन|postal|पोस्टल|डाक|dak ?ghar|zip", re.IGNORECASE)
_MONEY_CONTEXT = re.compile(
    r"₹|\brs\.?|rupa|rupe|रुप|रूप|income|aay\b|aamdani|amdani|आय|आमदनी|आमदानी|salary|lakh|लाख|"
    r"hajar|hazar|हजार|हज़ार|saal|साल|salana|सालाना|mahina|mahine|महीन|वेतन|kamai|कमाई",
    re.IGNORECASE,
)


def _overlaps(start: int, end: int, taken: Iterable[Tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


def find_numbers(text: str, taken: Iterable[Tuple[int, int]] = ()) -> List[Found]:
    """Aadhaar-like (12 digits), mobile (10 digits) and PIN (6 digits) numbers.

    `taken` are spans already claimed (application ids); numbers inside them are
    skipped, and so is every longer number's inside (a mobile number inside an
    Aadhaar number). A six-digit number is a PIN code unless the message talks
    about money (income 150000) without saying "pin".
    """
    folded = fold(text)
    claimed = list(taken) + [(f.start, f.end) for f in find_application_ids(text)]
    found: List[Found] = []
    for m in _AADHAAR.finditer(folded):
        if not _overlaps(m.start(), m.end(), claimed):
            found.append(Found("aadhaar_number", m.start(), m.end(), "".join(m.groups())))
            claimed.append((m.start(), m.end()))
    for m in _MOBILE.finditer(folded):
        if not _overlaps(m.start(), m.end(), claimed):
            found.append(Found("mobile_number", m.start(), m.end(), "".join(m.groups())))
            claimed.append((m.start(), m.end()))
    pin_said = bool(_PIN_CONTEXT.search(text))
    money_said = bool(_MONEY_CONTEXT.search(text))
    if pin_said or not money_said:
        for m in _PIN.finditer(folded):
            if not _overlaps(m.start(), m.end(), claimed):
                if m.group(0).count(" ") and not pin_said:
                    continue  # "457 661" is a PIN only when the message says so
                found.append(Found("pin_code", m.start(), m.end(), "".join(m.groups())))
                claimed.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)
