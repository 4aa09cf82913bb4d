import pytest

from lokseva.language import ENGLISH, HINDI, detect_language


@pytest.mark.parametrize(
    "text",
    [
        "नमस्ते",
        "mujhe aay praman patra chahiye",
        "mera income certificate kab milega",
        "status kya hai JBA-2026-000123",
        "hi",
        "namaste ji",
    ],
)
def test_hindi_and_hinglish_get_hindi(text):
    assert detect_language(text) == HINDI


@pytest.mark.parametrize(
    "text",
    ["I want to apply for an income certificate", "what is the status of my application", "hello good morning"],
)
def test_clear_english_gets_english(text):
    assert detect_language(text) == ENGLISH


@pytest.mark.parametrize("text", ["ok", "1", "JBA-2026-000123", "👍", "", "   "])
def test_no_signal_keeps_the_conversation_language(text):
    assert detect_language(text, previous=ENGLISH) == ENGLISH
    assert detect_language(text, previous=HINDI) == HINDI
    assert detect_language(text) == HINDI


def test_devanagari_wins_over_english_words():
    assert detect_language("my certificate कब मिलेगा", previous=ENGLISH) == HINDI


@pytest.mark.parametrize("payload", ["/check_status", "/apply_service", "/pay_fee", "/upload_document"])
def test_a_button_payload_keeps_the_conversations_language(payload):
    assert detect_language(payload, HINDI) == HINDI
    assert detect_language(payload, ENGLISH) == ENGLISH
