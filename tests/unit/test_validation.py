"""The shared pydantic pieces of the YAML data files (lokseva.validation), and the
loaders that use them: every broken text or field is refused with its place named."""

import pytest
import yaml
from pydantic import ValidationError

from lokseva.appeals import limits
from lokseva.catalogue import CATALOGUE_FILE, CatalogueError, parse_catalogue
from lokseva.districts import schema
from lokseva.information import CONTENT_FILE, ContentError, load_content
from lokseva.schemes import models
from lokseva.validation import Bilingual, field_path


def test_one_bilingual_model_serves_every_data_file():
    assert schema.Bilingual is models.Bilingual is limits.Bilingual is Bilingual
    text = Bilingual(hi="  आय प्रमाण पत्र ", en=" Income certificate ")
    assert (text.hi, text.en) == ("आय प्रमाण पत्र", "Income certificate")
    assert text.text("en") == "Income certificate" and text.text("hi") == text.text("xx") == "आय प्रमाण पत्र"
    assert text.as_dict() == {"hi": "आय प्रमाण पत्र", "en": "Income certificate"}
    with pytest.raises(TypeError):
        text.hi = "बदला"  # data read from a file is not changed by the code that reads it


@pytest.mark.parametrize(
    "value, words",
    [
        ({"hi": "नाम"}, "field required"),
        ({"hi": " ", "en": "Name"}, "must not be empty"),
        ({"hi": "नाम", "en": "Name", "mr": "नाव"}, "extra fields not permitted"),
    ],
)
def test_a_broken_text_is_refused_with_its_language_named(value, words):
    with pytest.raises(ValidationError) as error:
        Bilingual.parse_obj(value)
    assert words in str(error.value)


def test_error_places_read_as_staff_write_them():
    assert field_path(("fees", "statutory_by_delay", 1, "paise")) == "fees.statutory_by_delay[1].paise"
    assert field_path(("documents", 0, "__root__")) == "documents[0]"


def _content_with(mutate, tmp_path):
    data = yaml.safe_load(CONTENT_FILE.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "content.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["hedge"].pop("en"), r"field 'hedge.en': field required"),
        (lambda d: next(iter(d["topics"].values())).update(confirmed="yes"), r"field 'topics\.\w+\.confirmed'"),
        (lambda d: next(iter(d["topics"].values())).pop("intent"), r"field 'topics\.\w+\.intent': field required"),
        (lambda d: d["menu_more"][0].update(payload="ask_scheme_info"), r"field 'menu_more\[0\]\.payload'"),
        (lambda d: d["appeal"]["late"].update(hi=""), r"field 'appeal.late.hi': must not be empty"),
        (lambda d: d.update(faq=[]), r"field 'faq': extra fields not permitted"),
    ],
)
def test_a_broken_content_file_is_refused_by_field(mutate, message, tmp_path):
    with pytest.raises(ContentError, match=message):
        load_content(_content_with(mutate, tmp_path))


def test_the_content_file_loads_as_before():
    content = load_content()
    assert content.hedge["hi"] and content.hedge["en"]
    assert set(content.appeal) == {"late", "rejected"}
    assert all(payload.startswith("/") for _title, payload in content.menu_more)
    for topic in content.topics:
        assert topic.title["hi"] and topic.text["en"]
        assert all(set(line) == {"hi", "en"} for _day, line in topic.until)


@pytest.mark.parametrize(
    "mutate, message",
    [
        (
            lambda s: s[0].update(same_day="sometimes"),
            r"entry 'income_certificate', field 'same_day': must be true or false, not 'sometimes'",
        ),
        (lambda s: s[0].update(colour="red"), r"entry 'income_certificate', field 'colour': is not a field"),
        (lambda s: s[0]["confirmed"].update(speed=True), r"field 'confirmed.speed': is not a topic staff confirm"),
        (lambda s: s[0].update(id="Income"), r"entry 1 \(Income\), field 'id': must be lower_snake_case"),
        (lambda s: s[0]["time_limit"].update(days=-1), r"field 'time_limit.days': must be a whole number of days"),
        (lambda s: s[0]["fees"].update(processing=True), r"field 'fees.processing': must be a whole number of paise"),
        (lambda s: s[0].update(documents=[]), r"field 'documents': must be a non-empty list"),
        (lambda s: s[0].update(aliases=["aay", " "]), r"field 'aliases': must be a list of words"),
    ],
)
def test_the_catalogue_names_each_slip_of_a_hand_edit(mutate, message):
    data = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    mutate(data["services"])
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(yaml.safe_dump(data, allow_unicode=True))
