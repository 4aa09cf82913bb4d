"""lokseva.money: the one way an amount in paise is written for people."""

import pytest

from lokseva.money import InvalidAmount, format_rupees, require_paise, rupees_figure


@pytest.mark.parametrize(
    "paise, text",
    [
        (0, "₹0"),
        (100, "₹1"),
        (99_900, "₹999"),  # three digits: no comma yet
        (100_000, "₹1,000"),
        (2_000_000, "₹20,000"),
        (20_000_000, "₹2,00,000"),  # a lakh: groups of two after the first three
        (1_234_567_00, "₹12,34,567"),
        (1_000_000_000, "₹1,00,00,000"),  # a crore
        (98_765_432_100_00, "₹98,76,54,32,100"),  # beyond a crore the lakh pattern goes on
    ],
)
def test_indian_digit_grouping(paise, text):
    assert format_rupees(paise) == text


@pytest.mark.parametrize(
    "paise, text",
    [(5, "₹0.05"), (50, "₹0.50"), (2050, "₹20.50"), (2001, "₹20.01"), (123_456_789, "₹12,34,567.89")],
)
def test_paise_shown_with_two_digits_only_when_there_are_some(paise, text):
    assert format_rupees(paise) == text


def test_figure_without_the_sign_for_templates_that_write_it():
    assert rupees_figure(2050) == "20.50"
    assert rupees_figure(20_000_000) == "2,00,000"
    assert rupees_figure(0) == "0"


@pytest.mark.parametrize("bad", [20.0, 19.99, "2000", True, None, -1])
def test_what_is_not_whole_paise_is_refused_not_rounded(bad):
    with pytest.raises(InvalidAmount):
        format_rupees(bad)
    with pytest.raises(InvalidAmount):
        require_paise(bad)
