"""Normalisation and phonetic keys (lokseva/nlu/text.py)."""

import unicodedata

import pytest

from lokseva.nlu.text import normalise, normalise_text, phonetic_key, words


def test_precomposed_and_decomposed_spellings_normalise_alike():
    precomposed = "\u095eीस कितनी है"  # फ़ as one code point
    decomposed = "\u092b\u093cीस कितनी है"  # फ + nukta
    assert precomposed != decomposed  # keyboards send either
    assert normalise_text(precomposed) == normalise_text(decomposed) == "फीस कितनी है"


def test_nfd_roman_text_is_composed():
    assert normalise_text(unicodedata.normalize("NFD", "café")) == "café"


def test_precomposed_nukta_letters_lose_the_nukta():
    assert normalise_text("\u095b\u093f\u0932\u093e") == "जिला"  # ज़िला with U+095B
    assert normalise_text("ज़मीन") == normalise_text("जमीन")


def test_zero_width_characters_are_removed():
    assert normalise_text("प्र\u200dमाण\u200c पत्र\ufeff") == "प्रमाण पत्र"
    assert normalise_text("jati\u200b praman") == "jati praman"


def test_devanagari_and_other_digits_become_ascii():
    assert normalise_text("JBA-२०२६-०००१२३") == "jba-2026-000123"
    assert normalise_text("૪૫૭૬૬૧") == "457661"  # Gujarati digits, common near Jhabua


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("hiiii", "hii"),
        ("helloooo", "helloo"),
        ("pleeeease", "pleease"),
        ("हाााँ", "हां"),
        ("okkkk", "okk"),
    ],
)
def test_elongations_are_cut(typed, expected):
    assert normalise_text(typed) == expected


def test_digits_are_never_squeezed():
    assert normalise_text("000123 1111") == "000123 1111"


def test_roman_is_lower_cased_and_punctuation_spaced():
    assert normalise_text("STATUS BATAO!!! plz...") == "status batao plz"
    assert normalise_text("नमस्ते।आवेदन करना है॥") == "नमस्ते आवेदन करना है"


def test_punctuation_inside_words_and_numbers_is_kept():
    assert normalise_text("B-1 ki copy, s/o kalu, 1.5 lakh, 12/03/1990") == "b-1 ki copy s/o kalu 1.5 lakh 12/03/1990"


def test_emoji_become_words_and_repeats_collapse():
    assert normalise_text("ok👍👍👍🏽") == "ok 👍"
    assert normalise_text("धन्यवाद🙏🙏") == "धन्यवाद 🙏"


def test_chandrabindu_and_anusvara_are_one():
    assert normalise_text("हाँ") == normalise_text("हां")


def test_spans_point_into_the_original_text():
    original = "  Hiiii  सर!!!  फ़ीस  JBA-२०२६-०००१२३ ok👍"
    n = normalise(original)
    assert len(n.spans) == len(n.text)
    found = {w: original[s:e] for w, s, e in words(n)}
    assert found["hii"] == "Hiiii"
    assert found["फीस"] == "फ़ीस"
    assert found["jba-2026-000123"] == "JBA-२०२६-०००१२३"
    assert found["👍"] == "👍"
    assert found["सर"] == "सर"


def test_spans_survive_nfd_input():
    original = unicodedata.normalize("NFD", "ज़िला झाबुआ")
    n = normalise(original)
    (w1, s1, e1), (w2, s2, e2) = words(n)
    assert original[s1:e1] == original.split()[0]
    assert original[s2:e2] == "झाबुआ"


def test_empty_and_blank_text():
    assert normalise_text("") == ""
    assert normalise_text("   \n ") == ""
    assert normalise("").spans == ()


@pytest.mark.parametrize(
    "group",
    [
        ["प्रमाण", "praman", "parman", "pramaan"],
        ["पत्र", "patra", "patr", "ptr", "पतर"],
        ["है", "hai", "h", "he"],
        ["जाति", "jati", "jaati", "जाती"],
        ["आय", "aay"],
        ["मृत्यु", "mrityu", "mirtyu", "mrtyu"],
        ["सर्टिफिकेट", "certificate", "sartifiket", "certifcate"],
        ["खसरा", "khasra", "khasara"],
        ["निवास", "niwas", "nivas"],
        ["जन्म", "janm", "janam"],
        ["स्टेटस", "status"],
        ["आधार", "aadhar", "adhar", "aadhaar"],
        ["क्या", "kya"],
    ],
)
def test_devanagari_and_roman_spellings_share_a_key(group):
    keys = {phonetic_key(w) for w in group}
    assert len(keys) == 1, {w: phonetic_key(w) for w in group}


@pytest.mark.parametrize(
    "a, b",
    [
        ("aay", "ya"),  # income vs "or"
        ("aai", "a"),  # vowel-only words keep their vowels
        ("jati", "janm"),
        ("praman", "patra"),
    ],
)
def test_different_words_keep_different_keys(a, b):
    assert phonetic_key(a) != phonetic_key(b)


def test_numbers_share_one_key_and_emoji_are_their_own():
    assert phonetic_key("457661") == phonetic_key("२०२६") == "0"
    assert phonetic_key("🙏") == "🙏"


def test_dashes_and_digits_fold_as_lokseva_text_folds_them_and_spans_stay_original():
    from lokseva.nlu.text import normalise

    original = "स्थिति JBA–२०२६—०००१२३ बताओ"
    result = normalise(original)
    assert "jba-2026-000123" in result.text
    start = result.text.index("jba")
    span = result.original_span(start, start + len("jba-2026-000123"))
    assert original[span[0] : span[1]] == "JBA–२०२६—०००१२३"
