"""lokseva.text: the one normalisation of what citizens type."""

import unicodedata

import pytest

from lokseva.text import DASHES, INVISIBLE, ascii_digits, clean, digits, fold, without_invisible


@pytest.mark.parametrize(
    "typed, folded",
    [
        ("९८२६०१२३४५", "9826012345"),  # Devanagari
        ("૯૮૨૬", "9826"),  # Gujarati
        ("০১২৩", "0123"),  # Bengali
        ("１２３", "123"),  # full-width
        ("JBA–2026—000123", "JBA-2026-000123"),  # autocorrect's en and em dash
        ("2345‑6789−0124", "2345-6789-0124"),  # non-breaking hyphen, minus sign
    ],
)
def test_fold_makes_digits_ascii_and_dashes_hyphens_one_for_one(typed, folded):
    assert fold(typed) == folded
    assert len(fold(typed)) == len(typed), "offsets into the folded text are offsets into the original"


def test_every_dash_of_the_unicode_dash_category_used_by_keyboards_folds():
    for dash in DASHES:
        assert fold(dash) == "-", hex(ord(dash))
    assert unicodedata.category("–") == "Pd"


def test_ascii_digits_leaves_dashes_and_letters_alone():
    assert ascii_digits("आधार २३४५–६७") == "आधार 2345–67"


def test_invisible_characters_go():
    text = "प्र\u200dमाण\u200c पत्र\ufeff so\u00adft \u200e\u2066x\u2069 ❤\ufe0f"
    assert without_invisible(text) == "प्रमाण पत्र soft x ❤"
    assert all(ch not in INVISIBLE for ch in without_invisible(text))


def test_clean_is_nfc_without_invisibles_folded():
    assert clean(unicodedata.normalize("NFD", "फ़ीस") + "\u200b २०२६–") == "फ़ीस 2026-"


def test_digits_reads_any_script():
    assert digits("९८२६ ०१-२३४५") == "9826012345"
    assert digits(None) == ""
