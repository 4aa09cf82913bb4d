"""Dates as citizens read them: Hindi month names as on every receipt so far,
other languages' from Babel (CLDR)."""

import datetime as dt

import pytest
from babel.dates import format_date as babel_format_date

from lokseva.applications.numbers import format_date, month_name, month_year


def test_hindi_february_is_written_as_citizens_have_always_read_it():
    assert format_date(dt.date(2026, 2, 3), "hi") == "3 फरवरी 2026"
    assert "फ़रवरी" in babel_format_date(dt.date(2026, 2, 3), "d MMMM y", locale="hi"), (
        "if CLDR ever writes फरवरी, Hindi can come from Babel too"
    )


@pytest.mark.parametrize("month", range(1, 13))
def test_english_month_names_come_from_babel(month):
    day = dt.date(2026, month, 12)
    assert format_date(day, "en") == f"12 {day.strftime('%B')} 2026" == babel_format_date(day, "d MMMM y", locale="en")
    assert month_year(day, "en") == f"{day.strftime('%B')} 2026"


@pytest.mark.parametrize("language", [None, "fr"])
def test_a_language_the_catalogue_lacks_reads_hindi_dates(language):
    assert format_date(dt.date(2026, 11, 29), language) == "29 नवंबर 2026"
    assert month_name(11, language) == "नवंबर"
