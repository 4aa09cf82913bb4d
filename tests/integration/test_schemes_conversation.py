"""Scheme questions and complaints through the real Rasa server and action
server, typed as villagers type them, in Devanagari and in Roman letters."""

import uuid

import pytest

pytestmark = pytest.mark.integration

REFUSAL = ("यह काम मेरे पास नहीं है", "That is not something I handle", "समझ नहीं पाया")

# (message, what the answer must say: the amount, the helpline or the portal)
QUESTIONS = {
    "ladli_behna": [("लाडली बहना में कितने पैसे मिलते हैं", "₹1,500"), ("ladli bahna ka paisa kab aata hai", "₹1,500")],
    "ladli_laxmi": [
        ("लाड़ली लक्ष्मी योजना में बेटी को क्या मिलता है", "₹1 लाख"),
        ("ladli laxmi yojana ki jankari do", "₹1 लाख"),
    ],
    "pm_kisan": [("पीएम किसान की किस्त कितने रुपये की है", "₹2,000"), ("kisan nidhi ki kist kab aayegi", "₹2,000")],
    "kisan_kalyan": [
        ("मुख्यमंत्री किसान कल्याण योजना क्या है", "₹12,000"),
        ("kisan kalyan yojana ka paisa kitna hai", "₹12,000"),
    ],
    "sambal": [("संबल कार्ड से क्या फायदा मिलता है", "₹4 लाख"), ("sambal card ke fayde batao", "₹4 लाख")],
    "samagra_id": [("समग्र आईडी कैसे बनवाएं", "samagra.gov.in"), ("samagra id kaise banegi", "samagra.gov.in")],
    "ration": [("राशन कार्ड में नाम जुड़वाना है क्या करें", "₹35"), ("ration card banwana hai kya karna hoga", "₹35")],
    "old_age_pension": [("बुढ़ापा पेंशन कितनी मिलती है अभी", "₹600"), ("vridha pension kitni hai", "₹600")],
    "widow_pension": [("विधवा पेंशन कितनी मिलती है", "₹600"), ("vidhwa pension ka paisa kitna milta hai", "₹600")],
    "disability_pension": [("दिव्यांग पेंशन कितनी है", "₹600"), ("viklang pension kaise milegi", "₹600")],
    "pm_awas": [
        ("प्रधानमंत्री आवास योजना में कितना पैसा मिलता है", "₹1.20 लाख"),
        ("pm awas yojana ka form kaise bhare", "₹1.20 लाख"),
    ],
    "scholarship": [
        ("गांव की बेटी छात्रवृत्ति कितनी मिलती है", "₹500"),
        ("scholarship ka form kaha bharna hai", "hescholarship.mp.gov.in"),
    ],
    "ujjwala": [("उज्ज्वला गैस कनेक्शन कैसे मिलेगा", "₹300"), ("ujjwala yojana me subsidy kitni hai", "₹300")],
    "rozgar_guarantee": [("मनरेगा में रोज की मजदूरी कितनी है", "₹261"), ("nrega job card kaise banwaye", "₹261")],
    "tirth_darshan": [
        ("तीर्थ दर्शन योजना में कौन जा सकता है", "60 साल"),
        ("tirth darshan yojana ka form kaha milega", "tirthdarshan.mp.gov.in"),
    ],
    "ayushman": [("आयुष्मान वय वंदना कार्ड क्या है", "₹5 लाख"), ("vay vandana card kaise banwaye", "₹5 लाख")],
    "digilocker": [("डिजिलॉकर क्या है", "1 GB"), ("digilocker me account kaise banega", "OTP")],
}
# Questions on Ayushman are the ask_ayushman_bharat topic (lokseva/information/content.yml),
# which names the Vay Vandana card too; its scheme card comes from the guide and complaints.
ANSWERED_AS_A_TOPIC = {"ayushman"}
CASES = [
    (scheme, script, text, expected)
    for scheme, pair in QUESTIONS.items()
    for script, (text, expected) in zip(("devanagari", "roman"), pair)
]


def _sender() -> str:
    return f"test-schemes-{uuid.uuid4().hex[:8]}"


def _text(messages) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


@pytest.mark.parametrize("scheme, script, text, expected", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_every_scheme_question_gets_its_answer(assistant, scheme, script, text, expected):
    messages = assistant.say(text, sender=_sender())
    answer = _text(messages)
    assert expected in answer, answer
    assert not any(r in answer for r in REFUSAL)
    if scheme in ANSWERED_AS_A_TOPIC:
        return
    payloads = [b["payload"] for m in messages for b in m.get("buttons", [])]
    assert f'/report_problem{{"scheme":"{scheme}"}}' in payloads, "a way to complain about this scheme"


def test_an_english_question_gets_the_english_card(assistant):
    answer = _text(assistant.say("how much is the old age pension in mp", sender=_sender()))
    assert "₹600 a month" in answer


@pytest.mark.parametrize(
    "text, checks",
    [
        ("ladli behna ka paisa nahi aaya", "e-KYC"),
        ("पीएम किसान की किस्त नहीं आई अभी तक", "e-KYC"),
        ("राशन दुकान वाला राशन नहीं दे रहा", "मेरा राशन"),
        ("pension nahi aa rahi 3 mahine se", "e-KYC"),
    ],
)
def test_a_complaint_gets_what_to_check_then_181(assistant, text, checks):
    answer = _text(assistant.say(text, sender=_sender()))
    assert checks in answer and "181" in answer, answer
    # The citizen's district is not known yet: the office in general, never another district's.
    assert answer.index(checks) < answer.index("181") < answer.index("अपने ज़िले के कलेक्टर कार्यालय")
    assert "झाबुआ" not in answer


def test_a_complaint_names_the_citizens_own_district_office(assistant):
    sender = _sender()
    assistant.say("मैं झाबुआ से हूँ", sender=sender)
    answer = _text(assistant.say("ladli behna ka paisa nahi aaya", sender=sender))
    assert answer.index("181") < answer.index("कलेक्टर कार्यालय, झाबुआ"), answer


@pytest.mark.parametrize(
    "text", ["patwari ji rishwat mang rahe hai naksha ke liye", "आवास की किस्त के लिए सचिव पैसे माँग रहा है"]
)
def test_a_bribe_demand_is_pointed_to_181(assistant, text):
    answer = _text(assistant.say(text, sender=_sender()))
    assert "181" in answer and "तय फ़ीस के अलावा" in answer, answer


def test_which_schemes_can_i_get_is_a_guided_question(assistant):
    sender = _sender()
    messages = assistant.say("mujhe kaun kaun si sarkari yojana mil sakti hai", sender=sender)
    assert "आप कौन हैं" in _text(messages)
    farmer = next(b for b in messages[-1]["buttons"] if b["title"] == "किसान")
    messages = assistant.say(farmer["payload"], sender=sender)
    assert "पीएम किसान" in _text(messages)
    pm_kisan = messages[-1]["buttons"][0]
    answer = _text(assistant.say(pm_kisan["payload"], sender=sender))
    assert "₹6,000" in answer and "155261" in answer


def test_the_card_buttons_ask_more_and_complain(assistant):
    sender = _sender()
    messages = assistant.say("ladli behna yojana", sender=sender)
    buttons = {b["title"]: b["payload"] for b in messages[-1]["buttons"]}
    answer = _text(assistant.say(buttons["कौन ले सकता है"], sender=sender))
    assert "21 से 60" in answer
    answer = _text(assistant.say(buttons["शिकायत करनी है"], sender=sender))
    assert "181" in answer and "e-KYC" in answer


def test_the_information_menu_lists_the_schemes(assistant):
    messages = assistant.say("/ask_service_info", sender=_sender())
    assert "/ask_scheme_info" in [b["payload"] for b in messages[-1]["buttons"]]


def test_out_of_scope_says_what_the_assistant_does_and_where_else_to_go(assistant):
    answer = _text(assistant.say("aaj cricket match ka score kya hai", sender=_sender()))
    assert "181" in answer and "योजनाएँ" in answer
