"""Which language to answer in: Hindi (the default) or English.

Citizens write Devanagari, Hinglish (Hindi in Roman letters), English, or a mix.
Devanagari and Hinglish get Hindi answers in Devanagari; only a message that is
clearly English switches to English. A message that says nothing either way
("ok", "1", an application id) keeps the language of the conversation so far.
"""
from __future__ import annotations

import re
from typing import Optional

HINDI = "hi"
ENGLISH = "en"
LANGUAGES = (HINDI, ENGLISH)

_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_WORD = re.compile(r"[a-z]+")

# Frequent Hinglish words that English does not use (or rarely does).
_HINGLISH = frozenset(
    ["hai", "h", "he", "hain", "hn", "ho", "hoga", "hogi", "kya", "kyu", "kyon", "kaise", "kese", "kaisa", "kab", "kitna", "kitni", "kitne", "kahan", "kaha", "mera", "meri", "mere", "mujhe", "muje", "mujhko", "hum", "hume", "hamara", "hamari", "aap", "aapka", "apna", "apni", "tum", "tumhara", "ka", "ki", "ke", "ko", "se", "me", "mein", "par", "pe", "aur", "ya", "nahi", "nahin", "nhi", "na", "haan", "ha", "haa", "ji", "jee", "bhi", "tha", "thi", "the", "karna", "krna", "karni", "krni", "karo", "kro", "kare", "kijiye", "kijie", "karwana", "krwana", "banwana", "banana", "banega", "bana", "chahiye", "chaiye", "chahie", "chahta", "chahti", "milega", "milegi", "mila", "mili", "dena", "dijiye", "do", "bata", "batao", "bataye", "batayiye", "btao", "praman", "pramanpatra", "patra", "aay", "aaye", "jati", "jaati", "niwas", "nivas", "janm", "janam", "mrityu", "khasra", "khatauni", "nakal", "sahayata", "madad", "dhanyavad", "dhanyawad", "shukriya", "namaste", "namaskar", "pranam", "abhi", "kal", "aaj", "bhai", "bhaiya", "sir", "sahab", "saheb", "theek", "thik", "accha", "acha", "achha", "bilkul", "jarur", "zaroor", "paisa", "paise", "fees", "shulk", "jama", "kab", "tak", "wala", "wali", "vala",
     # everyday verbs ("certificate bhejo please")
     "bhejo", "bhejiye", "bhejna", "bhejdo", "bhej", "bhejega", "bhejenge", "dikhao", "dikhaiye", "dikha", "dekho", "dekhna", "dekhiye", "lo", "lena", "lijiye", "le", "de", "dedo", "diya", "karwa", "karwao", "banwao", "banao", "bano", "banwa", "milao", "mil", "jaye", "hua", "hui", "hue", "gaya", "gayi", "rha", "raha", "rahi", "rahe", "sakta", "sakte", "sakti", "wapas", "jaldi", "kripya", "krpya"]
)
# Words Hinglish borrows from English ("certificate bhejo please", "status kya hai"):
# they say nothing about the language of the conversation.
_LOANWORDS = frozenset(
    ["certificate", "status", "fee", "fees", "payment", "please", "plz", "pls", "ok", "okay", "application", "form", "online", "mobile", "number", "income", "caste", "birth", "death", "domicile", "land", "record", "copy", "aadhaar", "aadhar", "sir", "madam", "mam", "thanks", "thank", "you"]
)

# Frequent English words that Hinglish messages rarely contain.
_ENGLISH = frozenset(
    ["the", "is", "are", "am", "was", "were", "what", "when", "where", "how", "which", "who", "why", "my", "your", "our", "i", "you", "we", "it", "this", "that", "want", "need", "would", "like", "please", "can", "could", "should", "will", "apply", "application", "certificate", "status", "check", "pay", "payment", "fee", "fees", "get", "send", "deliver", "delivery", "home", "income", "caste", "birth", "death", "domicile", "land", "record", "copy", "thanks", "thank", "hello", "hi", "good", "morning", "evening", "bye", "yes", "no", "not", "do", "does", "did", "have", "has", "of", "for", "to", "from", "with", "about", "know", "tell", "me", "help", "information", "service", "services"]
)


def detect_language(text: str, previous: Optional[str] = None) -> str:
    """Returns "hi" or "en" for a citizen's message.

    `previous` is the conversation's language so far; it is kept when the
    message gives no clear signal.
    """
    fallback = previous if previous in LANGUAGES else HINDI
    if not text or not text.strip():
        return fallback
    if text.lstrip().startswith("/"):
        # An intent payload ("/check_status": a chosen button, a file, a location)
        # says nothing about the citizen's language.
        return fallback
    if _DEVANAGARI.search(text):
        return HINDI
    words = _WORD.findall(text.lower())
    if not words:
        return fallback
    # a word of both lists ("the", "do") counts as English only
    hinglish = sum(w in _HINGLISH and w not in _ENGLISH for w in words)
    signals = [w for w in words if w not in _LOANWORDS]
    english = sum(w in _ENGLISH for w in signals)
    if hinglish and hinglish >= english / 2:
        return HINDI
    # Hindi is the safer default: switch only on at least two English words
    # besides the borrowed ones, and none of Hinglish.
    if english >= 2 and not hinglish:
        return ENGLISH
    return fallback
