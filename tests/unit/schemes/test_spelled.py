"""A scheme spelled out word for word is found when the NLU tagged none; a family
of schemes ("pension", "kisan") is left for the citizen to choose."""

import pytest

from actions.schemes import scheme_spelled_in


@pytest.mark.parametrize(
    "text, scheme",
    [
        ("scholarship ka form kaha bharna hai", "scholarship"),
        ("vridha pension kitni milti hai", "old_age_pension"),
        ("kisan nidhi ki kist", "pm_kisan"),
        ("pension kab aayegi", None),
        ("kisan ka paisa", None),
        ("mera kaam nahi hua", None),
    ],
)
def test_a_scheme_spelled_out(text, scheme):
    assert scheme_spelled_in(text) == scheme
