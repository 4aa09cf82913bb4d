import pytest
import yaml

from lokseva.catalogue import CATALOGUE_FILE, CatalogueError, load_catalogue, parse_catalogue

CONTRACT_SERVICES = {
    "income_certificate",
    "domicile_certificate",
    "caste_certificate",
    "birth_certificate",
    "death_certificate",
    "land_record_copy",
}


def test_catalogue_has_every_service_of_the_contract():
    catalogue = load_catalogue()
    assert set(catalogue.ids) == CONTRACT_SERVICES
    for service in catalogue:
        assert service.name["hi"] and service.name["en"]
        assert service.designated_officer["hi"] and service.appellate_officer["en"]
        assert service.documents and service.source
        assert isinstance(service.fees.processing, int)


def test_fees_are_paise_and_facts_match_the_sources():
    catalogue = load_catalogue()
    assert catalogue["income_certificate"].fees.processing == 2000  # ₹20 since Sep 2023
    land = catalogue["land_record_copy"].fees
    assert (land.statutory, land.per_extra_page) == (3000, 1500)  # ₹30 + ₹15 a page
    birth = catalogue["birth_certificate"].fees.statutory_by_delay
    assert [(t.up_to_days, t.paise) for t in birth] == [(21, 0), (30, 2000), (365, 5000)]
    assert catalogue["caste_certificate"].time_limit.days == 15
    assert catalogue["caste_certificate"].fields[-1] == "caste_category"
    assert not catalogue["income_certificate"].is_confirmed("time_limit")  # Act limit unconfirmed


def _broken(mutate):
    data = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    mutate(data["services"])
    return yaml.safe_dump(data, allow_unicode=True)


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda s: s[2]["fees"].update(statutory=20.5), r"entry 'caste_certificate', field 'fees.statutory'.*paise"),
        (lambda s: s[0]["fees"].pop("processing"), r"entry 'income_certificate', field 'fees.processing': is missing"),
        (lambda s: s[1]["time_limit"].update(kind="weekly"), r"entry 'domicile_certificate', field 'time_limit.kind'"),
        (
            lambda s: s[3].update(fields=["favourite_colour"]),
            r"entry 'birth_certificate', field 'fields'.*favourite_colour",
        ),
        (lambda s: s[4]["name"].pop("en"), r"entry 'death_certificate', field 'name'.*'hi' and 'en'"),
        (lambda s: s[5]["confirmed"].pop("fees"), r"entry 'land_record_copy', field 'confirmed.fees'"),
        (lambda s: s[5].update(id="income_certificate"), r"entry 'income_certificate', field 'id': appears twice"),
        (lambda s: s[0].pop("id"), r"entry 1 \(no id\), field 'id': is missing"),
        (
            lambda s: s[3]["fees"]["statutory_by_delay"][1].update(up_to_days=10),
            r"entry 'birth_certificate', field 'fees.statutory_by_delay\[1\].up_to_days'.*increasing",
        ),
    ],
)
def test_a_broken_entry_is_reported_by_entry_and_field(mutate, message):
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(_broken(mutate))


def test_a_broken_catalogue_stops_the_action_server_import(monkeypatch, tmp_path):
    """actions/applications.py turns a broken catalogue into an ImportError,
    which makes rasa_sdk exit at start-up."""
    import importlib
    import sys

    import lokseva.catalogue as catalogue_module

    broken = tmp_path / "services.yml"
    broken.write_text(_broken(lambda s: s[0].update(same_day="sometimes")), encoding="utf-8")
    monkeypatch.setattr(catalogue_module, "CATALOGUE_FILE", broken)
    load_catalogue.cache_clear()
    monkeypatch.delitem(sys.modules, "actions.applications", raising=False)
    try:
        with pytest.raises(ImportError, match=r"entry 'income_certificate', field 'same_day'"):
            importlib.import_module("actions.applications")
    finally:
        load_catalogue.cache_clear()
        sys.modules.pop("actions.applications", None)


def test_an_unquoted_comma_in_a_text_is_reported_not_cut_short():
    text = CATALOGUE_FILE.read_text(encoding="utf-8").replace(
        '{hi: "पते का प्रमाण (जैसे राशन कार्ड या बिजली का बिल)"',
        "{hi: पते का प्रमाण (जैसे राशन कार्ड, बिजली का बिल)",
    )
    with pytest.raises(CatalogueError, match="quote texts that contain a comma"):
        parse_catalogue(text)
