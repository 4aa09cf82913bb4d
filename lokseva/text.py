"""What citizens type, made comparable: the one place that knows how.

Phones and keyboards put things in a message that a reader does not see or
does not tell apart: digits of another script (Devanagari ०-९, Gujarati,
full-width), invisible characters (zero-width joiners, BOM, soft hyphen,
direction marks, variation selectors), and a dozen kinds of dash (autocorrect
turns "-" into "–" or "—"). Every parser in the project (the NLU, the forms, the
channel, the portal, the Aadhaar redactor) reads text through these functions.

- `fold(text)` changes one character into one character (digits to ASCII,
  dashes to "-"), so an offset into the folded text is an offset into the
  original: the NLU's entities and the redactor's masks rely on it.
- `clean(text)` is `fold` plus NFC and without invisible characters; the
  length may change, so it is for values, not for offsets.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

# The digits citizens type most, for documentation and tests; `fold` reads every
# decimal digit of every script (Unicode category Nd), not only these.
DEVANAGARI_DIGITS = "०१२३४५६७८९"

# Invisible characters: zero-width space, non-joiner, joiner, word joiner,
# invisible operators, BOM, soft hyphen, Mongolian vowel separator, direction
# marks, embeddings and isolates, emoji variation selectors.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufe0e\ufe0f"
)
# Every dash a keyboard or autocorrect produces: hyphen, non-breaking hyphen,
# figure dash, en dash, em dash, horizontal bar, minus sign, small and
# full-width hyphen-minus, hyphen bullet.
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043")


class _Fold(dict):
    """A str.translate table filled on first sight of each character."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        if char in DASHES:
            value = ord("-")
        elif unicodedata.category(char) == "Nd":
            value = ord(str(unicodedata.digit(char)))
        else:
            value = code
        self[code] = value
        return value


class _Digits(_Fold):
    def __missing__(self, code: int) -> int:
        char = chr(code)
        value = ord(str(unicodedata.digit(char))) if unicodedata.category(char) == "Nd" else code
        self[code] = value
        return value


_FOLD = _Fold()
_DIGITS = _Digits()
_WITHOUT_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE), None)


def ascii_digits(text: str) -> str:
    """Every decimal digit (any script) as its ASCII digit, one for one."""
    return (text or "").translate(_DIGITS)


def fold(text: Optional[str]) -> str:
    """Digits as ASCII and dashes as "-", one character for one (offsets unchanged)."""
    return (text or "").translate(_FOLD)


def without_invisible(text: Optional[str]) -> str:
    return (text or "").translate(_WITHOUT_INVISIBLE)


def clean(text: Optional[str]) -> str:
    """NFC, without invisible characters, digits as ASCII, dashes as "-"."""
    return fold(without_invisible(unicodedata.normalize("NFC", text or "")))


def digits(text: Optional[str]) -> str:
    """Only the digits of `text`, as ASCII ("९८२६ ०१-२३४५" -> "9826012345")."""
    return re.sub(r"[^0-9]", "", ascii_digits(text or ""))
