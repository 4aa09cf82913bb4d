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

from lokseva.text import without_invisible

# Checked in this order: the first topic that matches answers.
_TOPICS = (
    ("upi_id", r"upi\s*id|vpa|यूपीआई\s*(आई\s*डी|आईडी|id)|upi\s*आईडी"),
    ("deducted", r"kat\s*(gaya|gye|gaye|liya)|cut\s*ho|deduct|कट\s*(गया|गए|गये|लिया)"),
    ("no_cash", r"(cash|kesh|naq?ad|nagad|nakad|नकद|नगद|नक़द|कैश)\S*\s+(nahi|nahin|nhi|नहीं|नही)"),
    ("cash", r"\bcash\b|\bkesh\b|\bnaq?ad\b|\bnagad\b|\bnakad\b|नकद|नगद|नक़द|कैश"),
    ("other_phone", r"(bete|beti|bhai|pati|papa|dusre|doosre|kisi\s*aur|बेटे|बेटी|भाई|पति|पापा|दूसरे|किसी\s*और)\S*\s.*"
                    r"(phone|mobile|fon|फोन|फ़ोन|मोबाइल)"),
    ("upi", r"upi|phone\s*pe|phonepe|g\s*pay|google\s*pay|paytm|bhim|qr|scanner|यूपीआई|फोन\s*पे|फ़ोन\s*पे|"
            r"फोनपे|गूगल\s*पे|पेटीएम|भीम|क्यूआर|स्कैनर"),
    ("card", r"\bcard\b|debit|credit|कार्ड|डेबिट|क्रेडिट"),
    ("netbanking", r"net\s*banking|netbanking|नेट\s*बैंकिंग"),
)
_COMPILED = tuple((topic, re.compile(pattern, re.IGNORECASE)) for topic, pattern in _TOPICS)

_ANSWERS = {
    "upi": (
        "हाँ ✅ UPI से भर सकते हैं: PhonePe, Google Pay, Paytm, BHIM या कोई भी UPI ऐप।\nलिंक खोलें और UPI चुनें।",
        "Yes ✅ you can pay by UPI: PhonePe, Google Pay, Paytm, BHIM or any UPI app.\nOpen the link and choose UPI.",
    ),
    "card": (
        "हाँ ✅ डेबिट या क्रेडिट कार्ड से भर सकते हैं। लिंक खोलें और कार्ड चुनें।",
        "Yes ✅ a debit or credit card works. Open the link and choose card.",
    ),
    "netbanking": (
        "WhatsApp के लिंक से UPI या कार्ड से भर सकते हैं। UPI सबसे आसान है।",
        "The WhatsApp link takes UPI or a card. UPI is the easiest.",
    ),
    "cash": (
        "WhatsApp पर नकद (कैश) नहीं ले सकते।\nनकद देना हो तो लोक सेवा केंद्र पर जाकर दें और रसीद ज़रूर लें।\n"
        "यहाँ UPI या कार्ड से भर सकते हैं:",
        "Cash cannot be paid on WhatsApp.\nTo pay cash, go to the Lok Seva Kendra and take a receipt.\n"
        "Here you can pay by UPI or card:",
    ),
    "no_cash": (
        "कोई बात नहीं, नकद की ज़रूरत नहीं। UPI या कार्ड से इसी लिंक पर भर सकते हैं:",
        "No problem, no cash is needed. Pay by UPI or card on this link:",
    ),
    "upi_id": (
        "हम कोई UPI ID नहीं देते। किसी के कहने पर किसी UPI ID या नंबर पर पैसे न भेजें।\n"
        "फीस सिर्फ़ इसी लिंक से भरें:",
        "We never give a UPI ID. Do not send money to any UPI ID or number someone gives you.\n"
        "Pay the fee only through this link:",
    ),
    "other_phone": (
        "हाँ, किसी के भी फोन या UPI से भर सकते हैं। रसीद इसी नंबर पर आएगी।\nयह लिंक उन्हें भेज दें:",
        "Yes, anyone's phone or UPI can pay. The receipt comes to this number.\nForward them this link:",
    ),
    "deducted": (
        "घबराएँ नहीं। हम भुगतान की जाँच कर रहे हैं।\nअगर पैसा जमा हुआ है तो रसीद यहीं आएगी; "
        "अगर भुगतान पूरा नहीं हुआ तो कटा पैसा अपने-आप खाते में लौट आता है।",
        "Don't worry, we are checking the payment.\nIf it went through, the receipt comes here; "
        "if it did not, any money taken goes back to your account by itself.",
    ),
}


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
    hi, en = _ANSWERS[topic]
    return en if language == "en" else hi


TOPICS = tuple(_ANSWERS)
