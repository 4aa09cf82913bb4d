import datetime as dt

import pytest

from lokseva import districts
from lokseva.districts import DistrictDataError, OfficeHours, load_district


def test_jhabua_loads():
    d = load_district("jhabua")
    assert d.code == "JBA"
    assert d.text("name", "hi") == "झाबुआ" and d.text("name", "en") == "Jhabua"
    assert dt.date(2026, 8, 15) in d.holidays
    assert d.office_hours == OfficeHours(frozenset(range(6)), dt.time(10, 0), dt.time(17, 0))
    assert d.tehsil_names == ("Jhabua", "Petlawad", "Thandla", "Meghnagar", "Ranapur", "Rama")
    assert [t.hi for t in d.tehsils] == ["झाबुआ", "पेटलावद", "थांदला", "मेघनगर", "राणापुर", "रामा"]


def test_unknown_district_names_the_known_ones():
    with pytest.raises(DistrictDataError, match="jhabua"):
        load_district("atlantis")


@pytest.mark.parametrize(
    "body, message",
    [
        ("name: {hi: x, en: y}\n", "'code' is missing"),
        ("code: jb\n", "three capital letters"),
        (
            "code: ABC\nname: {hi: x}\nstate: {hi: a, en: b}\ncollectorate: {hi: a, en: b}\n"
            "lok_seva_kendra: {hi: a, en: b}\njan_sunwai: {day: tuesday}\ntehsils: [{en: A, hi: अ}]\n",
            "'name' needs both",
        ),
    ],
)
def test_broken_district_file_is_reported_by_field(tmp_path, monkeypatch, body, message):
    with pytest.raises(DistrictDataError, match=message):
        load_from(tmp_path, monkeypatch, body)


def load_from(tmp_path, monkeypatch, body):
    """Loads `body` as the district file broken.yml."""
    (tmp_path / "broken.yml").write_text(body)
    monkeypatch.setattr(districts, "DATA_DIR", tmp_path)
    load_district.cache_clear()
    try:
        return load_district("broken")
    finally:
        load_district.cache_clear()


VALID_BUT_HOURS = (
    "code: ABC\nname: {hi: x, en: y}\nstate: {hi: a, en: b}\ncollectorate: {hi: a, en: b}\n"
    "lok_seva_kendra: {hi: a, en: b}\njan_sunwai: {day: tuesday}\ntehsils: [{en: A, hi: अ}]\n"
)


@pytest.mark.parametrize(
    "office_hours, message",
    [
        ("", "broken.yml: field 'office_hours' is missing"),
        ("office_hours: 10-5\n", "field 'office_hours' needs 'days' and 'hours'"),
        ("office_hours: {hours: '10:00-17:00'}\n", "broken.yml: field 'office_hours.days' is missing"),
        ("office_hours: {days: [], hours: '10:00-17:00'}\n", "field 'office_hours.days' is missing"),
        ("office_hours: {days: monday, hours: '10:00-17:00'}\n", "'office_hours.days' must be a list"),
        ("office_hours: {days: [monday, funday], hours: '10:00-17:00'}\n", "'office_hours.days' has 'funday'"),
        ("office_hours: {days: [monday]}\n", "field 'office_hours.hours' is missing"),
        ("office_hours: {days: [monday], hours: '17:00-10:00'}\n", "'office_hours.hours' must be"),
        ("office_hours: {days: [monday], hours: '10-17'}\n", "'office_hours.hours' must be"),
        ("office_hours: {days: [monday], hours: '10:00-25:00'}\n", "'office_hours.hours' must be"),
        ("office_hours: {days: [monday], hours: 10:00}\n", "'office_hours.hours' must be"),   # YAML reads 600
    ],
)
def test_broken_office_hours_are_reported_by_key(tmp_path, monkeypatch, office_hours, message):
    with pytest.raises(DistrictDataError, match=message):
        load_from(tmp_path, monkeypatch, VALID_BUT_HOURS + office_hours)


def test_office_hours_are_read_from_the_file(tmp_path, monkeypatch):
    d = load_from(tmp_path, monkeypatch, VALID_BUT_HOURS + "office_hours: {days: [Monday, friday], hours: '9:30-18:00'}\n")
    assert d.office_hours == OfficeHours(frozenset({0, 4}), dt.time(9, 30), dt.time(18, 0))


VALID_BUT_TEHSILS = (
    "code: ABC\nname: {hi: x, en: y}\nstate: {hi: a, en: b}\ncollectorate: {hi: a, en: b}\n"
    "lok_seva_kendra: {hi: a, en: b}\njan_sunwai: {day: tuesday}\n"
    "office_hours: {days: [monday], hours: '10:00-17:00'}\n"
)


@pytest.mark.parametrize(
    "tehsils, message",
    [
        ("", "field 'tehsils' is missing"),
        ("tehsils: Jhabua\n", "field 'tehsils' must be a list"),
        ("tehsils: [Jhabua]\n", "field 'tehsils' entry 1 .* needs both 'en' and 'hi'"),
        ("tehsils: [{en: A, hi: अ}, {en: B}]\n", "field 'tehsils' entry 2 .* needs both 'en' and 'hi'"),
        ("tehsils: [{en: A, hi: अ, also: ए}]\n", "field 'tehsils' entry 1: 'also' must be a list"),
    ],
)
def test_broken_tehsils_are_reported_by_key(tmp_path, monkeypatch, tehsils, message):
    with pytest.raises(DistrictDataError, match=message):
        load_from(tmp_path, monkeypatch, VALID_BUT_TEHSILS + tehsils)
