"""What citizens read: short scheme cards with the amount and one next step,
the "which schemes can I get?" question, and complaints routed in order."""

import pytest

from lokseva.channels.text import render_buttons
from lokseva.districts import district_by_key
from lokseva.schemes import SCHEME_IDS, load_schemes
from lokseva.schemes.messaging import complaint_reply, group_answer, guide_question, scheme_card
from lokseva.schemes.service import BRIBE, asked_aspects, complaint_kind, schemes_for, schemes_named_loosely

SCHEMES = load_schemes().schemes
# A small phone shows about 20 lines of 35 characters before the citizen scrolls.
MAX_CARD_CHARACTERS = 700


@pytest.mark.parametrize("language", ["hi", "en"])
@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_every_card_is_short_with_the_amount_a_next_step_and_more_to_ask(scheme_id, language):
    scheme = SCHEMES[scheme_id]
    text, buttons = scheme_card(scheme, asked_aspects("jankari do"), language)
    assert scheme.gives[0].text(language) in text
    assert ("📝" in text) or ("यह जानकारी अभी पक्की नहीं" in text) or ("not confirmed yet" in text)
    assert "☎️" in text
    assert len(render_buttons(text, buttons)) <= MAX_CARD_CHARACTERS, len(text)
    assert buttons[-1]["payload"] == f'/report_problem{{"scheme":"{scheme_id}"}}'


def test_a_partly_confirmed_fact_carries_the_hedge_with_where_to_confirm():
    text, _ = scheme_card(SCHEMES["ladli_behna"], ("status",), "hi")
    assert "10 तारीख के आसपास आता है। (पक्का नहीं)" in text
    assert text.count("पक्का नहीं") == 2, "the hedge, and once where to confirm"
    assert "जो पक्का नहीं है, वह cmladlibahna.mp.gov.in या 181 से पूछ लें" in text
    text, _ = scheme_card(SCHEMES["pm_kisan"], ("status",), "hi")
    assert "पक्का नहीं" not in text


def test_only_aspects_the_data_has_are_offered_as_buttons():
    _, buttons = scheme_card(SCHEMES["samagra_id"], ("apply",), "hi")
    assert [b["title"] for b in buttons] == ["कागज़", "शिकायत करनी है"]


def test_the_card_says_how_current_it_is():
    text, _ = scheme_card(SCHEMES["ladli_behna"], ("apply",), "hi")
    assert "📅 जानकारी फ़रवरी 2026 तक की" in text or "📅 जानकारी फरवरी 2026 तक की" in text
    text, _ = scheme_card(SCHEMES["pm_kisan"], ("apply",), "en")
    assert "Information as of March 2026" in text


@pytest.mark.parametrize(
    "question, aspects",
    [
        ("ladli behna ka paisa kab aayega", ("status",)),
        ("samagra id kaise banegi", ("apply",)),
        ("sambal card ke liye kaun se kagaz", ("documents",)),
        ("संबल कार्ड किसको मिलता है", ("eligibility",)),
        ("लाड़ली बहना में कौन पात्र है", ("eligibility",)),
        ("pm kisan ki kist", ("status",)),
        ("ujjwala", ("apply",)),
    ],
)
def test_the_question_picks_the_aspects(question, aspects):
    assert asked_aspects(question) == aspects


def test_a_button_picks_the_aspect():
    assert asked_aspects("/ask_scheme_info", "documents") == ("documents",)
    assert asked_aspects("kagaz", "nonsense") == ("documents",)


def test_ladli_behna_registration_is_closed_and_says_so():
    text, _ = scheme_card(SCHEMES["ladli_behna"], asked_aspects("ladli behna ka form kaise bhare"), "hi")
    assert "₹1,500" in text and "20 अगस्त 2023 से बंद" in text


def test_which_schemes_can_i_get_is_one_question_with_groups():
    text, buttons = guide_question("hi")
    assert "आप कौन हैं" in text
    titles = [b["title"] for b in buttons]
    assert {"किसान", "महिला", "मज़दूर", "60 साल से ऊपर"} <= set(titles)
    assert all(b["payload"].startswith('/ask_scheme_info{"scheme_group":') for b in buttons)


def test_a_group_gets_its_schemes_as_buttons():
    text, buttons = group_answer("farmer", "hi")
    assert "पीएम किसान" in text and "मुख्यमंत्री किसान कल्याण" in text
    assert buttons[0]["payload"] == '/ask_scheme_info{"scheme":"pm_kisan"}'
    assert [s.id for s in schemes_for("elder")][:3] == ["old_age_pension", "tirth_darshan", "ayushman"]
    assert "ayushman" in [s.id for s in schemes_for("farmer")], "every family with a food slip or Sambal card"
    assert "digilocker" not in [s.id for s in schemes_for("student")]


def test_a_family_word_asks_which_scheme():
    assert [s.id for s in schemes_named_loosely("pension kab aayegi")] == [
        "old_age_pension",
        "widow_pension",
        "disability_pension",
    ]
    assert schemes_named_loosely("samagra id kaise banegi") == []


@pytest.mark.parametrize(
    "text, scheme, kind",
    [
        ("ladli behna ka paisa nahi aaya", "ladli_behna", "not_received"),
        ("patwari rishwat maang raha hai", None, BRIBE),
        ("सचिव आवास के लिए पैसे मांग रहा है", "pm_awas", BRIBE),
        ("राशन दुकान वाला राशन नहीं दे रहा", None, "ration_denied"),
        ("daftar me koi sunta nahi hai", None, "not_listening"),
        ("pension nahi aa rahi", None, "not_received_unnamed"),
        ("kuch gadbad hai", None, "other"),
        ("ayushman card se hospital ne ilaj nahi kiya", "ayushman", "other"),
        ('/report_problem{"scheme":"pm_kisan"}', "pm_kisan", "not_received"),
    ],
)
def test_the_kind_of_complaint(text, scheme, kind):
    assert complaint_kind(text, SCHEMES.get(scheme)) == kind


def _order(text, *parts):
    positions = [text.index(p) for p in parts]
    return positions == sorted(positions)


@pytest.mark.parametrize("language", ["hi", "en"])
def test_a_complaint_is_routed_checks_then_181_then_district_then_callback(language):
    district = district_by_key("jhabua")
    text, buttons = complaint_reply("not_received", SCHEMES["ladli_behna"], district, language)
    check = "e-KYC"
    office = district.text("collectorate", language)
    callback = "दफ्तर से बात करें" if language == "hi" else "Talk to the office"
    assert _order(text, check, "181", office, callback)
    assert buttons == [{"title": callback, "payload": "/request_human"}]


def test_a_complaint_without_a_scheme_gets_the_common_checks():
    text, _ = complaint_reply("not_received_unnamed", None, district_by_key("jhabua"), "hi")
    assert "समग्र में आधार e-KYC" in text and "बैंक खाता आधार से जुड़ा" in text and "181" in text


def test_a_complaint_that_is_not_about_money_skips_the_payment_checks():
    text, _ = complaint_reply("other", SCHEMES["ayushman"], district_by_key("jhabua"), "hi")
    assert "e-KYC" not in text and "181" in text


def test_a_ration_shop_complaint_gets_the_ration_checks():
    text, _ = complaint_reply("ration_denied", None, district_by_key("jhabua"), "hi")
    assert "मेरा राशन" in text and "दूसरी ePoS दुकान" in text and "181" in text


@pytest.mark.parametrize("language", ["hi", "en"])
def test_a_bribe_demand_always_gets_181_and_the_district_office(language):
    district = district_by_key("jhabua")
    text, buttons = complaint_reply(BRIBE, SCHEMES["pm_awas"], district, language)
    assert "181" in text and district.text("collectorate", language) in text
    assert "e-KYC" not in text, "nothing to check yourself about a bribe"
    assert buttons[0]["payload"] == "/request_human"


@pytest.mark.parametrize("language", ["hi", "en"])
def test_every_button_title_fits_whatsapp(language):
    """WhatsApp cuts a list item's title after 24 characters."""
    replies = [guide_question(language)]
    replies += [group_answer(group, language) for group in load_schemes().groups]
    replies += [scheme_card(s, ("apply",), language) for s in SCHEMES.values()]
    replies += [complaint_reply("not_received", None, district_by_key("jhabua"), language)]
    titles = [b["title"] for _, buttons in replies for b in buttons]
    assert [t for t in titles if len(t) > 24] == []
    assert max(len(buttons) for _, buttons in replies) <= 10, "a WhatsApp list holds 10 items"
