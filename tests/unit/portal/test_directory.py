"""From conversation ids to (masked) phone numbers, through the channel's and
the applications' real tables."""

from lokseva.applications import service as applications
from lokseva.channels.service import ChannelStore
from lokseva.db import session_scope
from lokseva.portal import directory


def test_pseudonymous_ids_resolve_through_the_channel_and_the_citizens(engine):
    store = ChannelStore(engine, "test-signing-key")
    on_whatsapp = store.ensure_contact("+919876543210")
    assert on_whatsapp.startswith("wa-") and "3210" not in on_whatsapp
    with session_scope(engine) as s:
        applications.get_or_create_citizen(s, "web-citizen-7", whatsapp_number="+917000011122")
    with session_scope(engine) as s:
        phones = directory.phones_of(s, [on_whatsapp, "web-citizen-7", "+916260000001", "wa-unknown", "test-abc"])
        assert phones == {
            on_whatsapp: "+919876543210",
            "web-citizen-7": "+917000011122",
            "+916260000001": "+916260000001",
        }
        shown = directory.masked_senders(s, [on_whatsapp, "web-citizen-7", "wa-0123456789abcdef0123", "test-abc"])
        assert shown == {
            on_whatsapp: "+91******3210",
            "web-citizen-7": "+91******1122",
            "wa-0123456789abcdef0123": "wa-01234567…",
            "test-abc": "test-abc",
        }
        assert directory.senders_with_phone_ending(s, "3210") == [on_whatsapp]
        assert directory.senders_with_phone_ending(s, "1122") == ["web-citizen-7"]
        assert directory.senders_with_phone_ending(s, "12") == [], "at least four digits"
        assert directory.phone_of(s, "wa-unknown") is None
