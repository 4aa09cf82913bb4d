"""Numbers and dates as citizens write them: Devanagari digits, Indian digit
grouping (1,20,000), Hindi and Hinglish number words (एक लाख बीस हजार, teen
lakh sattar hajar, डेढ़ लाख, sadhe teen lakh) and month names in three scripts.

Used by lokseva.applications.parsing; no Rasa, no database.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Dict, List, Optional, Tuple

from babel.dates import format_date as babel_format_date, get_month_names

from lokseva.messages import language_of
from lokseva.text import ascii_digits

# Number words, Devanagari and Roman spellings (the common ones in amounts).
_UNITS: Dict[int, Tuple[str, ...]] = {
    0: ("शून्य", "shunya", "sunya", "zero"),
    1: ("एक", "ek", "one"),
    2: ("दो", "do", "two"),
    3: ("तीन", "teen", "tin", "three"),
    4: ("चार", "char", "chaar", "four"),
    5: ("पांच", "पाँच", "panch", "paanch", "pach", "five"),
    6: ("छह", "छः", "छै", "chhah", "chhe", "chah", "che", "six"),
    7: ("सात", "saat", "sat", "seven"),
    8: ("आठ", "aath", "ath", "eight"),
    9: ("नौ", "nau", "nine"),
    10: ("दस", "das", "ten"),
    11: ("ग्यारह", "gyarah", "gyara", "eleven"),
    12: ("बारह", "barah", "bara", "twelve"),
    13: ("तेरह", "terah", "tera", "thirteen"),
    14: ("चौदह", "chaudah", "chauda", "fourteen"),
    15: ("पंद्रह", "पन्द्रह", "pandrah", "pandra", "fifteen"),
    16: ("सोलह", "solah", "sola", "sixteen"),
    17: ("सत्रह", "satrah", "satra", "seventeen"),
    18: ("अठारह", "atharah", "athara", "eighteen"),
    19: ("उन्नीस", "unnis", "unees", "nineteen"),
    20: ("बीस", "bees", "bis", "twenty"),
    25: ("पच्चीस", "pachchis", "pachis", "pacchis", "twenty-five"),
    30: ("तीस", "tees", "tis", "thirty"),
    35: ("पैंतीस", "paintis", "pentis"),
    40: ("चालीस", "chalis", "chaalis", "forty"),
    45: ("पैंतालीस", "paintalis", "pentalis"),
    50: ("पचास", "pachas", "pachaas", "fifty"),
    55: ("पचपन", "pachpan"),
    60: ("साठ", "saath", "sath", "sixty"),
    65: ("पैंसठ", "painsath"),
    70: ("सत्तर", "sattar", "seventy"),
    75: ("पचहत्तर", "pachhattar", "pachattar", "pichattar"),
    80: ("अस्सी", "assi", "asi", "eighty"),
    85: ("पचासी", "pachasi"),
    90: ("नब्बे", "nabbe", "ninety"),
    95: ("पचानवे", "pachanve"),
}
WORD_VALUES: Dict[str, float] = {w: float(v) for v, words in _UNITS.items() for w in words}
WORD_VALUES.update(
    {"डेढ़": 1.5, "डेढ": 1.5, "dedh": 1.5, "dhedh": 1.5, "ढाई": 2.5, "dhai": 2.5, "dhaai": 2.5, "adhai": 2.5}
)

MULTIPLIERS: Dict[str, int] = {}
for _value, _words in {
    100: ("सौ", "sau", "hundred"),
    1_000: ("हजार", "हज़ार", "hazar", "hajar", "hazaar", "hajaar", "hazzar", "thousand", "k"),
    100_000: ("लाख", "lakh", "lac", "lakhs", "lacs", "laakh", "lakha"),
    10_000_000: ("करोड़", "करोड", "crore", "cr", "karod", "karor"),
}.items():
    MULTIPLIERS.update({w: _value for w in _words})

# Modifiers before a number: साढ़े तीन = 3.5, सवा दो = 2.25, पौने दो = 1.75.
MODIFIERS: Dict[str, float] = {
    "साढ़े": 0.5,
    "साढे": 0.5,
    "sadhe": 0.5,
    "saade": 0.5,
    "sade": 0.5,
    "saadhe": 0.5,
    "सवा": 0.25,
    "sava": 0.25,
    "savaa": 0.25,
    "swa": 0.25,
    "पौने": -0.25,
    "paune": -0.25,
    "pone": -0.25,
}

# A word is Latin letters or Devanagari letters with their vowel signs (Python's
# `re` does not count vowel signs as word characters, so \w would split them).
WORD_CHARS = "A-Za-z\u0900-\u0963\u0971-\u097f"
_TOKEN = re.compile(rf"\d+(?:\.\d+)?|[{WORD_CHARS}]+")


def tokens(text: str) -> List[str]:
    """Words and numbers of `text`; Devanagari words keep their vowel signs."""
    text = ascii_digits(text.lower())
    # 1,20,000 -> 120000; 2lakh -> 2 lakh; ₹50k -> 50 k
    text = re.sub(r"(?<=\d),(?=\d)", "", text)
    text = re.sub(rf"(?<=\d)(?=[{WORD_CHARS}])|(?<=[{WORD_CHARS}])(?=\d)", " ", text)
    return _TOKEN.findall(text)


def amount_in_words(text: str) -> Optional[float]:
    """The amount written in `text`, in rupees, or None when it holds no number.

    "2 lakh" 200000, "1.5 lakh" 150000, "डेढ़ लाख" 150000, "एक लाख बीस हजार"
    120000, "₹1,20,000" 120000, "50k" 50000, "sadhe teen lakh" 350000.
    """
    words = tokens(text)
    has_digits = any(t[0].isdigit() for t in words)
    total, current, modifier, seen_number = 0.0, None, 0.0, False
    for i, token in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if token in MODIFIERS:
            modifier = MODIFIERS[token]
            continue
        number: Optional[float] = None
        if re.fullmatch(r"\d+(?:\.\d+)?", token):
            number = float(token)
        elif token in WORD_VALUES:
            # "50000 bata do": a number word that counts nothing ("do" = give)
            counts = following in MULTIPLIERS or following in WORD_VALUES or following[:1].isdigit()
            if has_digits and not counts:
                continue
            number = WORD_VALUES[token]
        if number is not None:
            seen_number = True
            current = (current or 0.0) + number
            continue
        if token in MULTIPLIERS and (current is not None or modifier):
            # "सवा लाख" = 1.25 lakh: a modifier alone means one of the unit
            base = current if current is not None else 1.0
            total += (base + modifier) * MULTIPLIERS[token]
            current, modifier, seen_number = None, 0.0, True
            continue
    if current is not None:
        total += current + modifier
    return total if seen_number else None


# Months: English, Hindi (Devanagari) and Hinglish spellings.
_MONTHS: Dict[int, Tuple[str, ...]] = {
    1: ("january", "jan", "janvari", "janwari", "janauri", "जनवरी"),
    2: ("february", "feb", "farvari", "farwari", "febuary", "फरवरी", "फ़रवरी"),
    3: ("march", "mar", "marc", "मार्च"),
    4: ("april", "apr", "aprail", "aprel", "अप्रैल", "अप्रेल"),
    5: ("may", "mai", "मई"),
    6: ("june", "jun", "joon", "जून"),
    7: ("july", "jul", "julai", "जुलाई"),
    8: ("august", "aug", "agast", "अगस्त"),
    9: ("september", "sep", "sept", "sitambar", "sitamber", "सितंबर", "सितम्बर"),
    10: ("october", "oct", "aktubar", "aktoobar", "october", "अक्टूबर", "अक्तूबर"),
    11: ("november", "nov", "navambar", "navamber", "नवंबर", "नवम्बर"),
    12: ("december", "dec", "disambar", "disamber", "दिसंबर", "दिसम्बर"),
}
MONTH_NUMBERS: Dict[str, int] = {w: m for m, words in _MONTHS.items() for w in words}
# The Hindi month names citizens read on receipts, certificates and in the chat.
# Hand-written, not Babel's: CLDR writes फ़रवरी (with a nukta) where citizens have
# always read फरवरी; the other eleven are the same. Every other language's names
# come from Babel (month_name).
HINDI_MONTHS = ("जनवरी", "फरवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर")


class DateProblem(ValueError):
    """`code`: no_date, incomplete (year or month only), invalid (31/02)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _year(raw: str, today: dt.date) -> int:
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    return year


def _make(day: int, month: int, year: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateProblem("invalid") from None


def parse_date(text: str, today: dt.date) -> dt.date:
    """A calendar date written in any usual Indian way: 12/03/1990, 12-3-90,
    12.03.1990, 1990-03-12, "12 march 1990", "१२ मार्च १९९०", "march 12, 1990",
    "23 navambar 1998", "aaj"/"आज" (today). Day before month, as in India."""
    text = ascii_digits((text or "").lower())
    text = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", text)
    if re.search(r"(^|\s)(aaj|आज|today)(\s|$)", text):
        return today
    numeric = re.search(r"(?<!\d)(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4}|\d{2})(?!\d)", text)
    if numeric:
        day, month, year = int(numeric.group(1)), int(numeric.group(2)), _year(numeric.group(3), today)
        if month > 12 and day <= 12:  # 03/25/1990 written month first
            day, month = month, day
        return _make(day, month, year)
    iso = re.search(r"(?<!\d)(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?!\d)", text)
    if iso:
        return _make(int(iso.group(3)), int(iso.group(2)), int(iso.group(1)))
    words = tokens(text)
    month_positions = [i for i, w in enumerate(words) if w in MONTH_NUMBERS]
    # "may" and "mai" are also words ("mai" = I / in): a month only next to numbers.
    for i in month_positions:
        before = words[i - 1] if i > 0 else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        after2 = words[i + 2] if i + 2 < len(words) else ""
        month = MONTH_NUMBERS[words[i]]
        if before.isdigit() and len(before) <= 2 and after.isdigit() and len(after) in (2, 4):
            return _make(int(before), month, _year(after, today))
        if after.isdigit() and len(after) <= 2 and after2.isdigit() and len(after2) == 4:
            return _make(int(after), month, int(after2))
        if after.isdigit() and len(after) == 4 or before.isdigit() and len(before) == 4:
            raise DateProblem("incomplete")
    spaced = re.search(r"(?<!\d)(\d{1,2})\s+(\d{1,2})\s+(\d{4})(?!\d)", text)
    if spaced:
        return _make(int(spaced.group(1)), int(spaced.group(2)), int(spaced.group(3)))
    compact = re.fullmatch(r"\s*(\d{2})(\d{2})(\d{4})\s*", text)  # 12031990
    if compact:
        return _make(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)))
    if re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", text):
        raise DateProblem("incomplete")
    raise DateProblem("no_date")


def month_name(month: int, language: Optional[str]) -> str:
    """ "मार्च" / "March": the name of month 1 to 12 in the language (Hindi unless the
    message catalogue has the language)."""
    lang = language_of(language)
    if lang == "hi":
        return HINDI_MONTHS[month - 1]
    return get_month_names("wide", context="stand-alone", locale=lang)[month]


def format_date(day: dt.date, language: Optional[str]) -> str:
    """ "12 मार्च 1990" / "12 March 1990"."""
    lang = language_of(language)
    if lang == "hi":
        return f"{day.day} {HINDI_MONTHS[day.month - 1]} {day.year}"
    return babel_format_date(day, "d MMMM y", locale=lang)


def month_year(day: dt.date, language: Optional[str]) -> str:
    """ "नवंबर 2025" / "November 2025"."""
    return f"{month_name(day.month, language)} {day.year}"
