"""Aadhaar numbers (आधार संख्या).

A number is 12 digits, never starts with 0 or 1, and its last digit is a
Verhoeff check digit. It is kept only in the Aadhaar vault, encrypted
(lokseva.privacy.vault); only the last four digits are readable elsewhere, and
the clear number is never logged nor left in stored text (redact_aadhaar).
"""

from __future__ import annotations

import re
from typing import Any

from lokseva.privacy.redaction import redact_text
from lokseva.text import INVISIBLE, fold
from lokseva.text import digits as digits_of

# Verhoeff tables (dihedral group D5).
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


class AadhaarError(ValueError):
    """A number that is not a valid Aadhaar number. `code` says why:
    no_digits, length, first_digit, checksum."""

    def __init__(self, code: str, digits: int = 0):
        super().__init__(code)
        self.code = code
        self.digits = digits


def verhoeff_valid(number: str) -> bool:
    """True when the last digit of `number` is its Verhoeff check digit."""
    check = 0
    for position, char in enumerate(reversed(number)):
        check = _D[check][_P[position % 8][int(char)]]
    return check == 0


def verhoeff_check_digit(number: str) -> str:
    """The check digit to append to `number` (used by tests to make valid numbers)."""
    check = 0
    for position, char in enumerate(reversed(number)):
        check = _D[check][_P[(position + 1) % 8][int(char)]]
    inverse = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)
    return str(inverse[check])


# Between the groups of a number people type: spaces, newlines, dashes (folded
# to "-"), dots, slashes, commas, underscores, invisible characters; up to four
# of them ("2345 - 6789 - 0124").
_SEPARATOR_CHARS = " \t\r\n\u00a0\u2009\u202f-./,_" + "".join(INVISIBLE)
_SEPARATOR = "[" + re.escape(_SEPARATOR_CHARS) + "]{1,4}"
_NUMBER_RUN = re.compile(rf"[0-9](?:(?:{_SEPARATOR})?[0-9])*")


def validate_aadhaar(text: str) -> str:
    """The 12 digits of the Aadhaar number written in `text` ("2345 6789 0123",
    Devanagari digits, "aadhar no. 2345-6789-0123"), or AadhaarError."""
    runs = [digits_of(run) for run in _NUMBER_RUN.findall(fold(text))]
    if not runs:
        raise AadhaarError("no_digits")
    # The longest run is the number the citizen meant; others are stray digits.
    digits = max(runs, key=len)
    if len(digits) != 12:
        raise AadhaarError("length", len(digits))
    if digits[0] in "01":
        raise AadhaarError("first_digit", 12)
    if not verhoeff_valid(digits):
        raise AadhaarError("checksum", 12)
    return digits


def mask_aadhaar(digits: str) -> str:
    """ "XXXX XXXX 1234": what staff and the citizen see."""
    return f"XXXX XXXX {digits[-4:]}"


def redact_aadhaar(value: Any) -> Any:
    """`value` with every Aadhaar-like number masked to its last four digits,
    recursively through dicts, lists and tuples (other values unchanged).

    lokseva.privacy.redaction says what counts as Aadhaar-like; the text keeps
    its length, so entity offsets in parse data stay right."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: redact_aadhaar(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_aadhaar(v) for v in value]
    if isinstance(value, tuple):
        return tuple(redact_aadhaar(v) for v in value)
    return value
