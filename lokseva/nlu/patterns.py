"""Application ids and Indian numbers in free text: plain functions.

Digits may be ASCII or Devanagari (or any other decimal script); matching runs
on a copy of the text with every digit folded to ASCII. The fold keeps one
character per character, so match offsets are offsets into the original text.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import FrozenSet, Iterable, List, Optional, Tuple

from lokseva.districts import district_codes


@dataclass(frozen=True)
class Found:
    entity: str
    start: int
    end: int
    value: str


def fold_digits(text: str) -> str:
    """Every decimal digit as ASCII, one character for one (offsets unchanged)."""
    return "".join(
        str(unicodedata.digit(ch)) if unicodedata.category(ch) == "Nd" else ch for ch in text
    )


@functools.lru_cache(maxsize=None)
def known_district_codes() -> FrozenSet[str]:
    """The district codes of lokseva/districts/registry.yml (JBA, IND, ...)."""
    return district_codes()


# --- application ids ---------------------------------------------------------

_SEP = r"[ \t]*[-/._–—][ \t]*|[ \t]+"
_APPLICATION_ID = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(?P<code>[A-Za-z]{3})(?P<sep1>" + _SEP + r")?"
    r"(?P<year>(?:19|20)[0-9]{2})(?P<sep2>" + _SEP + r")?"
    r"(?P<serial>[0-9]{1,6})(?![0-9])"
)


def find_application_ids(
    text: str, known_codes: Optional[Iterable[str]] = None
) -> List[Found]:
    """Application ids in any spelling, as canonical `XXX-YYYY-NNNNNN`.

    A known district code (lokseva/districts/registry.yml) is accepted in every spelling
    (JBA-2026-000123, jba2026000123, JBA 2026 000123, jba/2026/000123, digits in
    Devanagari). Any other three-letter code is accepted only when nothing
    separates it from the year or the separator is a hyphen, slash or dot, so that
    "for 2026 000123" is not read as an id. The serial has six digits; with an
    explicit separator a shorter serial is padded (JBA-2026-123 -> JBA-2026-000123).
    """
    codes = frozenset(c.upper() for c in (known_codes if known_codes is not None else known_district_codes()))
    folded = fold_digits(text)
    found: List[Found] = []
    for m in _APPLICATION_ID.finditer(folded):
        code = m.group("code").upper()
        sep1 = m.group("sep1") or ""
        sep2 = m.group("sep2") or ""
        serial = m.group("serial")
        if code not in codes and sep1.strip() == "" and sep1 != "":
            continue  # "for 2026 000123": a word, a space and numbers
        if len(serial) < 6 and not sep2.strip():
            continue  # short serial only when clearly separated: JBA-2026-123
        if len(serial) < 6 and code not in codes and not sep1.strip():
            continue
        found.append(
            Found("application_id", m.start(), m.end(), f"{code}-{m.group('year')}-{serial.zfill(6)}")
        )
    return found


# --- Aadhaar, mobile, PIN ----------------------------------------------------

_AADHAAR = re.compile(r"(?<![0-9+])([2-9][0-9]{3})[ \-]?([0-9]{4})[ \-]?([0-9]{4})(?![0-9])")
_MOBILE = re.compile(
    r"(?<![0-9+])(?:(?:\+|00)?91[ \-]?|0)?([6-9][0-9]{4})[ \-]?([0-9]{5})(?![0-9])"
)
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
    folded = fold_digits(text)
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
