import json

import pytest
from cryptography.fernet import Fernet

from lokseva.privacy import (
    AadhaarError,
    mask_aadhaar,
    mask_phone,
    redact_aadhaar,
    validate_aadhaar,
    verhoeff_valid,
)
from tests.unit.applications.conftest import valid_aadhaar

VALID = valid_aadhaar()  # 234567890124


def test_verhoeff_known_values():
    # The textbook example: 236 has check digit 3.
    assert verhoeff_valid("2363")
    assert not verhoeff_valid("2364")
    assert verhoeff_valid(VALID)
    # A single changed digit and swapped neighbours are both caught.
    assert not verhoeff_valid(VALID[:3] + str((int(VALID[3]) + 1) % 10) + VALID[4:])
    assert not verhoeff_valid(VALID[:4] + VALID[5] + VALID[4] + VALID[6:])


@pytest.mark.parametrize("text", [VALID, "2345 6789 0124", "2345-6789-0124", "aadhar no. २३४५ ६७८९ ०१२४"])
def test_valid_numbers_in_many_spellings(text):
    assert validate_aadhaar(text) == VALID


@pytest.mark.parametrize(
    "text, code",
    [
        ("no number", "no_digits"),
        ("2345 6789 012", "length"),
        ("1345 6789 0124", "first_digit"),
        ("0345 6789 0124", "first_digit"),
        ("2345 6789 0123", "checksum"),
    ],
)
def test_invalid_numbers_say_why(text, code):
    with pytest.raises(AadhaarError) as error:
        validate_aadhaar(text)
    assert error.value.code == code


def test_encryption_round_trip_and_only_last_four_readable():
    from lokseva.privacy.vault import seal, unseal

    key = Fernet.generate_key().decode()
    token = seal(VALID, key)
    assert VALID not in token and "0124" not in token
    assert unseal(token, key) == VALID
    assert mask_aadhaar(VALID) == "XXXX XXXX 0124"


def test_an_old_key_still_decrypts_until_the_vault_is_rotated():
    from cryptography.fernet import InvalidToken

    from lokseva.privacy.vault import seal, unseal

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = seal(VALID, old)
    assert unseal(token, f"{new},{old}") == VALID, "the newest key first, the old one after it"
    with pytest.raises(InvalidToken):
        unseal(token, new)


def test_redaction_masks_every_aadhaar_like_number_everywhere():
    event = {
        "text": f"mera aadhar {VALID[:4]} {VALID[4:8]} {VALID[8:]} hai",
        "parse_data": {"entities": [{"entity": "aadhaar_number", "value": VALID, "start": 12, "end": 26}]},
        "slots": ["aadhaar", "२३४५६७८९०१२४"],
        "invalid_but_personal": "2345 6789 0123",
        "keep": "mobile 9826012345, pin 457661, id JBA-2026-000123, date 12/03/1990",
    }
    redacted = redact_aadhaar(event)
    dumped = json.dumps(redacted, ensure_ascii=False)
    assert VALID not in dumped and "2345 6789" not in dumped and "२३४५६७८९" not in dumped
    assert redacted["text"] == "mera aadhar XXXX XXXX 0124 hai"
    assert len(redacted["text"]) == len(event["text"]), "offsets of entities stay right"
    assert redacted["keep"] == event["keep"], "phone numbers, PINs, ids and dates are not touched"


@pytest.mark.parametrize(
    "number, masked",
    [("whatsapp:+919826012345", "+91******2345"), ("9826012345", "******2345"), ("", ""), (None, "")],
)
def test_phone_masking(number, masked):
    assert mask_phone(number) == masked


def test_redaction_leaves_identifiers_with_long_digit_runs_alone():
    from lokseva.privacy.aadhaar import redact_aadhaar

    sid = "SM40d28fe807ae4cc6ad285b675feeb142"
    hashed = "var/uploads/3f2a1234567890123456b9.pdf"
    assert redact_aadhaar({"message_id": sid, "path": hashed}) == {"message_id": sid, "path": hashed}
    assert redact_aadhaar("SM123456789012345678901234567890ab") == "SM123456789012345678901234567890ab"
    # A number the citizen typed is still masked, next to words or punctuation.
    assert redact_aadhaar("aadhaar: 2345 6789 0124.") == "aadhaar: XXXX XXXX 0124."
    assert redact_aadhaar("mera aadhar 234567890124 hai") == "mera aadhar XXXXXXXX0124 hai"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("aadhar234567890124", "aadharXXXXXXXX0124"),
        ("Aadhaar2345 6789 0124 hai", "AadhaarXXXX XXXX 0124 hai"),
        ("234567890124wala", "XXXXXXXX0124wala"),
        ("no:234567890124", "no:XXXXXXXX0124"),
        ("आधार234567890124", "आधारXXXXXXXX0124"),
        ("aadhar2345678901245", "aadharXXXXXXXXX1245"),  # one digit too many: still personal
    ],
)
def test_redaction_masks_a_number_glued_to_a_word(text, expected):
    from lokseva.privacy.aadhaar import redact_aadhaar

    assert redact_aadhaar(text) == expected
    assert len(redact_aadhaar(text)) == len(text)


def test_redaction_leaves_short_numbers_glued_to_words_alone():
    from lokseva.privacy.aadhaar import redact_aadhaar

    keep = "ward12 mobile9826012345 pin457661 JBA2026000123"
    assert redact_aadhaar(keep) == keep


# --- the one redactor: any spelling of twelve digits ----------------------------------------

SPELLINGS = [
    "2345 6789 0124",
    "2345-6789-0124",
    "2345 - 6789 - 0124",
    "2345/6789/0124",
    "2345.6789.0124",
    "2345,6789,0124",
    "2345, 6789, 0124",
    "2345\n6789\n0124",
    "2345\r\n6789\r\n0124",
    "2345–6789–0124",
    "2345—6789—0124",
    "2345 – 6789 – 0124",
    "2345_6789_0124",
    "2345\u200b6789\u200b0124",
    "२३४५ ६७८९ ०१२४",
    "२३४५६७८९०१२४",
    "23 45 67 89 01 24",
    "234 567 890 124",
    "234567 890124",
    "2345\u00a06789\u00a00124",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_redactor_masks_every_spelling(spelling):
    from lokseva.privacy.redaction import redact_text
    from lokseva.text import digits

    text = f"mera aadhar {spelling} hai"
    masked = redact_text(text)
    assert len(masked) == len(text)
    assert digits(masked) == "0124", masked
    assert masked.startswith("mera aadhar X") and masked.endswith(" hai")


@pytest.mark.parametrize(
    "text",
    [
        "mobile 9826012345",
        "+91 98260 12345",
        "+919826012345",
        "whatsapp:+919826012345",
        "pin 457661",
        "JBA-2026-000123",
        "JBA2026000123",
        "jba 2026 000123",
        "JBA-C-2026-000123",
        "₹1,20,000 aur ₹50,000",
        "SM40d28fe807ae4cc6ad285b675feeb142",
        "MM1234567890abcdef1234567890abcdef",
        "12/03/1990",
        "2026-12-04 02:05:33,123",
        "12.03.1990 aur 13.04.1991",
        "9826012345, 12 saal",
        "income 150000 rupaye, pin 457661",
    ],
)
def test_the_redactor_leaves_what_is_not_an_aadhaar_number(text):
    from lokseva.privacy.redaction import redact_text

    assert redact_text(text) == text


def test_the_redactor_masks_invalid_numbers_too():
    from lokseva.privacy.redaction import redact_text

    assert not verhoeff_valid("234567890123")
    assert redact_text("2345 6789 0123") == "XXXX XXXX 0123", "a mistyped number is still nearly someone's"
    assert redact_text("2345 6789 01235") == "XXXX XXXX X1235", "one digit too many"


@pytest.mark.parametrize("text", ["aadhar 2345–6789–0124", "2345/6789/0124", "२३४५—६७८९—०१२४", "2345 - 6789 - 0124"])
def test_validation_reads_the_spellings_the_redactor_masks(text):
    assert validate_aadhaar(text) == VALID
