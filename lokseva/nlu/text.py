"""Text normalisation and phonetic keys for Hindi, Hinglish and English chat text.

Plain functions, no Rasa: the graph components in this package call them, and
so do the tests and the benchmark.

`normalise()` returns the normalised text together with, for every character
of it, the span of the original text it came from. Tokens cut from the
normalised text can therefore carry offsets into the ORIGINAL message, which
is what Rasa's entity annotations and extracted entities refer to: features
see clean text, entities keep pointing at what the citizen typed.

`phonetic_key()` maps a word written in Devanagari or in Roman letters to a
rough consonant skeleton, so that "प्रमाण", "praman" and "parman" share one
key ("prmn"), and "है", "hai", "h" share "h".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import List, Tuple

from lokseva.text import INVISIBLE, fold

Span = Tuple[int, int]

NUKTA = "\u093c"
VIRAMA = "\u094d"
ANUSVARA = "\u0902"
CHANDRABINDU = "\u0901"
DANDAS = "\u0964\u0965"
# Punctuation kept when it sits between two letters or digits: B-1, s/o,
# 12/03/1990, 1.5 lakh, 1,20,000, JBA-2026-000123, don't.
_JOINERS = frozenset("-/.,:'_&@")


@dataclass(frozen=True)
class Normalised:
    """A normalised text and, per character, the original span it stands for."""

    text: str
    spans: Tuple[Span, ...]

    def original_span(self, start: int, end: int) -> Span:
        """The span of the original text covered by normalised text[start:end]."""
        if end <= start:
            raise ValueError("empty span")
        return self.spans[start][0], self.spans[end - 1][1]

    def as_data(self) -> dict:
        """Plain data for a Rasa message attribute (fingerprintable, JSON-able)."""
        return {"text": self.text, "spans": [list(s) for s in self.spans]}

    @classmethod
    def from_data(cls, data: dict) -> "Normalised":
        return cls(data["text"], tuple(tuple(s) for s in data["spans"]))


# A character of work in progress: (char, original start, original end).
_Chars = List[Tuple[str, int, int]]


def _is_devanagari(ch: str) -> bool:
    return "\u0900" <= ch <= "\u097f" or "\ua8e0" <= ch <= "\ua8ff"


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def _is_word_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "LMN"


def is_emoji(ch: str) -> bool:
    """Pictographs and symbols citizens use as words (🙏 👍 ✅ ❤)."""
    cp = ord(ch)
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x2B00 <= cp <= 0x2BFF
        or cp in (0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D)
    ) and not (0x1F3FB <= cp <= 0x1F3FF)  # skin-tone modifiers are not words


def _nfc_by_cluster(text: str) -> _Chars:
    """NFC per base character and its combining marks, keeping original spans."""
    out: _Chars = []
    i = 0
    n = len(text)
    while i < n:
        j = i + 1
        while j < n and _is_mark(text[j]):
            j += 1
        for ch in unicodedata.normalize("NFC", text[i:j]):
            out.append((ch, i, j))
        i = j
    return out


def _fold_chars(chars: _Chars) -> _Chars:
    """Character-level folding: invisibles, nukta, digits, case, nasal signs."""
    out: _Chars = []
    for ch, s, e in chars:
        if ch in INVISIBLE or 0x1F3FB <= ord(ch) <= 0x1F3FF:
            # Attach the dropped character to its neighbour so spans stay contiguous.
            if out:
                c0, s0, _ = out[-1]
                out[-1] = (c0, s0, max(e, out[-1][2]))
            continue
        if ch == NUKTA:
            if out:
                c0, s0, e0 = out[-1]
                out[-1] = (c0, s0, max(e, e0))
            continue
        if is_emoji(ch) and out and out[-1][0] == ch:
            c0, s0, e0 = out[-1]  # 🙏🙏🙏 says no more than 🙏
            out[-1] = (c0, s0, max(e, e0))
            continue
        if ch == CHANDRABINDU:
            ch = ANUSVARA
        elif fold(ch) != ch:  # a digit of any script, a dash of any kind
            ch = fold(ch)
        elif ch.isalpha() and not _is_devanagari(ch):
            low = ch.lower()
            if len(low) != 1:  # e.g. "İ": keep one character per original one
                low = low[0]
            ch = low
        out.append((ch, s, e))
    return out


def _punctuation(chars: _Chars) -> _Chars:
    """Turn sentence punctuation and dandas into spaces; split emoji off words."""
    out: _Chars = []
    n = len(chars)
    for k, (ch, s, e) in enumerate(chars):
        if ch in DANDAS:
            out.append((" ", s, e))
            continue
        if ch.isspace():
            out.append((" ", s, e))
            continue
        if is_emoji(ch):
            out.append((" ", s, s))
            out.append((ch, s, e))
            out.append((" ", e, e))
            continue
        cat = unicodedata.category(ch)
        if cat[0] in "PS" and cat != "Sc":
            prev_ok = k > 0 and _is_word_char(chars[k - 1][0])
            next_ok = k + 1 < n and _is_word_char(chars[k + 1][0])
            if ch in _JOINERS and prev_ok and next_ok:
                out.append((ch, s, e))
            else:
                out.append((" ", s, e))
            continue
        if cat == "Sc":  # ₹500 -> "₹ 500": the currency sign is a word of its own
            out.append((" ", s, s))
            out.append((ch, s, e))
            out.append((" ", e, e))
            continue
        out.append((ch, s, e))
    return out


def _squeeze(chars: _Chars) -> _Chars:
    """Elongations and repeated spaces: "hiiii" -> "hii", "हाााँ" -> "हाँ", "🙏🙏🙏" -> "🙏"."""
    out: _Chars = []
    run = 0
    for ch, s, e in chars:
        if out and out[-1][0] == ch:
            run += 1
        else:
            run = 1
        if out and run > 1:
            c0, s0, e0 = out[-1]
            keep = True
            if ch == " ":
                keep = False
            elif _is_mark(ch) or is_emoji(ch):
                keep = False  # a doubled matra or emoji says nothing more
            elif ch.isdigit():
                keep = True  # 000123 is data, never an elongation
            elif _is_devanagari(ch) or ch.isalpha():
                keep = run <= 2
            elif unicodedata.category(ch)[0] in "PS":
                keep = False
            if not keep:
                out[-1] = (c0, s0, max(e, e0))
                continue
        out.append((ch, s, e))
    # strip leading/trailing spaces
    while out and out[0][0] == " ":
        out.pop(0)
    while out and out[-1][0] == " ":
        out.pop()
    return out


def normalise(text: str) -> Normalised:
    """Normalises chat text for features, keeping a map back to the original.

    NFC; invisible characters (lokseva.text.INVISIBLE) and nukta removed;
    chandrabindu as anusvara; all decimal digits (Devanagari, Gujarati, ...) as
    ASCII and every dash as "-" (lokseva.text.fold); Roman letters lower
    case; dandas and sentence punctuation as spaces (punctuation inside a word
    or number is kept); emoji split off as words of their own; letters repeated
    three or more times cut to two (Roman) or one (Devanagari) and repeated
    matras, emoji and spaces to one.
    """
    chars = _squeeze(_punctuation(_fold_chars(_nfc_by_cluster(text or ""))))
    return Normalised("".join(c for c, _, _ in chars), tuple((s, e) for _, s, e in chars))


def normalise_text(text: str) -> str:
    """Only the normalised string (for dictionaries and comparisons)."""
    return normalise(text).text


def words(normalised: Normalised) -> List[Tuple[str, int, int]]:
    """Whitespace-separated words of a normalised text with their ORIGINAL spans."""
    result = []
    for m in re.finditer(r"\S+", normalised.text):
        start, end = normalised.original_span(m.start(), m.end())
        result.append((m.group(), start, end))
    return result


# --- phonetic keys -----------------------------------------------------------

# Devanagari consonants (after nukta removal) to a consonant class; vowels and
# matras carry no class (the skeleton ignores vowels).
_DEVANAGARI_CLASS = {
    "क": "k",
    "ख": "k",
    "ग": "g",
    "घ": "g",
    "ङ": "n",
    "च": "c",
    "छ": "c",
    "ज": "j",
    "झ": "j",
    "ञ": "n",
    "ट": "t",
    "ठ": "t",
    "ड": "d",
    "ढ": "d",
    "ण": "n",
    "त": "t",
    "थ": "t",
    "द": "d",
    "ध": "d",
    "न": "n",
    "ऩ": "n",
    "प": "p",
    "फ": "f",
    "ब": "b",
    "भ": "b",
    "म": "m",
    "य": "y",
    "र": "r",
    "ऱ": "r",
    "ल": "l",
    "ळ": "l",
    "ऴ": "l",
    "व": "v",
    "श": "s",
    "ष": "s",
    "स": "s",
    "ह": "h",
    "ृ": "r",
    "ऋ": "r",
    "ॠ": "r",  # mrityu: the vocalic r is written "ri" in Roman
    "ं": "n",  # anusvara: nasal, written "n" in Roman (hain, nahin, mein)
}
_DEVANAGARI_VOWELS = set("अआइईउऊएऐओऔऑऍऎऒ")

# Roman spellings to the same classes, longest first.
_ROMAN_RULES = [
    (re.compile(r"chh|ch"), "c"),
    (re.compile(r"kh"), "k"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"jh"), "j"),
    (re.compile(r"th"), "t"),
    (re.compile(r"dh"), "d"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"bh"), "b"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"c(?=[eiy])"), "s"),  # certificate, service
    (re.compile(r"ck|c|q"), "k"),  # cast, check
    (re.compile(r"x"), "ks"),
    (re.compile(r"w"), "v"),
    (re.compile(r"z"), "j"),
]


def _roman_key(word: str) -> str:
    if not any(c not in "aeiou" for c in word):
        return _collapse(word)  # "aai", "a", "ee": the vowels are the word
    initial_vowel = word[0] in "aeiou"
    for pattern, repl in _ROMAN_RULES:
        word = pattern.sub(repl, word)
    skeleton = []
    for i, ch in enumerate(word):
        if ch in "aeiou":
            continue
        if ch == "y" and i > 0 and word[i - 1] not in "aeiou" and i == len(word) - 1:
            continue  # final y after a consonant is a vowel: "city"
        skeleton.append(ch)
    return ("a" if initial_vowel else "") + "".join(skeleton)


_DEVANAGARI_VOWEL_SOUND = {
    "अ": "a",
    "आ": "a",
    "ा": "a",
    "इ": "i",
    "ई": "i",
    "ि": "i",
    "ी": "i",
    "उ": "u",
    "ऊ": "u",
    "ु": "u",
    "ू": "u",
    "ए": "e",
    "ऐ": "ai",
    "े": "e",
    "ै": "ai",
    "ओ": "o",
    "औ": "o",
    "ो": "o",
    "ौ": "o",
    "ऑ": "o",
    "ॉ": "o",
}


def _devanagari_key(word: str) -> str:
    if not any(ch in _DEVANAGARI_CLASS for ch in word):
        return _collapse("".join(_DEVANAGARI_VOWEL_SOUND.get(ch, "") for ch in word)) or word
    initial_vowel = word[0] in _DEVANAGARI_VOWELS
    skeleton = []
    for ch in word:
        cls = _DEVANAGARI_CLASS.get(ch)
        if cls:
            skeleton.append(cls)
    return ("a" if initial_vowel else "") + "".join(skeleton)


def _collapse(key: str) -> str:
    return re.sub(r"(.)\1+", r"\1", key)


@functools.lru_cache(maxsize=65536)
def phonetic_key(word: str) -> str:
    """A rough consonant skeleton shared by Devanagari and Roman spellings of a word.

    Aspiration, retroflexion, sibilants and vowel length are ignored; a word that
    starts with a vowel gets a leading "a"; doubled consonants collapse. Digits
    become "0", so every number shares one key. Words in other scripts (emoji)
    are their own key.
    """
    word = normalise_text(word).replace(" ", "")
    if not word:
        return ""
    if word.isdigit():
        return "0"
    parts: List[str] = []
    for chunk in re.findall(r"[0-9]+|[a-z]+|[\u0900-\u097f]+|[^0-9a-z\u0900-\u097f]+", word):
        if chunk.isdigit():
            parts.append("0")
        elif chunk[0].isascii() and chunk[0].isalpha():
            parts.append(_roman_key(chunk))
        elif _is_devanagari(chunk[0]):
            parts.append(_devanagari_key(chunk))
        else:
            parts.append(chunk if not all(c in "-/.,:'_&@" for c in chunk) else "")
    key = _collapse("".join(parts))
    return key or word
