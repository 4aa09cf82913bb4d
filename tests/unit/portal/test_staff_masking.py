"""Personal numbers are masked in everything staff read."""

import pytest

from lokseva.privacy import mask_phone, mask_text
from lokseva.text import digits as phone_digits


@pytest.mark.parametrize(
    "text, masked",
    [
        ("mera number 9876543210 hai", "mera number ******3210 hai"),
        ("call +91 98765 43210", "call ******3210"),
        ("phone 09876543210", "phone ******3210"),
        ("phone 9812345678", "phone ******5678"),
        ("९८७६५४३२१० पर फ़ोन करो", "******3210 पर फ़ोन करो"),
        ("aadhaar 1234 5678 9012", "aadhaar XXXX XXXX 9012"),
        ("aadhaar 123456789012", "aadhaar XXXXXXXX9012"),
        ("aadhar 1234-5678-9012 h", "aadhar XXXX-XXXX-9012 h"),
    ],
)
def test_numbers_are_masked_to_their_last_four_digits(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "JBA-2026-000123 ka status",
        "jba2026000123 kab milega",
        "JBA 2026 000123",
        "JBA-२०२६-०००१२३",
        "fees 1500 rupaye, 15 din",
        "pin code 457661",
    ],
)
def test_application_ids_and_small_numbers_stay_readable(text):
    assert mask_text(text) == text


def test_masking_never_leaves_the_full_number():
    text = "mera 9876543210 aur 1234 5678 9012 aur JBA-2026-000123"
    masked = mask_text(text)
    assert "9876543210" not in masked and "12345678" not in masked.replace(" ", "")
    assert "JBA-2026-000123" in masked


@pytest.mark.parametrize(
    "sender, shown",
    [
        ("whatsapp:+919876543210", "+91******3210"),
        ("+919876543210", "+91******3210"),
        ("9876543210", "******3210"),
        ("", ""),
    ],
)
def test_phone_numbers_are_shown_masked(sender, shown):
    assert mask_phone(sender) == shown


def test_search_digits_accept_devanagari_and_spaces():
    assert phone_digits("३२ 10") == "3210"
