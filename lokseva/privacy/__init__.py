"""Personal data rules: Aadhaar numbers (validated, kept encrypted in the vault,
masked, redacted from everything stored and logged) and phone numbers (masked wherever a person does not
need the full number)."""

from lokseva.privacy.aadhaar import (
    AadhaarError,
    mask_aadhaar,
    redact_aadhaar,
    validate_aadhaar,
    verhoeff_valid,
)
from lokseva.privacy.phone import mask_phone, mask_phones_in
from lokseva.privacy.redaction import mask_text, redact_text

__all__ = [
    "AadhaarError",
    "mask_aadhaar",
    "mask_phone",
    "mask_phones_in",
    "mask_text",
    "redact_aadhaar",
    "redact_text",
    "validate_aadhaar",
    "verhoeff_valid",
]
