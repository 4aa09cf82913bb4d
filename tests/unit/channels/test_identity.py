"""Conversation ids that are not phone numbers; masked numbers."""

import pytest

from lokseva.channels.identity import (
    InvalidPhoneNumber,
    conversation_id,
    mask_phone,
    normalise_phone,
    whatsapp_address,
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


@pytest.mark.parametrize(
    "raw, masked",
    [
        ("+919876543210", "+91******3210"),
        ("whatsapp:+919876543210", "+91******3210"),
        ("+14155238886", "+1******8886"),  # the country code stays
        ("12", "**"),
    ],
)
def test_masking(raw, masked):
    assert mask_phone(raw) == masked


def test_a_conversation_keeps_its_id_across_a_rotation(settings):
    """Conversation ids are made once and then found by number: a new key only
    changes the ids of citizens who write for the first time."""
    from lokseva import signing
    from lokseva.channels.service import ChannelStore
    from lokseva.db import create_engine_for, upgrade_database

    upgrade_database(settings.database_url)
    engine = create_engine_for(settings.database_url)
    master = "m" * 40
    before = ChannelStore(engine, master)
    old_id = before.ensure_contact("+919876543210")
    assert old_id == conversation_id("+919876543210", master) and len(old_id) == 35
    # The old ids were HMACs under SIGNING_KEY itself: key "0" of the conversation ring.
    rotated = signing.Keyring("conversation", (("c1", ("n" * 40).encode()), ("0", master.encode())))
    after = ChannelStore(engine, rotated)
    assert after.conversation_for("+919876543210") == old_id
    new_id = after.ensure_contact("+919812345678")
    assert new_id.startswith("wa-c1-") and len(new_id) <= 40
    assert after.phone_for(new_id) == "+919812345678"
