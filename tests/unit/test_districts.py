import datetime as dt

import pytest

from lokseva import districts
from lokseva.districts import DistrictDataError, load_district


def test_jhabua_loads():
    d = load_district("jhabua")
    assert d.code == "JBA"
    assert d.text("name", "hi") == "झाबुआ" and d.text("name", "en") == "Jhabua"
    assert dt.date(2026, 8, 15) in d.holidays


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
            "lok_seva_kendra: {hi: a, en: b}\njan_sunwai: {day: tuesday}\ntehsils: [A]\n",
            "'name' needs both",
        ),
    ],
)
def test_broken_district_file_is_reported_by_field(tmp_path, monkeypatch, body, message):
    (tmp_path / "broken.yml").write_text(body)
    monkeypatch.setattr(districts, "DATA_DIR", tmp_path)
    load_district.cache_clear()
    try:
        with pytest.raises(DistrictDataError, match=message):
            load_district("broken")
    finally:
        load_district.cache_clear()
