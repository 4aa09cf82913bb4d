"""Service dictionary, lookup features and the service entity resolver."""

import pytest

from lokseva.nlu.normaliser import TextNormaliser
from lokseva.nlu.service_dictionary import ServiceDictionary, within_one_edit
from lokseva.nlu.services import ServiceEntityExtractor, ServiceLookupFeaturizer
from lokseva.nlu.text import normalise_text
from lokseva.nlu.tokenizer import LokSevaTokenizer
from tests.unit.nlu.conftest import entity, message, training_data

SYNONYMS = {
    "aay praman patra": "income_certificate",
    "income certificate": "income_certificate",
    "jati praman patra": "caste_certificate",
    "जाति प्रमाण पत्र": "caste_certificate",
    "janm praman patra": "birth_certificate",
    "janm": "birth_certificate",
    "khasra ki nakal": "land_record_copy",
    "domicile": "domicile_certificate",
}


def annotated(text, mention, value):
    return text, "apply_service", [entity(text, mention, value)]


def data():
    """Synonyms count for the values annotated at least once in the examples."""
    examples = [
        annotated("mujhe jati praman patra chahiye", "jati praman patra", "caste_certificate"),
        annotated("aay praman patra banwana hai", "aay praman patra", "income_certificate"),
        annotated("bacche ka janm praman patra", "janm praman patra", "birth_certificate"),
        annotated("khasra ki nakal chahiye", "khasra ki nakal", "land_record_copy"),
        annotated("domicile banwana hai", "domicile", "domicile_certificate"),
        ("janm tithi 1 jan 2001", "inform"),
    ]
    return training_data(examples, SYNONYMS)


@pytest.fixture
def dictionary():
    return ServiceDictionary.from_training_data(data())


def matches(dictionary, text):
    words = normalise_text(text).split()
    return [(" ".join(words[m.start : m.end]), m.value, m.how) for m in dictionary.match(words)]


def test_exact_key_and_fuzzy_matches(dictionary):
    assert matches(dictionary, "mujhe AAY PRAMAN PATRA chahiye") == [
        ("aay praman patra", "income_certificate", "exact")
    ]
    assert matches(dictionary, "जाति प्रमाणपत्र") == [("जाति प्रमाणपत्र", "caste_certificate", "key")]
    assert matches(dictionary, "jaati parman patr") == [("jaati parman patr", "caste_certificate", "key")]
    assert matches(dictionary, "jati pramaan pattra") == [("jati pramaan pattra", "caste_certificate", "key")]
    assert matches(dictionary, "incme sertificate") == [("incme sertificate", "income_certificate", "key")]
    assert matches(dictionary, "khasraa ki nkal") == [("khasraa ki nkal", "land_record_copy", "key")]
    assert matches(dictionary, "jati pramaam patra") == [("jati pramaam patra", "caste_certificate", "fuzzy")]
    # short words get no typo tolerance
    assert matches(dictionary, "domicale") == []


def test_a_typo_never_swallows_a_neighbour(dictionary):
    # "मेरा जाति ..." must not become a one-edit match of a longer spelling
    assert matches(dictionary, "मेरा जाति प्रमाण पत्र") == [("जाति प्रमाण पत्र", "caste_certificate", "exact")]


def test_synonyms_of_values_never_annotated_are_not_services():
    examples = [annotated("aay praman patra banwana hai", "aay praman patra", "income_certificate")]
    d = ServiceDictionary.from_training_data(training_data(examples, {**SYNONYMS, "purush": "male"}))
    assert d.values == ["income_certificate"]


def test_generic_words_name_no_service(dictionary):
    for text in ("certificate chahiye", "praman patra", "a certificate", "status batao", "aaye the"):
        assert matches(dictionary, text) == []
    assert dictionary.resolve("certificate") is None


def test_within_one_edit():
    assert within_one_edit("prmn", "prmn")
    assert within_one_edit("prmn", "prm")
    assert within_one_edit("prmn", "pmrn")
    assert within_one_edit("prmn", "prmk")
    assert not within_one_edit("prmn", "pr")
    assert not within_one_edit("prmn", "mrpn")


def prepared(components, text):
    msg = message(text)
    components.create(TextNormaliser).process([msg])
    components.create(LokSevaTokenizer).process([msg])
    return msg


def test_lookup_features_mark_the_mention_tokens(components):
    featurizer = components.create(ServiceLookupFeaturizer)
    featurizer.train(data())
    loaded = components.load(ServiceLookupFeaturizer, featurizer)
    msg = prepared(components, "mera jaati parman patr banao")
    loaded.process([msg])
    seq, sentence = msg.get_sparse_features("text")
    dims = loaded._dimensions()
    seq = seq.features.toarray()
    assert seq[:, dims.index("any")].tolist() == [0, 1, 1, 1, 0]
    assert seq[:, dims.index("caste_certificate")].tolist() == [0, 1, 1, 1, 0]
    assert sentence.features.toarray()[0, dims.index("multiword")] == 1


def resolve(components, text, entities, config=None):
    extractor = components.create(ServiceEntityExtractor, config)
    extractor.train(data())
    loaded = components.load(ServiceEntityExtractor, extractor, config)
    msg = prepared(components, text)
    msg.set("entities", entities)
    loaded.process([msg])
    return [(text[e["start"] : e["end"]], e["value"]) for e in msg.get("entities") if e["entity"] == "service"]


def test_misspelled_diet_entity_gets_the_canonical_value(components):
    text = "mera jaati parman patr banao"
    diet = [dict(entity(text, "jaati parman patr", "jaati parman patr"), extractor="DIETClassifier")]
    assert resolve(components, text, diet) == [("jaati parman patr", "caste_certificate")]


def test_entity_naming_no_service_is_dropped(components):
    text = "mera certificate bhejo"
    diet = [dict(entity(text, "certificate", "certificate"), extractor="DIETClassifier")]
    assert resolve(components, text, diet) == []


def test_one_mention_in_two_pieces_becomes_one_entity(components):
    text = "jati praman patra banwana hai"
    diet = [
        dict(entity(text, "jati", "caste_certificate"), extractor="DIETClassifier"),
        dict(entity(text, "praman patra", "praman patra"), extractor="DIETClassifier"),
    ]
    assert resolve(components, text, diet) == [("jati praman patra", "caste_certificate")]


def test_missed_multiword_mention_is_added_once(components):
    text = "bhai janm parman ptr chahiye aur jati praman patra bhi"
    diet = [dict(entity(text, "jati praman patra", "caste_certificate"), extractor="DIETClassifier")]
    assert resolve(components, text, diet) == [
        ("janm parman ptr", "birth_certificate"),
        ("jati praman patra", "caste_certificate"),
    ]


def test_single_words_are_left_to_diet(components):
    # "janm" alone names a birth certificate only in context: DIET decides
    assert resolve(components, "janm tithi 1 jan 2001", []) == []
    assert resolve(components, "janm tithi 1 jan 2001", [], {"add_missed": "all"}) == [("janm", "birth_certificate")]


def test_other_entities_pass_through(components):
    text = "JBA-2026-000123 ka status"
    other = {"entity": "application_id", "start": 0, "end": 15, "value": "JBA-2026-000123"}
    extractor = components.create(ServiceEntityExtractor)
    extractor.train(data())
    msg = prepared(components, text)
    msg.set("entities", [other])
    extractor.process([msg])
    assert msg.get("entities") == [other]
