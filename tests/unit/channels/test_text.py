"""Normalising citizen text, splitting long answers, numbered buttons."""

import pytest

from lokseva.channels.text import (
    MAX_BODY_CHARS,
    match_button_reply,
    normalise_text,
    render_buttons,
    split_text,
    stored_buttons,
    utf16_len,
)

BUTTONS = [
    {"title": "प्रमाण पत्र के लिए आवेदन", "payload": "/apply_service"},
    {"title": "आवेदन की स्थिति", "payload": "/check_status"},
    {"title": "Pay the fee", "payload": "/pay_fee"},
]


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("\u095e\u0940\u0938", "\u092b\u093c\u0940\u0938"),  # फ़ precomposed and decomposed: one form
        ("नमस्ते\u200b\u200c\u200d", "नमस्ते"),
        ("\ufeff  hello   ji \t", "hello ji"),
        ("पहली लाइन  \r\n\r\n\r\n\r\nदूसरी", "पहली लाइन\n\nदूसरी"),
        ("/stop", "stop"),
        ('//greet{"a": 1}', 'greet{"a": 1}'),
        ("a\x00b\x07c", "abc"),
        (None, ""),
    ],
)
def test_normalise_text(raw, clean):
    assert normalise_text(raw) == clean


def test_normalising_twice_changes_nothing():
    text = "  फ\u093cीस\u200b जमा करनी है।  "
    assert normalise_text(normalise_text(text)) == normalise_text(text)


def test_short_text_is_one_part():
    assert split_text("नमस्ते") == ["नमस्ते"]
    assert split_text("  ") == []


def test_long_text_is_cut_at_dandas():
    sentence = "आपका आवेदन तहसील कार्यालय में जाँच के लिए भेजा गया है। "
    parts = split_text(sentence * 60)
    assert len(parts) == 3
    assert all(utf16_len(p) <= MAX_BODY_CHARS for p in parts)
    assert all(p.endswith("।") for p in parts)
    assert "".join(p + " " for p in parts) == sentence * 60


def test_paragraphs_are_preferred_to_sentences():
    paragraph = ("एक वाक्य है। " * 70).strip()  # two do not fit in one message
    parts = split_text(paragraph + "\n\n" + paragraph + "\n\n" + paragraph)
    assert parts == [paragraph, paragraph, paragraph]


def test_english_sentences_are_cut_after_the_full_stop():
    parts = split_text("This is a sentence. " * 120)
    assert all(p.endswith(".") for p in parts) and len(parts) == 2


def test_text_without_any_boundary_is_cut_hard_but_never_inside_a_letter():
    word = "क्षत्रिय" * 300  # no spaces, no punctuation; matras and viramas everywhere
    parts = split_text(word)
    assert "".join(parts) == word
    assert all(utf16_len(p) <= MAX_BODY_CHARS for p in parts)
    import unicodedata

    assert all(unicodedata.category(p[0])[0] != "M" for p in parts)


def test_emoji_count_double_as_twilio_counts_them():
    parts = split_text("🙏" * 1000)
    assert [utf16_len(p) for p in parts] == [1600, 400]


def test_render_buttons():
    assert render_buttons("चुनें:", BUTTONS[:2]) == "चुनें:\n\n1. प्रमाण पत्र के लिए आवेदन\n2. आवेदन की स्थिति"
    assert render_buttons(None, BUTTONS[:1]) == "1. प्रमाण पत्र के लिए आवेदन"
    assert stored_buttons([{"title": "हाँ"}]) == [{"title": "हाँ", "payload": "हाँ"}]


@pytest.mark.parametrize(
    "reply, payload",
    [
        ("1", "/apply_service"),
        ("१", "/apply_service"),
        (" 1. ", "/apply_service"),
        ("1)", "/apply_service"),
        ("pehla", "/apply_service"),
        ("Pehla wala", "/apply_service"),
        ("पहला", "/apply_service"),
        ("first", "/apply_service"),
        ("1st", "/apply_service"),
        ("1️⃣", "/apply_service"),
        ("ek", "/apply_service"),
        ("२", "/check_status"),
        ("dusra", "/check_status"),
        ("दूसरा", "/check_status"),
        ("second", "/check_status"),
        ("number 2", "/check_status"),
        ("2 नंबर", "/check_status"),
        ("do", "/check_status"),
        ("3", "/pay_fee"),
        ("teesra", "/pay_fee"),
        ("तीसरा", "/pay_fee"),
        ("three", "/pay_fee"),
        ("आवेदन की स्थिति", "/check_status"),
        ("PAY THE FEE", "/pay_fee"),
        ("pay the fee!", "/pay_fee"),
    ],
)
def test_replies_choose_buttons(reply, payload):
    assert match_button_reply(reply, BUTTONS) == payload


@pytest.mark.parametrize("reply", ["4", "0", "चौथा", "1 2", "mera aavedan", "", "स्थिति", "12"])
def test_other_replies_choose_nothing(reply):
    assert match_button_reply(reply, BUTTONS) is None


def test_without_buttons_nothing_is_chosen():
    assert match_button_reply("1", None) is None
    assert match_button_reply("1", []) is None
