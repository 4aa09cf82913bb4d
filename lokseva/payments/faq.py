"""Questions about how to pay ("UPI se kar sakte hain?", "card chalega?", "cash de
sakte hai?"), asked with the pay_fee intent. The answer comes first, then the
payment link of the citizen's application, so one message does both.

Detection is by keywords in Devanagari and Roman spelling: the NLU gives the
intent, not which payment method the citizen asks about.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from lokseva.messages import load_catalogue, render
from lokseva.text import without_invisible

# Checked in this order: the first topic that matches answers.
_TOPICS = (
    ("upi_id", r"upi\s*id|vpa|यूपीआई\s*(आई\s*डी|आईडी|id)|upi\s*आईडी"),
    ("deducted", r"kat\s*(gaya|gye|gaye|liya)|cut\s*ho|deduct|कट\s*(गया|गए|गये|लिया)"),
    ("no_cash", r"(cash|kesh|naq?ad|nagad|nakad|नकद|नगद|नक़द|कैश)\S*\s+(nahi|nahin|nhi|नहीं|नही)"),
    ("cash", r"\bcash\b|\bkesh\b|\bnaq?ad\b|\bnagad\b|\bnakad\b|नकद|नगद|नक़द|कैश"),
    (
        "other_phone",
        r"(bete|beti|bhai|pati|papa|dusre|doosre|kisi\s*aur|बेटे|बेटी|भाई|पति|पापा|दूसरे|किसी\s*और)\S*\s.*"
        r"(phone|mobile|fon|फोन|फ़ोन|मोबाइल)",
    ),
    (
        "upi",
        r"upi|phone\s*pe|phonepe|g\s*pay|google\s*pay|paytm|bhim|qr|scanner|यूपीआई|फोन\s*पे|फ़ोन\s*पे|"
        r"फोनपे|गूगल\s*पे|पेटीएम|भीम|क्यूआर|स्कैनर",
    ),
    ("card", r"\bcard\b|debit|credit|कार्ड|डेबिट|क्रेडिट"),
    ("netbanking", r"net\s*banking|netbanking|नेट\s*बैंकिंग"),
)
_COMPILED = tuple((topic, re.compile(pattern, re.IGNORECASE)) for topic, pattern in _TOPICS)


def _normalise(text: str) -> str:
    return without_invisible(unicodedata.normalize("NFC", text or ""))


def payment_question(text: str) -> Optional[str]:
    """The payment topic a message asks about, or None (just "I want to pay")."""
    value = _normalise(text)
    for topic, pattern in _COMPILED:
        if pattern.search(value):
            return topic
    return None


def answer(topic: str, language: str) -> str:
    """The answer to a payment question (`faq:` in lokseva/messages/<language>/payments.yml)."""
    return render(f"payments.faq.{topic}", language)


TOPICS = tuple(key.rsplit(".", 1)[1] for key in load_catalogue().keys("payments.faq"))
