"""The one Aadhaar redactor: every 12-digit number in a text masked to its last four.

What is masked: twelve digits in a row or in groups, whatever separates the
groups (spaces, newlines, dashes of every kind, dots, slashes, commas,
underscores, plus signs, invisible characters, up to four of them: "2345 - 6789 -
0124"; URL-escaped ones too: "2345%206789%200124"),
in any digit script (Devanagari, Gujarati, full-width), glued to a word
("aadhar234567890124", "आधार२३४५६७८९०१२४"). Verhoeff-valid or not: a number
typed with one digit wrong is still nearly someone's Aadhaar number, and
masking it costs nothing. A single run of 13 or 14 digits (one digit too many)
is masked too, as are groups that add up to 13 or 14 ("2345 6789 01245"), and a
standalone run of more digits (it may hide one).

What is left alone, because it is not an Aadhaar number and staff or the
citizen need it: 10-digit mobile numbers (also with +91), PIN codes, amounts,
application ids and certificate numbers (JBA-2026-000123, JBA2026000123,
JBA-C-2026-000123), dates (12/03/1990, 2026-12-04), identifiers that mix
letters and digits (Twilio SIDs, file hashes), and a multi-group number with a
group longer than eight digits (a phone number followed by other figures).

Every digit is replaced by "X" in place: the text keeps its length, so offsets
(the NLU's entity spans) stay right.
"""

from __future__ import annotations

import re
from typing import Iterable, List, Set, Tuple

from lokseva.privacy.phone import mask_phones_in
from lokseva.references import find_application_ids, find_certificate_numbers
from lokseva.text import INVISIBLE, fold

AADHAAR_DIGITS = 12
# One group with a digit or two too many: a mistyped number.
_MISTYPED = range(13, 15)
_MAX_GROUP_IN_A_SPLIT_NUMBER = 8

_SEPARATOR_CHARS = " \t\r\n\u00a0\u2009\u202f-./,_+" + "".join(INVISIBLE)
# A URL-escaped separator (a number in a logged URL: "2345%206789%200124"),
# blanked in the working copy as one space and NULs, so that its hex digits
# are not read as digits and it counts as one separator.
_ESCAPED_SEPARATOR = re.compile(r"%(?:20|2[BbCcDdEeFf]|5[Ff]|0[AaDd]|[Cc]2%[Aa]0|[Ee]2%80%9[0-5])")
_SEPARATOR = re.compile("\x00*(?:[" + re.escape(_SEPARATOR_CHARS) + "]\x00*){1,4}")
_GROUP = re.compile(r"[0-9]+")
_LATIN_ALNUM = re.compile(r"[A-Za-z0-9]+")
_GLUED_WORD = re.compile(r"[A-Za-z]*[0-9]+[A-Za-z]*")
_DATES = re.compile(
    r"(?<![0-9])(?:0?[1-9]|[12][0-9]|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)[0-9]{2}(?![0-9])"
    r"|(?<![0-9])(?:19|20)[0-9]{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])(?![0-9])"
)

Span = Tuple[int, int]


def _kept_spans(folded: str, original: str) -> List[Span]:
    """Spans that hold digits but no Aadhaar number: references and dates."""
    spans = [(f.start, f.end) for f in find_application_ids(original)]
    spans += [(f.start, f.end) for f in find_certificate_numbers(original)]
    spans += [(m.start(), m.end()) for m in _DATES.finditer(folded)]
    return spans


def _inside(start: int, end: int, spans: Iterable[Span]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _is_identifier(folded: str, start: int, end: int) -> Tuple[bool, bool]:
    """(part of an identifier, glued to letters) for the digit group at start:end."""
    token = next(m for m in _LATIN_ALNUM.finditer(folded, max(0, start - 200)) if m.start() <= start < m.end())
    glued = token.start() < start or token.end() > end
    return (not _GLUED_WORD.fullmatch(token.group()), glued)


def _groups(folded: str, original: str) -> List[List[Tuple[int, int, bool]]]:
    """Runs of digit groups (start, end, glued) joined by separators."""
    kept = _kept_spans(folded, original)
    runs: List[List[Tuple[int, int, bool]]] = []
    previous_end = -10
    for m in _GROUP.finditer(folded):
        start, end = m.start(), m.end()
        identifier, glued = _is_identifier(folded, start, end)
        # "+91 98260 12345", "+919826012345": an international phone number
        # starts with "+" (a "+" between digit groups is only a separator).
        international = (
            start > 0
            and folded[start - 1] == "+"
            and not folded[start - 2 : start - 1].isdigit()
            and (end - start <= 3 or end - start >= 11)
        )
        if identifier or international or _inside(start, end, kept):
            previous_end = -10
            continue
        between = folded[previous_end:start] if previous_end >= 0 else None
        if runs and between is not None and _SEPARATOR.fullmatch(between):
            runs[-1].append((start, end, glued))
        else:
            runs.append([(start, end, glued)])
        previous_end = end
    return runs


def _masked_positions(run: List[Tuple[int, int, bool]]) -> Set[int]:
    masked: Set[int] = set()

    def mask_window(groups: List[Tuple[int, int, bool]]) -> None:
        positions = [p for s, e, _ in groups for p in range(s, e)]
        masked.update(positions[:-4])

    for i, (start, end, glued) in enumerate(run):
        length = end - start
        if length == AADHAAR_DIGITS or length in _MISTYPED or (length > AADHAAR_DIGITS and not glued):
            mask_window([run[i]])
        total = 0
        for j in range(i, len(run)):
            group_length = run[j][1] - run[j][0]
            if group_length > _MAX_GROUP_IN_A_SPLIT_NUMBER:
                break
            total += group_length
            if j > i and (total == AADHAAR_DIGITS or total in _MISTYPED):
                mask_window(run[i : j + 1])
            if total >= _MISTYPED[-1]:
                break
    return masked


def redact_text(text: str) -> str:
    """`text` with every Aadhaar-like number's digits but the last four as "X"."""
    if not text or sum(ch.isdigit() for ch in text) < AADHAAR_DIGITS:
        return text  # str.isdigit counts every script's digits
    folded = _ESCAPED_SEPARATOR.sub(lambda m: " " + "\x00" * (len(m.group()) - 1), fold(text))
    masked: Set[int] = set()
    for run in _groups(folded, text):
        if sum(e - s for s, e, _ in run) >= AADHAAR_DIGITS:
            masked |= _masked_positions(run)
    if not masked:
        return text
    return "".join("X" if i in masked else ch for i, ch in enumerate(text))


def mask_text(text: str) -> str:
    """What staff read of a citizen's message: Aadhaar numbers and mobile numbers
    masked to their last four digits; application ids and small numbers kept."""
    return mask_phones_in(redact_text(text or ""))
