"""ApplicationIdExtractor and NumberExtractor as Rasa components."""

from lokseva.nlu.extractors import ApplicationIdExtractor, NumberExtractor
from tests.unit.nlu.conftest import message


def entities(msg, name=None):
    return [e for e in msg.get("entities", []) if name is None or e["entity"] == name]


def test_application_id_entity_has_canonical_value_and_original_span(components):
    text = "पावती jba २०२६ ०००१२३ का स्टेटस"
    msg = message(text)
    components.create(ApplicationIdExtractor).process([msg])
    (e,) = entities(msg)
    assert e["entity"] == "application_id"
    assert e["value"] == "JBA-2026-000123"
    assert text[e["start"] : e["end"]] == "jba २०२६ ०००१२३"
    assert e["extractor"] == "ApplicationIdExtractor"


def test_configured_district_codes(components):
    msg = message("DHR 2026 000001")
    components.create(ApplicationIdExtractor, {"district_codes": ["DHR"]}).process([msg])
    assert [e["value"] for e in entities(msg)] == ["DHR-2026-000001"]
    msg = message("JBA 2026 000001")  # not configured: the loose spelling is not trusted
    components.create(ApplicationIdExtractor, {"district_codes": ["DHR"]}).process([msg])
    assert entities(msg) == []


def test_existing_entities_are_kept_and_not_duplicated(components):
    text = "JBA-2026-000123 aur aay praman patra"
    other = {"entity": "service", "start": 20, "end": 36, "value": "income_certificate"}
    same_span = {"entity": "application_id", "start": 0, "end": 15, "value": "jba-2026-000123"}
    msg = message(text, entities=[other, same_span])
    components.create(ApplicationIdExtractor).process([msg])
    assert entities(msg, "service") == [other]
    assert [e["value"] for e in entities(msg, "application_id")] == ["JBA-2026-000123"]


def test_numbers_entities(components):
    text = "aadhar 7896 4521 3309, mobile +91 98260 12345, pin ४५७६६१"
    msg = message(text)
    components.create(NumberExtractor).process([msg])
    found = {e["entity"]: (e["value"], text[e["start"] : e["end"]]) for e in entities(msg)}
    assert found == {
        "aadhaar_number": ("789645213309", "7896 4521 3309"),
        "mobile_number": ("9826012345", "+91 98260 12345"),
        "pin_code": ("457661", "४५७६६१"),
    }


def test_numbers_ignore_application_ids_found_before(components):
    msg = message("JBA2026000123 ka status, mobile 9826012345")
    components.create(ApplicationIdExtractor).process([msg])
    components.create(NumberExtractor).process([msg])
    assert sorted(e["entity"] for e in entities(msg)) == ["application_id", "mobile_number"]


def test_message_without_text_is_left_alone(components):
    msg = message("")
    components.create(ApplicationIdExtractor).process([msg])
    components.create(NumberExtractor).process([msg])
    assert entities(msg) == []
