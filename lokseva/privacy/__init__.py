"""Personal data rules: Aadhaar numbers (validated, encrypted, masked, redacted
from stored conversations) and phone numbers (masked wherever a person does not
need the full number)."""
from lokseva.privacy.aadhaar import (
    AadhaarError,
    decrypt_aadhaar,
    encrypt_aadhaar,
    mask_aadhaar,
    redact_aadhaar,
    validate_aadhaar,
    verhoeff_valid,
)
from lokseva.privacy.phone import mask_phone, mask_phones_in
from lokseva.privacy.redaction import mask_text, redact_text

__all__ = [
    "AadhaarError",
    "decrypt_aadhaar",
    "encrypt_aadhaar",
    "mask_aadhaar",
    "mask_phone",
    "mask_phones_in",
    "mask_text",
    "redact_aadhaar",
    "redact_text",
    "validate_aadhaar",
    "verhoeff_valid",
]
