"""Application ids and numbers in free text (lokseva/nlu/patterns.py)."""

import pytest

from lokseva.nlu.patterns import find_application_ids, find_numbers
from lokseva.references import known_district_codes


def ids(text, codes=None):
    return [(f.value, text[f.start : f.end]) for f in find_application_ids(text, codes)]


@pytest.mark.parametrize(
    "text, mention",
    [
        ("JBA-2026-000123", "JBA-2026-000123"),
        ("jba-2026-000123 ka status", "jba-2026-000123"),
        ("status JBA2026000123 batao", "JBA2026000123"),
        ("JBA 2026 000123 ka kya hua", "JBA 2026 000123"),
        ("पावती JBA-२०२६-०००१२३ है", "JBA-२०२६-०००१२३"),
        ("jba/2026/000123", "jba/2026/000123"),
        ("Jba-2026-000123", "Jba-2026-000123"),
        ("jBa.2026.000123", "jBa.2026.000123"),
        ("JBA - 2026 - 000123", "JBA - 2026 - 000123"),
        ("नंबरJBA2026000123", "JBA2026000123"),
        ("(JBA-2026-000123)", "JBA-2026-000123"),
    ],
)
def test_every_spelling_gives_the_canonical_id_and_its_original_span(text, mention):
    assert ids(text) == [("JBA-2026-000123", mention)]


def test_district_code_is_not_hard_coded():
    assert ids("DHR-2026-000045 ka status") == [("DHR-2026-000045", "DHR-2026-000045")]
    assert ids("dhr2026000045") == [("DHR-2026-000045", "dhr2026000045")]
    # a configured code is accepted in the loose spelling too
    assert ids("DHR 2026 000045", codes={"DHR"}) == [("DHR-2026-000045", "DHR 2026 000045")]


def test_known_codes_come_from_the_district_files():
    assert "JBA" in known_district_codes()


def test_a_word_before_spaced_numbers_is_not_an_id():
    assert ids("for 2026 000123") == []
    assert ids("mera 2026 000123") == []


def test_short_serials_are_padded_only_when_clearly_separated():
    assert ids("JBA-2026-123") == [("JBA-2026-000123", "JBA-2026-123")]
    assert ids("JBA2026123") == []


def test_two_ids_in_one_message():
    text = "JBA-2026-000001 aur jba2025000002 dono"
    assert [v for v, _ in ids(text)] == ["JBA-2026-000001", "JBA-2025-000002"]


def test_no_id_in_plain_numbers_or_dates():
    for text in ("9826012345", "12/03/1990", "khasra 245/2", "2026 me apply kiya", "JBA"):
        assert ids(text) == []


def numbers(text):
    return [(f.entity, f.value, text[f.start : f.end]) for f in find_numbers(text)]


def test_aadhaar_with_and_without_spaces():
    assert numbers("aadhar number 7896 4521 3309") == [("aadhaar_number", "789645213309", "7896 4521 3309")]
    assert numbers("789645213309") == [("aadhaar_number", "789645213309", "789645213309")]
    assert numbers("आधार ४५६३ ७८१२ ९०५४") == [("aadhaar_number", "456378129054", "४५६३ ७८१२ ९०५४")]


@pytest.mark.parametrize(
    "text, mention",
    [
        ("mera mobile 9826012345 hai", "9826012345"),
        ("+91 98260 12345", "+91 98260 12345"),
        ("+919826012345", "+919826012345"),
        ("09826012345", "09826012345"),
        ("मोबाइल ९८२६०१२३४५", "९८२६०१२३४५"),
    ],
)
def test_mobile_numbers(text, mention):
    assert numbers(text) == [("mobile_number", "9826012345", mention)]


def test_pin_codes():
    assert numbers("pin 457773") == [("pin_code", "457773", "457773")]
    assert numbers("457661") == [("pin_code", "457661", "457661")]
    assert numbers("पिन कोड ४५७६६१") == [("pin_code", "457661", "४५७६६१")]


def test_money_is_not_a_pin_code():
    assert numbers("income 150000 saal ki") == []
    assert numbers("सालाना आय 120000") == []


def test_numbers_inside_an_application_id_are_not_numbers():
    assert numbers("JBA2026000123") == []
    assert numbers("JBA-2026-000123 ka status") == []


def test_several_numbers_in_one_message():
    found = numbers("aadhar 2345-6789-0126 mobile 9826012345 pin 457661")
    assert [(e, v) for e, v, _ in found] == [
        ("aadhaar_number", "234567890126"),
        ("mobile_number", "9826012345"),
        ("pin_code", "457661"),
    ]


def test_too_short_or_too_long_numbers_are_nothing():
    assert numbers("12345") == []
    assert numbers("98260123456789") == []
