"""Application ids (आवेदन क्रमांक) and certificate numbers: the one parser.

    JBA-2026-000123     application id: district code, year, six-digit serial
    JBA-C-2026-000123   certificate number: the same with "C" after the code

Citizens write them in many ways (jba2026000123, JBA 2026 000123, jba/2026/000123,
JBA–2026–000123 with autocorrect's en dash, digits in Devanagari). The rule, the
same for the NLU, the forms, the actions and the portal's search:

- The code is three Latin letters; the year 1900-2999; the serial at most six
  digits, followed by no other digit.
- Between the parts: a dash of any kind, a slash, a dot or an underscore (with
  spaces around or not), spaces, or nothing.
- A code that is no district's code (lokseva/districts/*.yml) separated from the
  year by spaces alone is a word, not a code: "for 2026 000123" is no id.
- A serial shorter than six digits needs an explicit separator before it, and
  is padded: JBA-2026-123 is JBA-2026-000123; "JBA 2026 123" is not an id.

Matching runs on `lokseva.text.fold(text)`, so spans are spans of the original text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import FrozenSet, Iterable, List, Optional


from lokseva.districts import district_codes
from lokseva.text import fold, without_invisible

_SEP = r"[ \t]*[-/._][ \t]*|[ \t]+"
_APPLICATION_ID = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(?P<code>[A-Za-z]{3})(?P<sep1>" + _SEP + r")?"
    r"(?P<year>(?:19|2[0-9])[0-9]{2})(?P<sep2>" + _SEP + r")?"
    r"(?P<serial>[0-9]{1,6})(?![0-9])"
)
_CERTIFICATE_NUMBER = re.compile(
    r"(?<![A-Za-z0-9])(?P<code>[A-Za-z]{3})[ \t]*[-/._ ]?[ \t]*[Cc][ \t]*[-/._ ]?[ \t]*"
    r"(?P<year>(?:19|2[0-9])[0-9]{2})[ \t]*[-/._ ]?[ \t]*(?P<serial>[0-9]{6})(?![0-9])"
)


@dataclass(frozen=True)
class Found:
    """A reference in a text: its canonical form and where it was written."""

    value: str
    start: int
    end: int


@functools.lru_cache(maxsize=None)
def known_district_codes() -> FrozenSet[str]:
    """The district codes of the registry (lokseva/districts/registry.yml: JBA, IND, ...)."""
    return district_codes()


def format_application_id(district_code: str, year: int, serial: int) -> str:
    if serial > 999_999:
        raise ValueError(f"serial {serial} does not fit six digits")
    return f"{district_code}-{year:04d}-{serial:06d}"


def format_certificate_number(district_code: str, year: int, serial: int) -> str:
    """JBA-C-2026-000123: unlike an application id it cannot be mistaken for one."""
    return f"{district_code}-C-{year}-{serial:06d}"


def find_application_ids(text: Optional[str], known_codes: Optional[Iterable[str]] = None) -> List[Found]:
    """Every application id written in `text`, canonical, with its span in `text`."""
    codes = frozenset(c.upper() for c in (known_district_codes() if known_codes is None else known_codes))
    found: List[Found] = []
    for m in _APPLICATION_ID.finditer(fold(text)):
        code, year, serial = m.group("code").upper(), int(m.group("year")), m.group("serial")
        sep1, sep2 = m.group("sep1") or "", m.group("sep2") or ""
        spaces_only = sep1 != "" and sep1.strip() == ""
        if code not in codes and spaces_only:
            continue  # "for 2026 000123": a word, a space and numbers
        if len(serial) < 6 and not sep2.strip():
            continue  # a short serial only when clearly separated: JBA-2026-123
        if len(serial) < 6 and code not in codes and not sep1.strip():
            continue
        found.append(Found(format_application_id(code, year, int(serial)), m.start(), m.end()))
    return found


def parse_application_id(text: Optional[str]) -> Optional[str]:
    """The first application id in `text`, canonical, or None."""
    found = find_application_ids(text)
    return found[0].value if found else None


def application_id_only(text: Optional[str]) -> Optional[str]:
    """The application id when `text` is nothing but one (a search box), else None."""
    text = without_invisible(text).strip()
    found = find_application_ids(text)
    return found[0].value if len(found) == 1 and found[0].start == 0 and found[0].end == len(text) else None


def find_certificate_numbers(text: Optional[str]) -> List[Found]:
    return [
        Found(
            format_certificate_number(m.group("code").upper(), int(m.group("year")), int(m.group("serial"))),
            m.start(),
            m.end(),
        )
        for m in _CERTIFICATE_NUMBER.finditer(fold(text))
    ]


def parse_certificate_number(text: Optional[str]) -> Optional[str]:
    """The first certificate number in `text` ("jba c 2026 000123", "JBA–C–2026–000123"), or None."""
    found = find_certificate_numbers(text)
    return found[0].value if found else None
