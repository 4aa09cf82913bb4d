"""The district registry (registry.yml) and the district files (data/<key>.yml):
what they hold, and that a broken file is reported by file and field."""

import datetime as dt
import re

import pytest
import yaml

from lokseva import districts
from lokseva.districts import (
    DistrictDataError,
    OfficeHours,
    all_districts,
    district_by_code,
    load_district,
    read_district_file,
)
from lokseva.settings import ROOT


def test_all_55_districts_of_the_facts_file_are_in_the_registry_with_their_names_and_division():
    facts = (ROOT / "docs" / "facts" / "scheme-facts.md").read_text(encoding="utf-8")
    section = facts[facts.index("## C. Districts") : facts.index("## D.")]
    rows = re.findall(r"^\| \d+ \| ([^|]+?) \| ([^|]+?) \| ([^|(]+?)(?: \(new, 2023\))? \|$", section, re.M)
    assert len(rows) == 55
    registered = {d.name["en"]: d for d in all_districts()}
    assert len(registered) == 55
    for english, hindi, division in rows:
        english = english.replace(" (ex-Hoshangabad)", "")
        district = registered[english]
        assert district.name["hi"] == hindi and district.division["en"] == division, english


def test_codes_are_unique_three_letters_and_jhabua_keeps_jba():
    codes = [d.code for d in all_districts()]
    assert len(set(codes)) == 55 and all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
    assert load_district("jhabua").code == "JBA"
    assert district_by_code("ind").key == "indore" and district_by_code("XYZ") is None


def test_jhabua_stays_complete():
    d = load_district("jhabua")
    assert d.text("name", "hi") == "झाबुआ" and d.text("name", "en") == "Jhabua"
    assert {dt.date(2026, 8, 15), dt.date(2026, 3, 4)} <= d.holidays  # the state's and its own
    assert d.office_hours == OfficeHours(frozenset(range(6)), dt.time(10, 0), dt.time(17, 0))
    assert d.tehsil_names == ("Jhabua", "Petlawad", "Thandla", "Meghnagar", "Ranapur", "Rama")
    assert [t.hi for t in d.tehsils] == ["झाबुआ", "पेटलावद", "थांदला", "मेघनगर", "राणापुर", "रामा"]
    assert d.collectorate["hi"] == "कलेक्टर कार्यालय, झाबुआ"


def test_the_nearest_kendra_follows_the_tehsil():
    d = load_district("jhabua")
    assert d.kendra_for("Thandla").name["en"] == "Lok Seva Kendra, Thandla"
    assert d.kendra_for("petlawad").name["en"] == "Lok Seva Kendra, Petlawad"
    assert not d.kendra_for("Petlawad").confirmed, "the facts file has it as likely only"
    assert d.kendra_for("Rama").name["en"].startswith("Lok Seva Kendra, Jhabua")
    assert d.kendra_for(None) is None, "no Kendra serves the whole district"


def test_a_district_with_little_data_knows_what_it_does_not_know():
    indore = load_district("indore")
    assert indore.tehsils == () and indore.kendras == () and indore.office_hours is None
    assert indore.collectorate["hi"] == "कलेक्टर कार्यालय, इंदौर"
    assert indore.jan_sunwai["day"] == "tuesday" and "इंदौर" in indore.jan_sunwai["venue"]["hi"]
    assert indore.holidays == frozenset({dt.date(2026, 1, 26), dt.date(2026, 8, 15), dt.date(2026, 10, 2)})
    assert indore.hours_for_callbacks is not None  # the deployment's call-back desk


def test_new_districts_carry_the_tehsils_of_the_facts_file():
    assert load_district("pandhurna").tehsil_names == ("Pandhurna", "Sausar")
    assert load_district("maihar").tehsil_names == ("Maihar", "Amarpatan", "Ramnagar")


def test_every_district_file_is_valid_and_named_after_a_registered_district():
    keys = {d.key for d in all_districts()}
    for path in sorted(districts.DATA_DIR.glob("*.yml")):
        assert path.stem in keys, path.name
        read_district_file(path)


def test_unknown_district_names_the_known_ones():
    with pytest.raises(DistrictDataError, match="jhabua"):
        load_district("atlantis")


def write(tmp_path, body):
    path = tmp_path / "broken.yml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "body, message",
    [
        ("tehsil: []\n", r"broken.yml: field 'tehsil' extra fields not permitted"),
        ("office_hours: 10-5\n", r"field 'office_hours' value is not a valid dict"),
        ("office_hours: {hours: '10:00-17:00'}\n", r"field 'office_hours.days' field required"),
        ("office_hours: {days: [], hours: '10:00-17:00'}\n", r"'office_hours.days' must be a list"),
        ("office_hours: {days: monday, hours: '10:00-17:00'}\n", r"'office_hours.days' must be a list"),
        ("office_hours: {days: [monday, funday], hours: '10:00-17:00'}\n", r"'office_hours.days' has 'funday'"),
        ("office_hours: {days: [monday], hours: '17:00-10:00'}\n", r"'office_hours.hours' must be"),
        ("office_hours: {days: [monday], hours: '10:00-25:00'}\n", r"'office_hours.hours' must be"),
        ("office_hours: {days: [monday], hours: 10:00}\n", r"'office_hours.hours' must be"),  # YAML reads 600
        ("tehsils: [{en: A}]\n", r"field 'tehsils.0.hi' field required"),
        ("tehsils: [{en: A, hi: अ, also: ए}]\n", r"field 'tehsils.0.also' value is not a valid list"),
        (
            "tehsils: [{en: A, hi: अ}]\nkendras: [{name: {hi: क, en: K}, serves: [B]}]\n",
            r"K serves B, not a tehsil of this file",
        ),
        ("holidays: [next tuesday]\n", r"field 'holidays.0' invalid date format"),
        ("collectorate: {hi: x}\n", r"field 'collectorate.en' field required"),
    ],
)
def test_a_broken_district_file_is_reported_by_file_and_field(tmp_path, body, message):
    with pytest.raises(DistrictDataError, match=message):
        read_district_file(write(tmp_path, body))


def test_office_hours_are_read_from_the_file(tmp_path):
    details = read_district_file(write(tmp_path, "office_hours: {days: [Monday, friday], hours: '9:30-18:00'}\n"))
    assert OfficeHours.of(details.office_hours) == OfficeHours(frozenset({0, 4}), dt.time(9, 30), dt.time(18, 0))


def test_a_broken_registry_names_the_clash(tmp_path, monkeypatch):
    data = yaml.safe_load(districts.REGISTRY.read_text(encoding="utf-8"))
    data["districts"][1]["code"] = data["districts"][0]["code"]
    (tmp_path / "registry.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(districts, "REGISTRY", tmp_path / "registry.yml")
    districts.registry.cache_clear()
    try:
        with pytest.raises(DistrictDataError, match="code BPL is used by both bhopal and raisen"):
            districts.registry()
    finally:
        districts.registry.cache_clear()
