"""The Act's appeal rules, without a database."""

import datetime as dt

import pytest

from lokseva.appeals import rules
from lokseva.appeals.rules import Grounds
from lokseva.applications.lifecycle import Status

D = dt.date


@pytest.mark.parametrize("days, rupees", [(0, 0), (1, 250), (6, 1_500), (19, 4_750), (20, 5_000), (45, 5_000)])
def test_penalty_is_250_a_day_at_most_5000(days, rupees):
    assert rules.penalty_paise(days) == rupees * 100


def test_days_late_counts_calendar_days_after_the_due_date():
    assert rules.days_late(D(2026, 12, 1), D(2026, 12, 1)) == 0
    assert rules.days_late(D(2026, 12, 1), D(2026, 12, 7)) == 6
    assert rules.days_late(D(2026, 12, 1), D(2026, 11, 20)) == 0
    assert rules.days_late(None, D(2026, 12, 7)) == 0


@pytest.mark.parametrize(
    "status, due, today, expected",
    [
        (Status.UNDER_REVIEW, D(2026, 12, 1), D(2026, 12, 2), Grounds.LATE),
        (Status.UNDER_REVIEW, D(2026, 12, 1), D(2026, 12, 1), None),  # the due day itself is in time
        (Status.PAID, D(2026, 12, 1), D(2026, 12, 9), Grounds.LATE),
        (Status.SUBMITTED, D(2026, 12, 1), D(2026, 12, 9), Grounds.LATE),
        (Status.FEE_PENDING, D(2026, 12, 1), D(2026, 12, 9), None),  # the citizen has not paid: not the office's delay
        (Status.MORE_INFO_NEEDED, D(2026, 12, 1), D(2026, 12, 9), None),  # waiting for the citizen's papers
        (Status.REJECTED, D(2026, 12, 1), D(2026, 11, 20), Grounds.REJECTED),
        (Status.APPROVED, D(2026, 12, 1), D(2026, 12, 9), None),
        (Status.CERTIFICATE_ISSUED, None, D(2026, 12, 9), None),
    ],
)
def test_grounds(status, due, today, expected):
    assert rules.grounds_for(status, due, today) == expected


def test_first_appeal_window_is_30_days_from_the_day_after_the_due_date():
    window = rules.first_appeal_window(Grounds.LATE, D(2026, 11, 1), None, D(2026, 12, 1))
    assert (window.opened_on, window.closes_on, window.in_time) == (D(2026, 11, 2), D(2026, 12, 1), True)
    assert window.days_left(D(2026, 12, 1)) == 0
    late = rules.first_appeal_window(Grounds.LATE, D(2026, 11, 1), None, D(2026, 12, 2))
    assert late.in_time is False


def test_first_appeal_window_after_a_rejection_opens_on_its_day():
    window = rules.first_appeal_window(Grounds.REJECTED, None, D(2026, 12, 3), D(2026, 12, 4))
    assert (window.opened_on, window.closes_on, window.in_time) == (D(2026, 12, 3), D(2027, 1, 1), True)
    with pytest.raises(ValueError):
        rules.first_appeal_window(Grounds.REJECTED, None, None, D(2026, 12, 4))


def test_decision_due_skips_sundays_and_holidays_on_working_days():
    friday = D(2026, 12, 4)
    # 3 working days after Friday: Saturday, (Sunday skipped), Monday, (holiday Tuesday) Wednesday.
    assert rules.decision_due(friday, 3, "working", frozenset({D(2026, 12, 8)})) == D(2026, 12, 9)
    assert rules.decision_due(friday, 3, "calendar", frozenset()) == D(2026, 12, 7)
