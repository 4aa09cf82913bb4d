import pytest

from lokseva.catalogue import load_catalogue
from lokseva.districts import load_district
from lokseva.channels.text import render_buttons
from lokseva.information import (
    appeal_text,
    asked_aspects,
    hedge,
    load_content,
    menu,
    service_answer,
    topic_answer,
)

JHABUA = load_district("jhabua")
TOPIC_INTENTS = [
    "ask_lok_seva_guarantee",
    "ask_samadhan_ek_din",
    "ask_jan_sunwai",
    "ask_cm_helpline",
    "ask_aadhaar",
    "ask_ayushman_bharat",
]


@pytest.mark.parametrize("intent", TOPIC_INTENTS)
@pytest.mark.parametrize("language", ["hi", "en"])
def test_every_topic_answers_in_both_languages_without_placeholders(intent, language):
    answer = topic_answer(intent, JHABUA, language)
    assert answer and "{" not in answer
    assert any("\u0900" <= ch <= "\u097f" for ch in answer) == (language == "hi")


def test_jan_sunwai_comes_from_the_district_file():
    hi = topic_answer("ask_jan_sunwai", JHABUA, "hi")
    assert "मंगलवार" in hi and "कलेक्टर कार्यालय, झाबुआ" in hi and "सुबह 11 से दोपहर 1 बजे" in hi
    assert "11:00" not in hi, "times as a villager says them"
    assert "Tuesday" in topic_answer("ask_jan_sunwai", JHABUA, "en")


def test_facts_of_the_act_and_helplines():
    act = topic_answer("ask_lok_seva_guarantee", JHABUA, "hi")
    assert "₹250" in act and "₹5,000" in act and "₹20" in act and "181" in act
    assert "1947" in topic_answer("ask_aadhaar", JHABUA, "hi")
    assert "₹5 लाख" in topic_answer("ask_ayushman_bharat", JHABUA, "hi")
    assert "7552555582" in topic_answer("ask_cm_helpline", JHABUA, "en")


def test_unconfirmed_values_carry_a_hedge():
    income = load_catalogue()["income_certificate"]
    answer = service_answer(income, ("time_limit",), "hi")
    assert "लगभग 15 कामकाज के दिन" in answer  # Act limit unconfirmed
    assert answer.count(hedge("hi")) == 1, "the hedge says it once"
    assert "पुष्टि" not in answer and "(लगभग —" not in answer, "plain words"
    assert '"आवेदन" लिखें' in answer
    assert '"आवेदन" लिखें' not in service_answer(income, ("time_limit",), "hi", applying=True)
    domicile = service_answer(load_catalogue()["domicile_certificate"], ("time_limit",), "hi")
    assert "7 कामकाज के दिन" in domicile and hedge("hi") not in domicile and "लगभग" not in domicile  # confirmed


@pytest.mark.parametrize(
    "question, aspects",
    [
        ("aay praman patra ke liye kaun se kagaz lagenge", ("documents",)),
        ("birth certificate ki fees kitni hai", ("fee",)),
        ("jati praman patra kitne din me banta hai", ("time_limit",)),
        ("kya same day mil jayega", ("same_day",)),
        ("income certificate", ("documents", "fee", "time_limit", "same_day")),
    ],
)
def test_the_question_picks_the_aspects(question, aspects):
    assert asked_aspects(question) == aspects


def test_service_answers_use_the_catalogue():
    catalogue = load_catalogue()
    land = service_answer(catalogue["land_record_copy"], ("fee",), "hi")
    assert "₹30" in land and "₹15" in land
    birth = service_answer(catalogue["birth_certificate"], ("fee",), "en")
    assert "up to 21 days: free" in birth and "₹50 (with an affidavit)" in birth
    docs = service_answer(catalogue["caste_certificate"], ("documents",), "hi")
    assert "1950" in docs and "गाँव आकर जाँच" in docs


def test_menu_lists_services_then_topics_numbered():
    text, buttons = menu("hi")
    assert "नंबर" in text
    assert len(buttons) == 13
    # The channel numbers the buttons; a number in the title would show twice ("1. 1. …").
    assert not any(b["title"][:1].isdigit() for b in buttons)
    rendered = render_buttons(text, buttons)
    assert "\n1. आय प्रमाण पत्र\n" in rendered and "\n13. सरकारी योजनाएँ" in rendered and "1. 1." not in rendered
    assert buttons[0]["payload"] == '/ask_service_info{"service":"income_certificate"}'
    assert buttons[6]["payload"] == "/ask_lok_seva_guarantee"
    assert buttons[12]["payload"] == "/ask_scheme_info"


def test_appeal_names_the_appellate_officer():
    caste = load_catalogue()["caste_certificate"]
    text = appeal_text("late", caste, "hi")
    assert "पहली अपील" in text and "कलेक्टर" in text
    assert "first appeal" in appeal_text("rejected", caste, "en")


def test_content_file_covers_every_information_intent():
    assert {t.intent for t in load_content().topics} == set(TOPIC_INTENTS)
