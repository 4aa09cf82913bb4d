"""The states of a payment link."""

import pytest

from lokseva.payments import lifecycle as lc


@pytest.mark.parametrize(
    "current, target",
    [
        (lc.PENDING, lc.OPEN),
        (lc.OPEN, lc.PAID),
        (lc.OPEN, lc.EXPIRED),
        (lc.OPEN, lc.CANCELLED),
        (lc.EXPIRED, lc.PAID),
        (lc.CANCELLED, lc.PAID),
        (lc.OPEN, lc.REFUND_DUE),
        (lc.CANCELLED, lc.REFUND_DUE),
    ],
)
def test_allowed(current, target):
    lc.check_move(current, target)


@pytest.mark.parametrize(
    "current, target",
    [
        (lc.PAID, lc.PAID),
        (lc.PAID, lc.OPEN),
        (lc.PAID, lc.EXPIRED),
        (lc.PAID, lc.REFUND_DUE),
        (lc.REFUND_DUE, lc.PAID),
        (lc.EXPIRED, lc.OPEN),
        (lc.PENDING, lc.PAID),
        ("unknown", lc.OPEN),
    ],
)
def test_refused(current, target):
    with pytest.raises(lc.InvalidPaymentTransition):
        lc.check_move(current, target)


def test_every_status_has_rules():
    for status in lc.STATUSES:
        for target in lc.STATUSES:
            lc.can_move(status, target)  # never a KeyError
