"""Reading the citizen's answers from raw text, whatever the NLU extracted.

Every parser takes the message text and returns a canonical value, or raises
InvalidInput whose `code` selects a specific, polite answer
(applications.invalid in lokseva/messages/). Numbers and dates: numbers.py.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any, Optional, Sequence, Tuple

from lokseva.applications.numbers import (
    WORD_CHARS,
    DateProblem,
    amount_in_words,
    parse_date as _parse_date,
    tokens,
)
from lokseva.districts import District, Tehsil, all_districts
from lokseva.districts.pins import district_of_pin
from lokseva.nlu.service_dictionary import within_one_edit
from lokseva.nlu.text import normalise_text, phonetic_key
from lokseva.privacy.aadhaar import AadhaarError, validate_aadhaar
from lokseva.text import ascii_digits, without_invisible

# Longest answer we read; anything longer is surely not a name or a number.
MAX_ANSWER_CHARS = 300
# A year's income above this is surely a typing slip (₹10 crore).
MAX_ANNUAL_INCOME_PAISE = 10_000_000 * 100 * 10
MIN_ANNUAL_INCOME_PAISE = 1_000 * 100
MP_PIN_PREFIXES = ("45", "46", "47", "48")
OLDEST_AGE_YEARS = 120


class InvalidInput(ValueError):
    """An answer that cannot be used. `code` picks the message; `params` fill it."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def normalize(text: Optional[str]) -> str:
    """NFC, no zero-width characters or variation selectors, single spaces."""
    text = unicodedata.normalize("NFC", text or "")
    text = without_invisible(text)
    return re.sub(r"\s+", " ", text).strip()


def has_content(text: str) -> bool:
    """False for an empty, punctuation-only or emoji-only message."""
    return bool(re.search(rf"[{WORD_CHARS}0-9०-९]", text))


def answer_text(text: Optional[str]) -> str:
    """The message, normalized, or InvalidInput for empty and huge messages."""
    text = normalize(text)
    if not has_content(text):
        raise InvalidInput("empty")
    if len(text) > MAX_ANSWER_CHARS:
        raise InvalidInput("too_long", limit=MAX_ANSWER_CHARS)
    return text


def words_of(text: str) -> Tuple[str, ...]:
    return tuple(tokens(normalize(text)))


# ---------------------------------------------------------------- choices


def choice_number(text: str, count: int) -> Optional[int]:
    """0-based index when the message is just a menu number ("2", "२", "2.")."""
    match = re.fullmatch(r"\s*(?:no\.?|number|नंबर|option)?\s*([0-9०-९]{1,2})\s*[.)]?\s*", normalize(text).lower())
    if not match:
        return None
    number = int(ascii_digits(match.group(1)))
    return number - 1 if 1 <= number <= count else None


_YES = {
    "haan",
    "han",
    "haa",
    "ha",
    "hn",
    "hnn",
    "haanji",
    "ji",
    "jee",
    "yes",
    "y",
    "yeah",
    "yep",
    "ok",
    "okay",
    "theek",
    "thik",
    "thick",
    "sahi",
    "bilkul",
    "jarur",
    "zaroor",
    "jaroor",
    "confirm",
    "sure",
    "done",
    "हाँ",
    "हां",
    "हा",
    "जी",
    "ठीक",
    "सही",
    "बिल्कुल",
    "बिलकुल",
    "ज़रूर",
    "जरूर",
    "पक्का",
    "pakka",
}
_NO = {"nahi", "nahin", "nhi", "nai", "na", "no", "nope", "mat", "नहीं", "नही", "ना", "मत", "galat", "गलत", "ग़लत"}
_YES_SYMBOLS = ("✅", "👍", "✔")
_NO_SYMBOLS = ("❌", "👎", "✖")


def yes_or_no(text: str) -> Optional[bool]:
    """True / False for a yes or no in any script, None when unclear.
    A "no" anywhere wins: "sahi nahi hai" is a no."""
    words = set(words_of(text.lower()))
    if words & _NO or any(s in text for s in _NO_SYMBOLS):
        return False
    if words & _YES or any(s in text for s in _YES_SYMBOLS):
        return True
    return None


# ---------------------------------------------------------------- names and places

_NAME_CHARS = re.compile(rf"^[{WORD_CHARS} .'\-]+$")
_NOT_NAME_WORDS = {
    "kya",
    "kyu",
    "kyon",
    "kaise",
    "kese",
    "kab",
    "kitna",
    "kitni",
    "kaha",
    "kahan",
    "what",
    "how",
    "when",
    "why",
    "where",
    "which",
    "fees",
    "fee",
    "status",
    "certificate",
    "praman",
    "pramanpatra",
    "apply",
    "क्या",
    "कैसे",
    "कब",
    "कितना",
    "कितनी",
    "कहाँ",
    "क्यों",
    "फीस",
    "प्रमाण",
    "आवेदन",
    "स्थिति",
    "hello",
    "hi",
    "namaste",
    "नमस्ते",
    "menu",
    "मेनू",
    "banwana",
    "banana",
    "banwani",
    "chahiye",
    "karna",
    "patra",
    "patr",
    "pramanpatr",
    "बनवाना",
    "चाहिए",
    "करना",
    "पत्र",
    "प्रमाणपत्र",
    "help",
    "madad",
    "मदद",
}
_RELATION_WORDS = (
    r"pita|pitaji|papa|father|father's|fathers|pati|husband|husband's|पिता|पिताजी|पापा|पति|"
    r"beti|beta|bete|bachche|bacche|child|बेटी|बेटा|बेटे|बच्चे|बच्ची|mritak|मृतक|deceased|"
    r"maa|mata|mataji|mother|mother's|माँ|मां|माता|माताजी"
)
_NAME_PREFIX = re.compile(
    r"^(?:(?:mera|meri|mere|my|apna|apne|मेरा|मेरी|मेरे|अपना|अपने)\s+)?"
    rf"(?:(?:{_RELATION_WORDS})\s*(?:ji|जी)?\s*(?:ka|ki|ke|का|की|के)?\s+)?"
    r"(?:naam|name|nam|नाम)(?=\s|$|:)\s*(?:hai|is|he|h|है|:|-)?(?=\s|$)\s*",
    re.IGNORECASE,
)
# "पिता स्वर्गीय थावरा", "papa ji kalu": a leading relation word before the name
_LEADING_RELATION = re.compile(rf"^(?:{_RELATION_WORDS})\s*(?:ji|जी)?\s*(?:ka|ki|ke|का|की|के)?\s+", re.IGNORECASE)
_SELF_PREFIX = re.compile(r"^(?:main|mai|me|मैं|मै|i am|i'm)\s+", re.IGNORECASE)
_TITLE = re.compile(r"^(?:shri|sri|shree|smt|kumari|km|mr|mrs|ms|श्री|श्रीमती|कुमारी|सुश्री)\.?\s+", re.IGNORECASE)
_TRAILER = re.compile(r"\s+(?:hai|hain|h|hu|hoon|hun|he|है|हैं|हूँ|हूं|हु|ji|जी)$", re.IGNORECASE)
# "raju s/o mangu", "सीता पत्नी रामलाल": a name followed by a relation.
_RELATION_SPLIT = re.compile(
    r"\s+(?:(s|d|w|c)\s*/\s*o|son of|daughter of|wife of|putra|putri|patni|पुत्र|पुत्री|पत्नी|"
    r"पिता|pita|father|पति|pati|husband)\s*(?:shri|श्री)?\.?\s+",
    re.IGNORECASE,
)


def _tidy_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name.strip(" .,-:'\"")).strip()
    if re.search(r"[A-Za-z]", name) and (name.islower() or name.isupper()):
        name = " ".join(part.capitalize() for part in name.split(" "))
    return name


def parse_name(text: str) -> str:
    """A person's name: "mera naam ramesh bhuriya hai" -> "Ramesh Bhuriya"."""
    text = answer_text(text)
    name = _NAME_PREFIX.sub("", text, count=1)
    name = _SELF_PREFIX.sub("", name, count=1)
    name = _TRAILER.sub("", name)
    name = _RELATION_SPLIT.split(name, maxsplit=1)[0]
    name = _TITLE.sub("", name.strip())
    name = _tidy_name(name)
    if re.search(r"[0-9०-९]", name):
        raise InvalidInput("name_digits")
    if not name or not _NAME_CHARS.match(name) or len(re.sub(rf"[^{WORD_CHARS}]", "", name)) < 2:
        raise InvalidInput("name_letters")
    words = name.lower().split()
    if len(words) > 6 or len(name) > 60:
        raise InvalidInput("name_too_long")
    if set(words) & _NOT_NAME_WORDS:
        raise InvalidInput("not_a_name")
    return name


_CONNECTOR = re.compile(
    r"\s+(?:(?:s|d|w|c)\s*/\s*o|son of|daughter of|wife of|putra|putri|patni|पुत्र|पुत्री|पत्नी)\s+", re.IGNORECASE
)


def parse_relative(text: str) -> Tuple[str, str]:
    """(name, relation) for the father's or husband's name; relation is
    "husband" when the message says so (pati, husband, w/o), else "father"."""
    text = answer_text(text)
    lowered = text.lower()
    relation = (
        "husband"
        if re.search(r"(^|\s)(pati|husband|husband's|पति|w\s*/\s*o|wife of|patni|पत्नी)(\s|$)", lowered)
        else "father"
    )
    # "raju s/o mangu damor" given here: the relative is after the connector
    parts = _CONNECTOR.split(text, maxsplit=1)
    candidate = parts[-1] if len(parts) > 1 and parts[-1].strip() else text
    candidate = _NAME_PREFIX.sub("", candidate, count=1)
    candidate = _LEADING_RELATION.sub("", candidate, count=1)
    return parse_name(candidate), relation


def split_self_and_relative(text: str) -> Optional[Tuple[str, str, str]]:
    """ "raju s/o mangu damor" -> ("Raju", "Mangu Damor", "father"), else None."""
    match = _RELATION_SPLIT.search(normalize(text))
    if not match:
        return None
    try:
        name = parse_name(normalize(text)[: match.start()])
        relative, _ = parse_relative(normalize(text)[match.end() :])
    except InvalidInput:
        return None
    kind = (match.group(0) or "").lower()
    relation = "husband" if re.search(r"w\s*/\s*o|wife|patni|पत्नी|पति|pati|husband", kind) else "father"
    return name, relative, relation


_PLACE_PREFIX = re.compile(
    r"^(?:(?:mera|meri|hamara|hamari|मेरा|मेरी|हमारा|हमारी)\s+)?"
    r"(?:gaon|gav|gaav|gram|village|ग्राम|गाँव|गांव|गाव)\s*(?:ka\s+naam|का\s+नाम)?\s*(?:hai|है|:|-)?\s+",
    re.IGNORECASE,
)


_TEHSIL_PART = re.compile(r"(?i)[\s,]+(?:tehsil|tahsil|तहसील)\s*[:\-]?\s*(.+)$")


def split_tehsil(text: str) -> Tuple[str, Optional[str]]:
    """ "village karwad tehsil petlawad" -> ("village karwad", "petlawad")."""
    text = normalize(text)
    match = _TEHSIL_PART.search(text)
    if not match or not match.start():
        return text, None
    return text[: match.start()], match.group(1)


# "Raipuria gaon", "पिटोल गाँव में": the word for village after the name.
_PLACE_SUFFIX = re.compile(
    r"\s+(?:gaon|gav|gaav|gram|village|ग्राम|गाँव|गांव|गाव)(?:\s+(?:me|mein|main|में|से|se))?$", re.IGNORECASE
)


def parse_place(text: str) -> str:
    """A village, ward or place: "gaon pitol" -> "Pitol", "Raipuria gaon" -> "Raipuria";
    digits allowed (ward no 7)."""
    text = answer_text(text)
    place = _PLACE_PREFIX.sub("", text, count=1)
    place = _TRAILER.sub("", place).strip(" .,-:")
    place = _PLACE_SUFFIX.sub("", place).strip(" .,-:")
    if len(re.sub(rf"[^{WORD_CHARS}]", "", place)) < 2:
        raise InvalidInput("place_letters")
    if len(place) > 100:
        raise InvalidInput("too_long", limit=100)
    # a place name is capitalized like a name; a description ("ghar pe hua") is kept as written
    return _tidy_name(place) if len(place.split()) <= 3 and not re.search(r"\d", place) else place.strip()


def parse_tehsil(text: str, tehsils: Sequence[Tehsil]) -> str:
    """One of the district's tehsils (by number, or by name in either script,
    loosely spelled), or the name as written."""
    index = choice_number(text, len(tehsils))
    if index is not None:
        return tehsils[index].en
    text = answer_text(text)
    cleaned = re.sub(r"(?i)^(?:tehsil|tahsil|तहसील)\s*[:\-]?\s*", "", text)
    cleaned = re.sub(r"(?i)\s*(?:tehsil|tahsil|तहसील)$", "", cleaned)
    cleaned = _TRAILER.sub("", cleaned).strip(" .,-:")
    tehsil = named_tehsil(cleaned, tehsils)
    return tehsil.en if tehsil else parse_place(cleaned)


_DISTRICT_WORDS = re.compile(r"(?i)\b(?:zila|zilla|jila|jilla|district|dist|distt)\b|ज़िला|जिला|ज़िले|जिले|ज़िल्ला|जिल्ला")


def parse_district(text: str) -> District:
    """The district a citizen names (either script, a slip of a letter, an old
    name such as होशंगाबाद) or whose PIN code they send."""
    text = answer_text(text)
    pins = [r for r in _digit_runs(re.sub(r"(?<=\d)[ \-](?=\d)", "", text)) if len(r) == 6]
    cleaned = _DISTRICT_WORDS.sub(" ", text)
    district = named_place(cleaned, all_districts())
    if district is not None:
        return district
    if pins:
        district = district_of_pin(pins[0])
        if district is None:
            raise InvalidInput("district_pin_unknown", pin=pins[0])
        return district
    raise InvalidInput("district_unknown")


# A tehsil's name matches in either script and loosely spelled: the same phonetic
# key (lokseva.nlu: "थांदला", "thandla", "thandala" are all "tndl"); one slip in a
# name of at least TYPO_MIN_LETTERS letters ("jhabuaa", "झबुआ", "मेगनगर"); or one
# consonant left out inside a longer key ("पेटलाद" for पेटलावद, "thadla"). A short
# key ("jb", "rm") is shared by everyday words ("jab", "जब"), so it counts only
# when it is the whole answer and about as long as the name in the same script
# ("जबुआ", "raam").
TYPO_MIN_LETTERS = 5
SHORT_KEY = 2


def _same_name(word: str, name: str, alone: bool) -> bool:
    return word == name


def _same_key(word: str, name: str, alone: bool) -> bool:
    key = phonetic_key(name)
    if phonetic_key(word) != key:
        return False
    return len(key) > SHORT_KEY or (alone and word.isascii() == name.isascii() and len(word) >= len(name) - 1)


def _one_slip(word: str, name: str, alone: bool) -> bool:
    if len(name) >= TYPO_MIN_LETTERS and within_one_edit(word, name):
        return True
    key, mine = phonetic_key(name), phonetic_key(word)
    return (
        len(key) > SHORT_KEY + 1
        and len(mine) == len(key) - 1
        and within_one_edit(mine, key)
        and (mine[0], mine[-1]) == (key[0], key[-1])
    )  # the missing consonant is inside


def named_tehsil(text: str, tehsils: Sequence[Tehsil]) -> Optional[Tehsil]:
    """The tehsil the text names, or None (see named_place)."""
    return named_place(text, tehsils)


def named_place(text: str, places: Sequence[Any]) -> Optional[Any]:
    """The place (a tehsil, a district: anything with `spellings`) the text
    names, or None. The closest kind of match wins; among equally close ones
    the first named word, and a word close to two places names none."""
    words = normalise_text(text).split()
    whole = " ".join(words)
    names = [(place, normalise_text(name)) for place in places for name in place.spellings]
    for tehsil, name in names:
        if whole == name:  # also a name of several words
            return tehsil
    for matches in (_same_name, _same_key, _one_slip):
        for word in words:
            found = {tehsil for tehsil, name in names if matches(word, name, alone=len(words) == 1)}
            if len(found) == 1:
                return found.pop()
    return None


# ---------------------------------------------------------------- choices with meaning

_GENDERS = {
    "male": {
        "male",
        "m",
        "purush",
        "purus",
        "aadmi",
        "admi",
        "mard",
        "ladka",
        "larka",
        "beta",
        "man",
        "boy",
        "पुरुष",
        "आदमी",
        "मर्द",
        "लड़का",
        "लडका",
        "बेटा",
        "पु",
    },
    "female": {
        "female",
        "f",
        "mahila",
        "aurat",
        "stri",
        "istri",
        "ladki",
        "larki",
        "beti",
        "woman",
        "girl",
        "lady",
        "महिला",
        "औरत",
        "स्त्री",
        "लड़की",
        "लडकी",
        "बेटी",
        "म",
    },
    "other": {"other", "anya", "transgender", "third", "kinnar", "अन्य", "किन्नर", "ट्रांसजेंडर"},
}
GENDER_ORDER = ("male", "female", "other")


def parse_gender(text: str) -> str:
    index = choice_number(text, len(GENDER_ORDER))
    if index is not None:
        return GENDER_ORDER[index]
    words = set(words_of(answer_text(text).lower()))
    found = [g for g, names in _GENDERS.items() if words & names]
    if len(found) != 1:
        raise InvalidInput("gender")
    return found[0]


CASTE_ORDER = ("SC", "ST", "OBC")
_ST = re.compile(
    r"(^|\s)(st|s\.t\.?|janjati|jan jati|anusuchit janjati|adivasi|aadivasi|tribe|tribal|scheduled tribe|"
    r"bhil|bheel|bhilala|patelia|pateliya|जनजाति|अनुसूचित जनजाति|आदिवासी|भील|भिलाला|पटेलिया|अजजा)(\s|$)"
)
_SC = re.compile(r"(^|\s)(sc|s\.c\.?|anusuchit jati|anusuchit jaati|scheduled caste|dalit|अनुसूचित जाति|दलित|अजा)(\s|$)")
_OBC = re.compile(
    r"(^|\s)(obc|o\.b\.c\.?|pichhda|pichda|pichada|pichhda varg|backward|other backward|"
    r"पिछड़ा|पिछडा|पिछड़ा वर्ग|अन्य पिछड़ा वर्ग|अपिव)(\s|$)"
)
_GENERAL = re.compile(r"(^|\s)(general|gen|samanya|saamanya|सामान्य|जनरल|unreserved)(\s|$)")


def parse_caste_category(text: str) -> str:
    """SC, ST or OBC, from words in Hindi or English (a Jhabua tribe name means ST)."""
    index = choice_number(text, len(CASTE_ORDER))
    if index is not None:
        return CASTE_ORDER[index]
    lowered = " ".join(words_of(answer_text(text).lower())) + " " + answer_text(text).lower()
    if _ST.search(lowered):
        return "ST"
    if _SC.search(lowered):
        return "SC"
    if _OBC.search(lowered):
        return "OBC"
    if _GENERAL.search(lowered):
        raise InvalidInput("caste_general")
    raise InvalidInput("caste_category")


# ---------------------------------------------------------------- numbers

_MONTHLY = re.compile(
    r"(^|\s)(mahina|mahine|mahino|maheena|month|monthly|per month|pm|महीना|महीने|माह|मासिक|महिना|महिने)(\s|$)"
)


def parse_income(text: str) -> Tuple[int, bool]:
    """(annual income in paise, given_monthly). A monthly figure is multiplied by 12."""
    text = answer_text(text)
    lowered = text.lower()
    if re.search(r"(^|\s)(koi|कोई)\s+(aay|aamdani|income|आय|आमदनी)\s+(nahi|nahin|नहीं|नही)", lowered):
        return 0, False
    rupees = amount_in_words(lowered)
    if rupees is None:
        raise InvalidInput("income_no_amount")
    monthly = bool(_MONTHLY.search(" ".join(words_of(lowered))))
    paise = int(round(rupees * 100)) * (12 if monthly else 1)
    if paise == 0:
        return 0, monthly
    if paise < MIN_ANNUAL_INCOME_PAISE:
        raise InvalidInput("income_too_small", amount=paise)
    if paise > MAX_ANNUAL_INCOME_PAISE:
        raise InvalidInput("income_too_large", amount=paise)
    return paise, monthly


def _digit_runs(text: str) -> list:
    return re.findall(r"\d+", ascii_digits(text))


def parse_pin(text: str) -> str:
    """A Madhya Pradesh PIN code: six digits starting with 45 to 48."""
    text = answer_text(text)
    runs = [r for r in _digit_runs(re.sub(r"(?<=\d)[ \-](?=\d)", "", text))]
    if not runs:
        raise InvalidInput("pin_missing")
    six = [r for r in runs if len(r) == 6]
    if not six:
        raise InvalidInput("pin_length", digits=len(max(runs, key=len)))
    pin = six[0]
    if not pin.startswith(MP_PIN_PREFIXES):
        raise InvalidInput("pin_not_mp", pin=pin)
    return pin


def parse_aadhaar(text: str) -> str:
    """The 12 digits of a valid Aadhaar number (never logged, never stored clear)."""
    text = answer_text(text)
    try:
        return validate_aadhaar(text)
    except AadhaarError as error:
        if error.code == "no_digits":
            raise InvalidInput("aadhaar_missing") from None
        if error.code == "length":
            raise InvalidInput("aadhaar_length", digits=error.digits) from None
        if error.code == "first_digit":
            raise InvalidInput("aadhaar_first_digit") from None
        raise InvalidInput("aadhaar_checksum") from None


# Identity proofs other than Aadhaar, as printed on the card.
_VOTER_ID = re.compile(r"(?<![A-Z0-9])([A-Z]{3}[0-9]{7})(?![A-Z0-9])")
_PAN = re.compile(r"(?<![A-Z0-9])([A-Z]{5}[0-9]{4}[A-Z])(?![A-Z0-9])")
_PROOF_WORDS = {
    "aadhaar": {"aadhaar", "aadhar", "adhar", "adhaar", "आधार"},
    "voter_id": {"voter", "votar", "vote", "epic", "matdata", "matdan", "election", "वोटर", "मतदाता", "मतदान", "चुनाव"},
    "pan": {"pan", "पैन", "पेन"},
}
# "nahi hai", "aadhaar nahi hai", "no aadhaar", "छोड़ें": nothing given.
_SKIP = {
    "yet",
    "chhodo",
    "chodo",
    "chhod",
    "chhode",
    "chhoden",
    "skip",
    "pass",
    "छोड़ो",
    "छोड़ें",
    "छोडो",
    "छोड़",
    "छोड़े",
    "baad",
    "बाद",
}


# Words that make a "no" a stop of the whole form ("abhi nahi karna", "band karo"),
# not the skip of one question ("अभी नहीं" to the child's name).
_STOP = {
    "band",
    "bandh",
    "बंद",
    "stop",
    "cancel",
    "radd",
    "रद्द",
    "roko",
    "rok",
    "ruko",
    "रुको",
    "रुकें",
    "रोको",
    "रोक",
    "रोकें",
    "khatam",
    "खत्म",
    "ख़त्म",
    "karna",
    "karni",
    "करना",
    "करनी",
    "bharna",
    "भरना",
    "aavedan",
    "avedan",
    "आवेदन",
    "form",
    "फॉर्म",
    "फ़ॉर्म",
}


def says_stop(text: str) -> bool:
    """The citizen wants the whole form stopped ("abhi nahi karna", "form band karo")."""
    return bool(set(words_of(answer_text(text).lower())) & _STOP)


def says_none(text: str) -> bool:
    """The citizen has no answer to give ("nahi hai", "आधार नहीं है", "skip", "छोड़ें")."""
    text = answer_text(text)
    if re.search(r"[0-9]", ascii_digits(text)):
        return False
    words = set(words_of(text.lower()))
    return bool(words & (_NO | _SKIP | {"none", "nothing"}))


def identity_number(text: str) -> Optional[Tuple[str, str]]:
    """A voter card (EPIC) or PAN number in the text: ("voter_id", "ABC1234567")."""
    upper = normalize(text).upper()
    # "mera pan ABCDE1234F hai", or the number alone with spaces: "abc 1234567"
    candidates = [upper, *([compact] if len(compact := re.sub(r"[\s\-]", "", upper)) <= 12 else [])]
    for candidate in candidates:
        for kind, pattern in (("pan", _PAN), ("voter_id", _VOTER_ID)):
            match = pattern.search(candidate)
            if match:
                return kind, match.group(1)
    return None


def parse_identity_proof(text: str, offered: Sequence[str]) -> str:
    """Which of the `offered` proofs the citizen has: a number from the list or its name."""
    index = choice_number(text, len(offered))
    if index is not None:
        return offered[index]
    words = set(words_of(answer_text(text).lower()))
    found = [kind for kind in offered if words & _PROOF_WORDS[kind]]
    if len(found) != 1:
        raise InvalidInput("identity_proof")
    return found[0]


def parse_identity_number(text: str, kind: str) -> str:
    """The number of a voter card or PAN card, checked against how it is printed."""
    found = identity_number(answer_text(text))
    if found is None or found[0] != kind:
        raise InvalidInput(f"{kind}_format")
    return found[1]


def parse_date(text: str, today: dt.date) -> dt.date:
    try:
        return _parse_date(answer_text(text), today)
    except DateProblem as problem:
        raise InvalidInput(f"date_{problem.code}") from None


def parse_past_date(text: str, today: dt.date, oldest_years: int = OLDEST_AGE_YEARS) -> dt.date:
    """A date that has happened: not in the future, not absurdly old."""
    day = parse_date(text, today)
    if day > today:
        raise InvalidInput("date_future")
    if day.year < today.year - oldest_years:
        raise InvalidInput("date_too_old", years=oldest_years)
    return day


_KHASRA = re.compile(r"(?<![0-9])([0-9]{1,5}(?:\s*[/\-]\s*[0-9]{1,4})*(?:\s*/\s*[A-Za-zक-ह])?)(?![0-9])")


def parse_khasra(text: str) -> str:
    """A khasra or khata number: "खसरा नंबर २४५/२" -> "245/2"."""
    text = ascii_digits(answer_text(text))
    match = _KHASRA.search(text)
    if not match:
        raise InvalidInput("khasra_missing")
    return re.sub(r"\s+", "", match.group(1))


# ---------------------------------------------------------------- corrections

_CORRECTION = re.compile(
    r"(^|\s)(galat|galt|gallat|ghalat|गलत|ग़लत|badalna|badalni|badlna|badalana|badlo|badle|बदलना|बदलनी|बदलो|"
    r"बदलें|sudharna|sudhar|sudharo|सुधार|सुधारना|सुधारें|change|wrong|edit|mistake|galti|गलती|"
    r"theek karna|thik karna|ठीक करना|sahi karna|सही करना)(\s|$)"
)
_NOT_RIGHT = re.compile(r"(^|\s)(sahi|theek|thik|सही|ठीक)\s+(nahi|nahin|nhi|नहीं|नही)(\s|$)")

# Which field a correction names; the first match wins, so specific before general.
CORRECTION_KEYWORDS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("relative_name", ("pita", "pitaji", "papa", "father", "pati", "husband", "पिता", "पिताजी", "पापा", "पति")),
    ("father_name", ("pita", "pitaji", "papa", "father", "पिता", "पिताजी", "पापा")),
    ("mother_name", ("maa", "mata", "mataji", "mummy", "mother", "माँ", "मां", "माता", "माताजी", "मम्मी")),
    (
        "subject_name",
        (
            "bachche",
            "bacche",
            "bachcha",
            "beta",
            "beti",
            "child",
            "mritak",
            "deceased",
            "बच्चे",
            "बच्चा",
            "बेटा",
            "बेटी",
            "मृतक",
        ),
    ),
    (
        "date_of_birth",
        ("janm tithi", "janmtithi", "dob", "date of birth", "birth date", "जन्म तिथि", "जन्मतिथि", "umar", "age", "उम्र"),
    ),
    ("event_date", ("tarikh", "tareekh", "date", "तारीख", "दिनांक")),
    ("event_place", ("jagah", "place", "sthan", "जगह", "स्थान", "अस्पताल", "hospital")),
    ("khasra_number", ("khasra", "khata", "खसरा", "खाता")),
    ("annual_income", ("aay", "income", "aamdani", "amdani", "आय", "आमदनी", "kamai", "कमाई")),
    ("caste_category", ("jati", "jaati", "caste", "category", "varg", "जाति", "वर्ग", "श्रेणी")),
    ("address_pin", ("pin", "pincode", "पिन", "पिनकोड")),
    ("aadhaar", ("aadhar", "aadhaar", "adhar", "आधार")),
    ("identity_number", ("voter", "pan", "वोटर", "पैन", "pehchan", "पहचान")),
    ("address_tehsil", ("tehsil", "tahsil", "तहसील")),
    ("address_village", ("gaon", "gav", "village", "ward", "pata", "address", "गाँव", "गांव", "वार्ड", "पता")),
    ("gender", ("ling", "gender", "लिंग")),
    ("applicant_name", ("naam", "nam", "name", "नाम")),
)


def is_correction(text: str) -> bool:
    """The citizen says something already given is wrong ("naam galat hai")."""
    lowered = " ".join(words_of(normalize(text).lower()))
    return bool(_CORRECTION.search(lowered) or _NOT_RIGHT.search(lowered))


def field_named(text: str, candidates: Sequence[str]) -> Optional[str]:
    """The field among `candidates` that `text` names, or None."""
    lowered = " " + " ".join(words_of(normalize(text).lower())) + " "
    for field, words in CORRECTION_KEYWORDS:
        if field not in candidates:
            continue
        if any(f" {w} " in lowered for w in words):
            # in a land-record application "gaon" means the land's village
            if field == "address_village" and "land_village" in candidates:
                return "land_village"
            return field
    return None
