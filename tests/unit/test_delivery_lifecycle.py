import itertools

import pytest

from lokseva.delivery.lifecycle import (
    TRANSITIONS,
    DeliveryAddress,
    DeliveryStatus as S,
    InvalidDeliveryValue,
    InvalidTransition,
    check_transition,
    normalise_pin,
    normalise_tracking_number,
)

GOOD_TRACKING = "EE123456785IN"


def test_the_happy_path():
    assert check_transition(S.PAYMENT_PENDING, S.REQUESTED) is None
    assert check_transition(S.REQUESTED, S.PRINTED) is None
    assert check_transition(S.PRINTED, S.DISPATCHED, "ee 123456785 in") == GOOD_TRACKING
    assert check_transition(S.DISPATCHED, S.DELIVERED) is None


def test_a_returned_letter_can_go_out_again():
    check_transition(S.DISPATCHED, S.RETURNED)
    assert check_transition(S.RETURNED, S.DISPATCHED, "RR473124829IN") == "RR473124829IN"


ALLOWED = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}


@pytest.mark.parametrize("current,target", [p for p in itertools.product(S, S) if p not in ALLOWED])
def test_every_other_transition_is_refused(current, target):
    with pytest.raises(InvalidTransition):
        check_transition(current, target, GOOD_TRACKING)


def test_final_states_go_nowhere():
    assert not TRANSITIONS[S.DELIVERED] and not TRANSITIONS[S.CANCELLED]


def test_dispatch_needs_a_valid_tracking_number():
    with pytest.raises(InvalidTransition, match="tracking"):
        check_transition(S.PRINTED, S.DISPATCHED)
    with pytest.raises(InvalidDeliveryValue, match="check digit"):
        check_transition(S.PRINTED, S.DISPATCHED, "EE123456784IN")
    with pytest.raises(InvalidTransition, match="tracking"):
        check_transition(S.REQUESTED, S.PRINTED, GOOD_TRACKING)


@pytest.mark.parametrize("bad", ["", "EE12345678IN", "E1123456785IN", "EE123456785US", "123456785"])
def test_malformed_tracking_numbers(bad):
    with pytest.raises(InvalidDeliveryValue):
        normalise_tracking_number(bad)


def test_pin_codes():
    assert normalise_pin(" 457 661 ") == "457661"
    assert normalise_pin("४५७६६१") == "457661"
    for bad in ("057661", "45766", "4576611", "45766a"):
        with pytest.raises(InvalidDeliveryValue):
            normalise_pin(bad)


def test_address_needs_village_tehsil_and_pin():
    address = DeliveryAddress.create(" ग्राम  पिटोल ", "झाबुआ", "457661", latitude=22.77, longitude=74.59)
    assert address.village == "ग्राम पिटोल" and address.pin == "457661"
    with pytest.raises(InvalidDeliveryValue, match="village"):
        DeliveryAddress.create("", "झाबुआ", "457661")
    with pytest.raises(InvalidDeliveryValue, match="latitude"):
        DeliveryAddress.create("पिटोल", "झाबुआ", "457661", latitude=22.7)
    with pytest.raises(InvalidDeliveryValue, match="range"):
        DeliveryAddress.create("पिटोल", "झाबुआ", "457661", latitude=122.7, longitude=1)
