"""Conversation ids that are not phone numbers; masked numbers."""
import pytest

from lokseva.channels.identity import (
    InvalidPhoneNumber, conversation_id, mask_phone, normalise_phone, whatsapp_address,
)
from lokseva.settings import load_settings


@pytest.mark.parametrize("raw", ["whatsapp:+919876543210", "+91 98765 43210", "+91-98765-43210", "00919876543210"])
def test_numbers_are_normalised_to_e164(raw):
    assert normalise_phone(raw) == "+919876543210"
    assert whatsapp_address(raw) == "whatsapp:+919876543210"


@pytest.mark.parametrize("raw", ["", "9876543210", "whatsapp:", "+91abc", "+0123456789"])
def test_non_numbers_are_refused(raw):
    with pytest.raises(InvalidPhoneNumber):
        normalise_phone(raw)


def test_the_refusal_does_not_show_the_number():
    with pytest.raises(InvalidPhoneNumber) as error:
        normalise_phone("+91987654321099999")
    assert "987654321099" not in str(error.value)


def test_conversation_id_is_stable_and_not_the_number():
    key = load_settings({}).signing_key  # the generated development key, same on every load
    cid = conversation_id("whatsapp:+919876543210", key)
    assert cid == conversation_id("+91 98765 43210", load_settings({}).signing_key)
    assert cid.startswith("wa-") and len(cid) == 35
    assert "9876543210" not in cid and "3210" not in cid
    assert conversation_id("+919876543211", key) != cid
    assert conversation_id("+919876543210", key + "x") != cid


@pytest.mark.parametrize("raw, masked", [
    ("+919876543210", "+91******3210"),
    ("whatsapp:+919876543210", "+91******3210"),
    ("+14155238886", "+1******8886"),  # the country code stays
    ("12", "**"),
])
def test_masking(raw, masked):
    assert mask_phone(raw) == masked

