"""lokseva.references: one rule for application ids and certificate numbers,
used by the NLU, the actions and the portal alike (they used to disagree)."""

import pytest

from lokseva.nlu.patterns import find_application_ids as nlu_find
from lokseva.portal.views_conversations import canonical_application_id
from lokseva.references import (
    application_id_only,
    find_application_ids,
    format_application_id,
    parse_application_id,
    parse_certificate_number,
)


@pytest.mark.parametrize(
    "typed",
    [
        "JBA-2026-000123",
        "jba2026000123",
        "JBA 2026 000123",
        "jba/2026/000123",
        "JBA.2026.000123",
        "JBA-२०२६-०००१२३",
        "JBA–2026–000123",
        "JBA—2026—000123",
        "jba - 2026 - 000123",
    ],
)
def test_every_spelling_is_one_id_everywhere(typed):
    assert parse_application_id(f"mera {typed} kya hua") == "JBA-2026-000123"
    assert [f.value for f in nlu_find(typed)] == ["JBA-2026-000123"]
    assert canonical_application_id(typed) == "JBA-2026-000123", "the portal's search box agrees"


def test_a_word_before_spaced_numbers_is_not_an_id():
    # ids.parse_reference used to read this as FOR-2026-000123.
    assert parse_application_id("for 2026 000123") is None
    assert nlu_find("for 2026 000123") == []


def test_a_short_serial_is_padded_when_clearly_separated_in_every_place():
    # "JBA-2026-123" passed the old ids parser but not the portal search.
    assert parse_application_id("JBA-2026-123") == "JBA-2026-000123"
    assert canonical_application_id("JBA-2026-123") == "JBA-2026-000123"
    assert [f.value for f in nlu_find("JBA-2026-123")] == ["JBA-2026-000123"]
    assert parse_application_id("JBA 2026 123") is None


def test_an_en_dash_passes_the_nlu_and_the_parser_alike():
    assert parse_application_id("JBA–2026–000123") == nlu_find("JBA–2026–000123")[0].value


def test_spans_point_into_the_original_text():
    text = "स्थिति JBA–२०२६–०००१२३ बताओ"
    (found,) = find_application_ids(text)
    assert text[found.start : found.end] == "JBA–२०२६–०००१२३"


def test_the_search_box_takes_only_an_id():
    assert application_id_only("  JBA 2026 000123 ") == "JBA-2026-000123"
    assert application_id_only("JBA-2026-000123 aur JBA-2026-000124") is None
    assert application_id_only("status JBA-2026-000123") is None
    assert canonical_application_id("9826012345") == ""


def test_unknown_codes_need_a_clear_separator():
    assert parse_application_id("ABC-2026-000123") == "ABC-2026-000123"
    assert parse_application_id("abc 2026 000123") is None


def test_certificate_numbers():
    assert parse_certificate_number("jba c 2026 000123") == "JBA-C-2026-000123"
    assert parse_certificate_number("JBA–C–२०२६–०००१२३") == "JBA-C-2026-000123"
    assert parse_certificate_number("JBA-2026-000123") is None
    assert find_application_ids("JBA-C-2026-000123") == [], "a certificate number is not an application id"


def test_format():
    assert format_application_id("JBA", 2026, 7) == "JBA-2026-000007"
    with pytest.raises(ValueError):
        format_application_id("JBA", 2026, 1_000_000)
