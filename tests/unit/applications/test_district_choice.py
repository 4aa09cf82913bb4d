"""The citizen's district: read from a name in either script (slips, old names)
or a PIN code, asked once in the application form, changed in the middle of it."""

import datetime as dt

import pytest

from lokseva.applications import conversation as c
from lokseva.applications import district_choice, parsing
from lokseva.catalogue import load_catalogue
from lokseva.districts.pins import district_of_pin

CATALOGUE = load_catalogue()


@pytest.mark.parametrize(
    "text, key",
    [
        ("इंदौर", "indore"),
        ("indore", "indore"),
        ("Indor", "indore"),
        ("main indore se hoon", "indore"),
        ("मैं इंदौर से हूँ", "indore"),
        ("होशंगाबाद", "narmadapuram"),
        ("hoshangabad", "narmadapuram"),
        ("jila jhabua", "jhabua"),
        ("झबुआ", "jhabua"),
        ("आगर मालवा", "agar_malwa"),
        ("agar", "agar_malwa"),
        ("mera jila chhindwada hai", "chhindwara"),
        ("east nimar", "khandwa"),
        ("पूर्वी निमाड़", "khandwa"),
        ("gwaliar", "gwalior"),
        ("बेतूल", "betul"),
        ("मऊगंज", "mauganj"),
        ("pin 452001", "indore"),
        ("457661", "jhabua"),
    ],
)
def test_a_district_is_read_from_its_name_in_either_script_or_a_pin(text, key):
    assert parsing.parse_district(text).key == key


@pytest.mark.parametrize(
    "text, code",
    [
        ("ज़िला बदलना है", "district_unknown"),
        ("abcd", "district_unknown"),
        ("484001", "district_pin_unknown"),  # Shahdol, Anuppur and Umaria share it
        ("485771", "district_pin_unknown"),  # Maihar's, filed under Satna in the directory
    ],
)
def test_what_names_no_district_gets_a_reason(text, code):
    with pytest.raises(parsing.InvalidInput) as error:
        parsing.parse_district(text)
    assert error.value.code == code


@pytest.mark.parametrize(
    "language, words",
    [("hi", "पिन कोड 484001 से ज़िला पक्का पता नहीं चलता"), ("en", "PIN code 484001 does not tell the district for sure")],
)
def test_a_pin_shared_by_districts_gets_a_reply_that_names_it(language, words):
    district, problem = district_choice.read("484001")
    assert district is None
    assert district_choice.outcome_messages(district, problem, language) == [
        district_choice.text("pin_unknown", language, pin="484001")
    ]
    assert words in district_choice.text("pin_unknown", language, pin="484001")


# Known PINs of MP district headquarters and Jhabua's tehsils, with their district.
KNOWN_PINS = {
    "457661": "jhabua",
    "457777": "jhabua",
    "457773": "jhabua",
    "457779": "jhabua",
    "452001": "indore",
    "462001": "bhopal",
    "482001": "jabalpur",
    "474001": "gwalior",
    "456001": "ujjain",
    "470001": "sagar",
    "457887": "alirajpur",
    "457001": "ratlam",
    "455001": "dewas",
    "454001": "dhar",
    "451001": "khargone",
    "450001": "khandwa",
    "458001": "mandsaur",
    "480001": "chhindwara",
    "460001": "betul",
    "485001": "satna",
    "473001": "guna",
    "476001": "morena",
    "477001": "bhind",
    "464001": "vidisha",
    "481001": "balaghat",
    "465441": "agar_malwa",
    "472442": "niwari",
    "486886": "singrauli",
    "486001": "rewa",
    "485771": "maihar",
    "480334": "pandhurna",
    "486331": "mauganj",
    "484001": "shahdol",
    "461001": "narmadapuram",
}


def test_the_offline_pin_directory_is_right_or_silent_on_known_mp_pins():
    """Measured: the directory predates the 2023 districts and gives some PINs
    several districts; those PINs name no district (the name is asked)."""
    answers = {pin: district_of_pin(pin) for pin in KNOWN_PINS}
    wrong = {pin: d.key for pin, d in answers.items() if d is not None and d.key != KNOWN_PINS[pin]}
    silent = sorted(pin for pin, d in answers.items() if d is None)
    assert wrong == {}
    # satna and rewa PINs too, as Maihar and Mauganj were cut from them
    assert silent == ["461001", "480001", "480334", "484001", "485001", "485771", "486001", "486331"]
    assert district_of_pin("110001") is None, "not in MP"


class Chat:
    def __init__(self, **slots):
        self.slots = dict(slots)

    def say(self, text, intent="inform", entity=None):
        slot = c.next_slot(self.slots, CATALOGUE)
        self.slots[slot] = text
        outcome = c.interpret(
            c.Turn(
                slot=slot,
                text=text,
                intent=intent,
                slots=dict(self.slots),
                language="hi",
                today=dt.date(2026, 3, 15),
                tehsils=(),
                district_entity=entity,
            ),
            CATALOGUE,
        )
        self.slots.update(outcome.updates)
        return outcome


def test_the_form_asks_the_district_once_right_after_the_service():
    chat = Chat(application_service="income_certificate")
    assert c.next_slot(chat.slots, CATALOGUE) == "district"
    outcome = chat.say("भोपाल")
    assert chat.slots["district"] == "bhopal" and "ज़िला बदलना है" in outcome.messages[0]
    assert c.next_slot(chat.slots, CATALOGUE) == "applicant_name"
    # a known district is not asked again (the slot outlives the form)
    assert "district" not in c.FORM_SLOTS
    assert (
        c.next_slot({"application_service": "income_certificate", "district": "bhopal"}, CATALOGUE) == "applicant_name"
    )


def test_an_unknown_district_is_asked_again_with_a_reason():
    chat = Chat(application_service="income_certificate")
    outcome = chat.say("atlantis")
    assert chat.slots["district"] is None and "ज़िला समझ नहीं आया" in outcome.messages[0]
    outcome = chat.say("इंदौर")
    assert chat.slots["district"] == "indore" and "इंदौर" in outcome.messages[0] and outcome.save
    assert c.next_slot(chat.slots, CATALOGUE) == "applicant_name"


def test_the_district_can_change_in_the_middle_of_the_form():
    chat = Chat(application_service="income_certificate", district="jhabua")
    assert c.next_slot(chat.slots, CATALOGUE) == "applicant_name"
    chat.say("ज़िला बदलना है", intent="choose_district")
    assert chat.slots["district"] is None and chat.slots["applicant_name"] is None
    assert c.next_slot(chat.slots, CATALOGUE) == "district"
    chat.say("इंदौर")
    chat.say("main ujjain se hoon", intent="choose_district")
    assert chat.slots["district"] == "ujjain" and chat.slots["applicant_name"] is None


def test_a_district_name_given_for_the_tehsil_is_the_tehsil():
    chat = Chat(
        application_service="income_certificate",
        district="jhabua",
        applicant_name="A",
        relative_name="B",
        gender="male",
        date_of_birth="1990-01-01",
        address_village="Pitol",
    )
    chat.say("झाबुआ", intent="choose_district")
    assert chat.slots["district"] == "jhabua" and chat.slots["address_tehsil"] == "झाबुआ"


def test_a_new_district_clears_a_tehsil_of_the_old_one():
    assert district_choice.changed_updates("jhabua", "indore", {"address_tehsil": "Thandla"}) == {
        "address_tehsil": None,
        "application_confirmed": None,
    }
    assert district_choice.changed_updates("jhabua", "jhabua", {"address_tehsil": "Thandla"}) == {}
