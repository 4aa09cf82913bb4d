"""Reading and writing Rasa NLU data for the trainer inbox."""

import pytest

from lokseva.portal import nlu_data
from lokseva.settings import ROOT


@pytest.mark.parametrize(
    "a, b",
    [
        ("Mera Status batao!!", "mera status batao"),
        ("आय  प्रमाण पत्र।", "आय प्रमाण पत्र"),
        ("JBA-२०२६-०००१२३ ka status", "jba 2026 000123 ka status"),
        ("status\u200d batao 🙏", "status batao"),
        (
            'mera [aay praman patra]{"entity": "service", "value": "income_certificate"} kab',
            "mera aay praman patra kab",
        ),
        ("[JBA-2026-000123](application_id) kya hua", "jba 2026 000123 kya hua"),
    ],
)
def test_normalise_ignores_spelling_noise(a, b):
    assert nlu_data.normalise(a) == nlu_data.normalise(b)


def test_nfc_and_nfd_devanagari_are_the_same_sentence():
    nfc = "फ़ीस"  # one code point for फ़
    nfd = "\u092b\u093c\u0940\u0938"  # फ + nukta
    assert nlu_data.normalise(nfc) == nlu_data.normalise(nfd)


def test_annotations_are_parsed():
    plain, entities = nlu_data.parse_annotations(
        'mera [aay praman patra]{"entity": "service", "value": "income_certificate"} aur [JBA-2026-000123](application_id)'
    )
    assert plain == "mera aay praman patra aur JBA-2026-000123"
    assert [(e.entity, e.text, e.value) for e in entities] == [
        ("service", "aay praman patra", "income_certificate"),
        ("application_id", "JBA-2026-000123", None),
    ]


def test_examples_are_validated_against_the_domain():
    assert nlu_data.validate_example("  [jati](service)   ka  form ", ["service"])[0] == "[jati](service) ka form"
    for bad, code in [
        ("", "empty_example"),
        ("🙏🙏", "empty_example"),
        ("[jati](caste) ka form", "unknown_entity"),
        ('[jati]{"entity": 5} x', "bad_annotation"),
        ("[jati ka form", "bad_annotation"),
        ("x" * 501, "long_example"),
    ]:
        with pytest.raises(nlu_data.ExampleError) as error:
            nlu_data.validate_example(bad, ["service"])
        assert error.value.code == code, bad


def test_the_real_domain_and_data_are_read():
    intents, entities = nlu_data.domain_vocabulary(ROOT / "domain")
    assert {"check_status", "request_human", "apply_service"} <= set(intents)
    assert "nlu_fallback" not in intents
    assert {"service", "application_id"} <= set(entities)
    index = nlu_data.known_examples(ROOT / "data" / "nlu")
    assert len(index) > 100
    found = index[nlu_data.normalise("status batao")]
    assert found[0].intent == "check_status" and found[0].file == "status.yml"


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_duplicates_and_conflicts(tmp_path):
    _write(
        tmp_path / "status.yml",
        'version: "3.1"\nnlu:\n- intent: check_status\n  examples: |\n    - Status batao\n    - JBA-2026-000123 ka status\n',
    )
    index = nlu_data.known_examples(tmp_path)
    assert nlu_data.check_against(index, "status   BATAO!", "check_status")[0] == "duplicate"
    verdict, known = nlu_data.check_against(index, "status batao", "pay_fee")
    assert verdict == "conflict" and known.intent == "check_status" and known.file == "status.yml"
    assert nlu_data.check_against(index, "fees kitni hai", "ask_service_info") == ("new", None)


def test_export_file_keeps_what_is_there_and_rasa_reads_it(tmp_path):
    first = nlu_data.append_to_export(tmp_path, [("check_status", "patwari ne report nahi lagayi")])
    nlu_data.append_to_export(
        tmp_path,
        [
            ("check_status", "mera [JBA-2026-000123](application_id) kaha atka"),
            ("ask_service_info", 'khet ki [nakal]{"entity": "service", "value": "land_record_copy"} kaise milegi'),
            ("greet", "- ram ram: #सा"),  # YAML-looking text stays text inside the block
        ],
    )
    assert first.name == "from_conversations.yml"
    pairs = nlu_data.read_examples(first)
    assert ("check_status", "patwari ne report nahi lagayi") in pairs
    assert ("greet", "- ram ram: #सा") in pairs
    assert len(pairs) == 4
    assert not list(tmp_path.glob(".from_conversations.*")), "no temporary files left"

    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    data = RasaYAMLReader().read(first)
    texts = {m.get("text"): m for m in data.training_examples}
    assert texts["mera JBA-2026-000123 kaha atka"].get("intent") == "check_status"
    entity = texts["khet ki nakal kaise milegi"].get("entities")[0]
    assert (entity["entity"], entity["value"]) == ("service", "land_record_copy")


def test_an_aadhaar_number_in_an_example_is_masked():
    from lokseva.portal.nlu_data import clean_example

    assert clean_example("mera aadhar 2345–6789–0124 hai") == "mera aadhar XXXX–XXXX–0124 hai"
