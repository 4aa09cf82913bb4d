"""What a payment is for: references per purpose, and the owners of the purposes
other than the application fee (registered by their capability)."""

import pytest

from lokseva.payments import purposes


def test_a_postage_fee_reference_is_told_from_an_application_fee():
    assert purposes.reference("JBA-2026-000123", purposes.POSTAGE, 1) == "JBA-2026-000123-D01"
    assert purposes.reference("JBA-2026-000123", purposes.POSTAGE, 12) == "JBA-2026-000123-D12"
    assert purposes.reference("JBA-2026-000123", purposes.APPLICATION_FEE, 1) == "JBA-2026-000123-P01"
    assert len(purposes.reference("JBA-2026-000123", purposes.POSTAGE, 99)) <= 40  # Razorpay's limit
    with pytest.raises(KeyError):
        purposes.reference("JBA-2026-000123", "tip", 1)


def test_postage_is_owned_by_the_delivery_once_it_is_loaded():
    from lokseva.delivery import fees

    owner = purposes.owner(purposes.POSTAGE)
    assert owner.on_captured is fees._captured and owner.on_closed is fees._closed
    assert owner.link_text is fees._link_text and owner.on_link is fees._link_made_late


def test_the_application_fee_and_unknown_purposes_cannot_be_taken_over():
    def nothing(*args):
        return None

    for purpose in (purposes.APPLICATION_FEE, "tip"):
        with pytest.raises(ValueError):
            purposes.register(purposes.FeeOwner(purpose, nothing, nothing, nothing))
    with pytest.raises(purposes.NoOwner):
        purposes.owner("tip")
