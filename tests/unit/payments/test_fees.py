"""The amount of an application: integers in paise, exact, never a float."""

import pytest

from lokseva.money import InvalidAmount, require_paise
from lokseva.payments.fees import HOME_DELIVERY, PROCESSING, STATUTORY, fee_breakdown, rupees_to_paise


def test_processing_fee_alone():
    fee = fee_breakdown(statutory_paise=0, processing_paise=2000)
    assert fee.total_paise == 2000
    assert [line.kind for line in fee.lines] == [PROCESSING]  # zero lines are not shown
    assert fee.payable


def test_statutory_processing_and_home_delivery_add_up():
    fee = fee_breakdown(
        statutory_paise=3000 + 2 * 1500, processing_paise=2000, home_delivery_paise=2000, home_delivery=True
    )
    assert fee.total_paise == 10000
    assert [line.kind for line in fee.lines] == [STATUTORY, PROCESSING, HOME_DELIVERY]
    assert isinstance(fee.total_paise, int)


def test_home_delivery_fee_counts_only_when_chosen():
    fee = fee_breakdown(statutory_paise=0, processing_paise=2000, home_delivery_paise=2000, home_delivery=False)
    assert fee.total_paise == 2000
    assert HOME_DELIVERY not in [line.kind for line in fee.lines]


def test_nothing_to_pay():
    assert not fee_breakdown(0, 0).payable


@pytest.mark.parametrize("bad", [20.0, 19.99, "2000", True, None, -1])
def test_amounts_that_are_not_whole_paise_are_refused(bad):
    with pytest.raises(InvalidAmount):
        require_paise(bad)
    with pytest.raises(InvalidAmount):
        fee_breakdown(statutory_paise=bad, processing_paise=2000)


def test_rupees_to_paise():
    assert rupees_to_paise(20) == 2000
    with pytest.raises(InvalidAmount):
        rupees_to_paise(20.5)
