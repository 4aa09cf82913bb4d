import datetime as dt

import pytest

from lokseva.applications.rules import due_date, fee_due
from lokseva.clock import today_in_india
from lokseva.catalogue import TimeLimit, load_catalogue

HOLIDAYS = frozenset({dt.date(2026, 3, 4)})  # Holi (a Wednesday)


@pytest.mark.parametrize(
    "applied_on, limit, expected",
    [
        # Mon 2 Mar + 3 working days: Tue 3, (Wed 4 Holi), Thu 5, Fri 6
        (dt.date(2026, 3, 2), TimeLimit(3, "working"), dt.date(2026, 3, 6)),
        # Sat 7 Mar + 1 working day skips Sunday 8
        (dt.date(2026, 3, 7), TimeLimit(1, "working"), dt.date(2026, 3, 9)),
        # 15 working days from Mon 2 Mar: 2 Sundays and Holi skipped
        (dt.date(2026, 3, 2), TimeLimit(15, "working"), dt.date(2026, 3, 20)),
        # same day; on a Sunday the next working day
        (dt.date(2026, 3, 5), TimeLimit(0, "working"), dt.date(2026, 3, 5)),
        (dt.date(2026, 3, 8), TimeLimit(0, "working"), dt.date(2026, 3, 9)),
        (dt.date(2026, 3, 3), TimeLimit(0, "working"), dt.date(2026, 3, 3)),
        # calendar days count everything
        (dt.date(2026, 3, 2), TimeLimit(7, "calendar"), dt.date(2026, 3, 9)),
    ],
)
def test_due_dates(applied_on, limit, expected):
    assert due_date(applied_on, limit, HOLIDAYS) == expected


def test_jhabua_holidays_come_from_the_district_file():
    from lokseva.districts import load_district

    jhabua = load_district("jhabua")
    # Fri 14 Aug + 1 working day: Sat 15 Aug is Independence Day, Sun 16 -> Mon 17
    assert due_date(dt.date(2026, 8, 14), TimeLimit(1, "working"), jhabua.holidays) == dt.date(2026, 8, 17)


@pytest.mark.parametrize(
    "days_after_birth, statutory, has_note",
    [(0, 0, False), (21, 0, False), (22, 2000, False), (30, 2000, False), (31, 5000, True), (365, 5000, True)],
)
def test_birth_registration_fee_grows_with_delay(days_after_birth, statutory, has_note):
    service = load_catalogue()["birth_certificate"]
    applied = dt.date(2026, 3, 15)
    fee = fee_due(service, applied - dt.timedelta(days=days_after_birth), applied)
    assert fee.statutory == statutory
    assert fee.total == statutory + 2000
    assert (fee.note is not None) == has_note
    assert not fee.beyond_tiers


def test_beyond_a_year_uses_the_last_tier_and_says_so():
    service = load_catalogue()["death_certificate"]
    fee = fee_due(service, dt.date(2024, 1, 1), dt.date(2026, 3, 15))
    assert fee.statutory == 5000 and fee.beyond_tiers


def test_fees_without_tiers():
    catalogue = load_catalogue()
    assert fee_due(catalogue["income_certificate"]).total == 2000
    assert fee_due(catalogue["land_record_copy"]).total == 3000 + 2000


def test_today_is_an_indian_date():
    # 20:00 UTC on 31 Dec is already 1 Jan in India
    assert today_in_india(dt.datetime(2025, 12, 31, 20, tzinfo=dt.timezone.utc)) == dt.date(2026, 1, 1)
