"""Text on WhatsApp: what the citizen typed, and what the bot sends.

- `normalise_text`: the first clean-up before the NLU (NFC, no zero-width or
  control characters, no intent payloads typed by hand, trimmed). The NLU
  pipeline normalises further (digits, spelling).
- `split_text`: Twilio refuses a body over 1,600 characters (error 21617); long
  answers are cut at paragraph, line, sentence or danda (।) boundaries.
- `render_buttons` / `match_button_reply`: WhatsApp free-form messages have no
  buttons, so buttons become a numbered list, and a reply such as "2", "२",
  "dusra", "दूसरा", "second" or a button's title is mapped back to its payload.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Dict, Iterable, List, Optional, Sequence

from lokseva.text import ascii_digits, without_invisible

MAX_BODY_CHARS = 1600

_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")


def normalise_text(text: Optional[str]) -> str:
    """The citizen's text as the NLU should see it."""
    text = without_invisible(unicodedata.normalize("NFC", text or ""))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    text = _HORIZONTAL_SPACE.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    # "/intent" is Rasa's syntax for a payload: only the channel itself may send one.
    return text.lstrip("/").strip()


# ---------------------------------------------------------------- splitting


def utf16_len(text: str) -> int:
    """Length as Twilio counts it (UTF-16 code units: an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


_SENTENCE_END = re.compile(r"[।॥]|[.?!](?=\s)")


def _fitting_prefix(text: str, limit: int) -> int:
    """The largest n such that text[:n] fits in `limit` UTF-16 units."""
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return i
    return len(text)


def _cut_position(text: str, limit: int) -> int:
    n = _fitting_prefix(text, limit)
    window = text[:n]
    floor = n // 3  # never leave a tiny first part when a better cut exists
    for pattern in ("\n\n", "\n"):
        at = window.rfind(pattern)
        if at > floor:
            return at
    ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() > floor]
    if ends:
        return ends[-1]
    at = max(window.rfind(" "), window.rfind("\t"))
    if at > floor:
        return at
    # No boundary at all: cut hard, but never separate a matra or virama from its letter.
    while n > 1 and unicodedata.category(text[n])[0] == "M":
        n -= 1
    return n


def split_text(text: str, limit: int = MAX_BODY_CHARS) -> List[str]:
    """Parts of at most `limit` characters, cut at the most natural boundary."""
    text = (text or "").strip()
    parts: List[str] = []
    while utf16_len(text) > limit:
        cut = _cut_position(text, limit)
        head, text = text[:cut].rstrip(), text[cut:].lstrip()
        if head:
            parts.append(head)
    if text:
        parts.append(text)
    return parts


# ---------------------------------------------------------------- buttons


def render_buttons(text: Optional[str], buttons: Sequence[Dict]) -> str:
    """The message text followed by the buttons as "1. …" lines."""
    lines = "\n".join(f"{i}. {b.get('title', '')}".rstrip() for i, b in enumerate(buttons, 1))
    return f"{text.rstrip()}\n\n{lines}" if text and text.strip() else lines


def stored_buttons(buttons: Iterable[Dict]) -> List[Dict[str, str]]:
    """What we remember of buttons: the title and the payload (the title if none)."""
    return [{"title": str(b.get("title", "")), "payload": str(b.get("payload") or b.get("title", ""))} for b in buttons]


_ORDINALS: Dict[int, str] = {
    1: "1st first one ek pehla pahla pehli pahli pehle pahle पहला पहली पहले एक",
    2: "2nd second two do dusra doosra dusri doosri dusre doosre दूसरा दूसरी दूसरे दो",
    3: "3rd third three teen tin teesra tisra teesri tisri तीसरा तीसरी तीसरे तीन",
    4: "4th fourth four char chaar chautha chotha chauthi चौथा चौथी चौथे चार",
    5: "5th fifth five panch paanch panchva panchwa paanchva panchvi पाँचवाँ पांचवां पाँचवा पांचवा पाँचवीं पांचवी पाँच पांच",
    6: "6th sixth six chhah chhe cheh chhata chhatha chata छठा छठी छठे छह छः",
    7: "7th seventh seven saat sat satva saatva satwa सातवाँ सातवां सातवा सातवीं सात",
    8: "8th eighth eight aath ath athva aathva athwa आठवाँ आठवां आठवा आठवीं आठ",
    9: "9th ninth nine nau nauva nova nauwa नौवाँ नौवां नौवा नौवीं नौ",
    10: "10th tenth ten das dasva daswa dasvan दसवाँ दसवां दसवा दसवीं दस",
}
_ORDINAL_LOOKUP = {word: n for n, words in _ORDINALS.items() for word in words.split()}
# Words around a choice that do not change it: "2 number", "option 3", "pehla wala".
_FILLERS = frozenset(
    [
        "number",
        "no",
        "num",
        "nu",
        "nmbr",
        "option",
        "opt",
        "choice",
        "wala",
        "wali",
        "wale",
        "vala",
        "vali",
        "vale",
        "ka",
        "ki",
        "ke",
        "नंबर",
        "नम्बर",
        "नं",
        "विकल्प",
        "वाला",
        "वाली",
        "वाले",
        "का",
        "की",
        "के",
    ]
)


def comparable(text: str) -> str:
    """Case-folded, NFC, without punctuation, symbols or emoji (keeps matras)."""
    text = without_invisible(unicodedata.normalize("NFC", text or "")).casefold()
    text = text.replace("\ufe0f", "").replace("\u20e3", "")  # keycap emoji: 1️⃣
    text = "".join(" " if unicodedata.category(ch)[0] in "PSZ" else ch for ch in text)
    return " ".join(ascii_digits(text).split())


def match_button_reply(text: str, buttons: Optional[Sequence[Dict]]) -> Optional[str]:
    """The payload of the button the citizen chose with `text`, or None."""
    if not buttons:
        return None
    reply = comparable(text)
    if not reply:
        return None
    for button in buttons:
        if comparable(button.get("title", "")) == reply:
            return button.get("payload") or button.get("title")
    words = [w for w in reply.split() if w not in _FILLERS]
    if len(words) != 1:
        return None
    word = words[0]
    number = int(word) if word.isdigit() else _ORDINAL_LOOKUP.get(word)
    if number and 1 <= number <= len(buttons):
        chosen = buttons[number - 1]
        return chosen.get("payload") or chosen.get("title")
    return None
