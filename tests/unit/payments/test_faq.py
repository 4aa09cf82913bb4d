"""Payment questions asked in chat get the right answer."""

import pytest

from lokseva.payments.faq import TOPICS, answer, payment_question


@pytest.mark.parametrize(
    "text, topic",
    [
        ("UPI se kar sakte hain?", "upi"),
        ("PhonePe se payment", "upi"),
        ("phone pe se 20 rs bhej du kya", "upi"),
        ("गूगल पे से फीस भर दूं", "upi"),
        ("card chalega?", "card"),
        ("credit card chalega kya payment ke liye", "card"),
        ("cash de sakte hai?", "cash"),
        ("नकद दे सकते हैं क्या", "cash"),
        ("cash nahi hai online bhar sakta hu kya", "no_cash"),
        ("upi id batao", "upi_id"),
        ("यूपीआई आईडी बताओ", "upi_id"),
        ("bete ke phone se pay kar du?", "other_phone"),
        ("paisa kat gaya payment nahi hua", "deducted"),
        ("पैसा कट गया पर भुगतान नहीं हुआ", "deducted"),
        ("fees bharni hai", None),
        ("JBA-2026-000123 ki fees bharni hai", None),
    ],
)
def test_topics(text, topic):
    assert payment_question(text) == topic


def test_answers_are_right_in_both_languages():
    assert "UPI" in answer("upi", "hi") and "PhonePe" in answer("upi", "hi")
    assert answer("card", "en").startswith("Yes")
    # Cash is never taken on WhatsApp; the Kendra takes it, with a receipt.
    assert "नकद" in answer("cash", "hi") and "लोक सेवा केंद्र" in answer("cash", "hi")
    assert "Lok Seva Kendra" in answer("cash", "en")
    # Fraud: no UPI ID is ever given.
    assert "UPI ID" in answer("upi_id", "hi") and "never" in answer("upi_id", "en")
    for topic in TOPICS:
        assert answer(topic, "hi") != answer(topic, "en")
