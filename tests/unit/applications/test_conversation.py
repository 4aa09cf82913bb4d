"""The application dialogue as plain Python: questions, answers, corrections,
stop and resume, without Rasa or a database."""

import datetime as dt

import pytest

from lokseva.applications import conversation as c
from lokseva.catalogue import load_catalogue
from lokseva.districts import load_district
from tests.unit.applications.conftest import valid_aadhaar

CATALOGUE = load_catalogue()
TODAY = dt.date(2026, 3, 15)
TEHSILS = load_district("jhabua").tehsils


class Chat:
    """Answers the form's questions one after the other, as the form would."""

    def __init__(self, language="hi", **slots):
        self.slots = {"district": "jhabua", **slots}  # a citizen whose district is known
        self.language = language
        self.outcomes = []

    @property
    def asked(self):
        return c.next_slot(self.slots, CATALOGUE)

    def say(self, text, intent="inform", entity=None):
        slot = self.asked
        self.slots[slot] = text
        outcome = c.interpret(
            c.Turn(
                slot=slot,
                text=text,
                intent=intent,
                slots=dict(self.slots),
                language=self.language,
                today=TODAY,
                tehsils=TEHSILS,
                service_entity=entity,
            ),
            CATALOGUE,
        )
        self.slots.update(outcome.updates)
        self.outcomes.append(outcome)
        return outcome


COMMON_ANSWERS = [
    "ramesh bhuriya",
    "papa ka naam kalu bhuriya",
    "purush",
    "12/03/1990",
    "gaon pitol",
    "2",
    "457661",
    valid_aadhaar(),
]
ADDRESS = ["gaon pitol", "2", "457661"]
# Each service's form, answered in order (the catalogue designs it per service).
SERVICE_ANSWERS = {
    "income_certificate": (COMMON_ANSWERS + ["2 lakh"], {"annual_income": 20_000_000}),
    "domicile_certificate": (COMMON_ANSWERS, {}),
    "caste_certificate": (COMMON_ANSWERS + ["ST"], {"caste_category": "ST"}),
    # about the child: its name, sex, birth, both parents; the parent's identity
    "birth_certificate": (
        [
            "ramesh bhuriya",
            "Priya",
            "2",
            "03/02/2026",
            "district hospital jhabua",
            "Sita Bhuriya",
            "Ramesh Bhuriya",
            *ADDRESS,
            valid_aadhaar(),
        ],
        {
            "subject_name": "Priya",
            "subject_gender": "female",
            "event_date": "2026-02-03",
            "mother_name": "Sita Bhuriya",
            "father_name": "Ramesh Bhuriya",
        },
    ),
    "death_certificate": (
        [
            "ramesh bhuriya",
            "Nanu Bhabor",
            "1",
            "papa ka naam Kalu Bhabor",
            "3 feb 2026",
            "ghar par",
            *ADDRESS,
            valid_aadhaar(),
        ],
        {"subject_name": "Nanu Bhabor", "subject_gender": "male", "relative_name": "Kalu Bhabor"},
    ),
    # a copy of a public record: no identity proof, no gender or date of birth
    "land_record_copy": (
        ["ramesh bhuriya", *ADDRESS, "Raipuria", "khasra 245/2"],
        {"land_village": "Raipuria", "khasra_number": "245/2"},
    ),
}


@pytest.mark.parametrize("service_id", list(SERVICE_ANSWERS))
def test_every_service_asks_its_own_form(service_id):
    chat = Chat()
    chat.say(str(CATALOGUE.ids.index(service_id) + 1))
    assert chat.slots["application_service"] == service_id
    answers, expected = SERVICE_ANSWERS[service_id]
    for answer in answers:
        chat.say(answer)
    assert chat.asked == "application_confirmed"
    chat.say("haan", intent="affirm")
    assert chat.asked is None and chat.slots["application_confirmed"] == "yes"
    assert chat.slots["address_tehsil"] == "Petlawad"
    for key, value in expected.items():
        assert chat.slots[key] == value
    assert all(o.updates.get(k) != valid_aadhaar() for o in chat.outcomes for k in o.updates)
    aadhaar_outcomes = [o for o in chat.outcomes if o.aadhaar_digits]
    if service_id == "land_record_copy":
        assert not aadhaar_outcomes and chat.slots.get("aadhaar") is None, "a land-record copy needs no Aadhaar"
        assert chat.slots.get("gender") is None and chat.slots.get("date_of_birth") is None
    else:
        assert chat.slots["aadhaar"] == "XXXX XXXX 0124", "the slot never keeps the clear number"
        assert len(aadhaar_outcomes) == 1 and aadhaar_outcomes[0].aadhaar_digits == valid_aadhaar()


def test_the_service_from_the_nlu_entity_or_words():
    chat = Chat()
    chat.say("/inform", entity="caste_certificate")
    assert chat.slots["application_service"] == "caste_certificate"
    chat = Chat()
    out = chat.say("mujhe aay praman patra chahiye")
    assert chat.slots["application_service"] == "income_certificate"
    assert "आय प्रमाण पत्र" in out.messages[0] and out.save
    chat = Chat()
    out = chat.say("kuch bhi")
    assert chat.slots.get("application_service") is None and "नंबर" in out.messages[0]


def test_invalid_answers_get_a_specific_reply_and_are_not_kept():
    chat = Chat(application_service="income_certificate")
    for answer in COMMON_ANSWERS[:6]:
        chat.say(answer)
    out = chat.say("110001")
    assert chat.asked == "address_pin" and not out.save
    assert "मध्यप्रदेश" in out.messages[0]
    chat.say("457661")
    out = chat.say("2345 6789 0123")
    assert chat.asked == "aadhaar" and not out.save and out.aadhaar_digits is None
    assert "आधार" in out.messages[0]
    chat.say(valid_aadhaar())
    out = chat.say("x" * 5000)
    assert chat.asked == "annual_income" and "लंबा" in out.messages[0]
    out = chat.say("🙏🙏")
    assert chat.asked == "annual_income" and "लिखकर" in out.messages[0]


def test_future_date_of_birth_is_refused_in_english_too():
    chat = Chat(language="en", application_service="domicile_certificate")
    chat.say("Sita Damor")
    chat.say("husband Ramlal Damor")
    assert chat.slots["relative_relation"] == "husband"
    chat.say("female")
    out = chat.say("12/03/2030")
    assert chat.asked == "date_of_birth" and "future" in out.messages[0]


def test_a_correction_names_the_field_and_it_is_asked_again():
    chat = Chat(application_service="income_certificate")
    for answer in COMMON_ANSWERS[:4]:
        chat.say(answer)
    out = chat.say("naam galat hai")
    assert chat.slots["applicant_name"] is None and chat.asked == "applicant_name"
    assert "आवेदन करने वाले का नाम" in out.messages[0] and out.save
    chat.say("Ramesh Kumar Bhuriya")
    assert chat.asked == "address_village", "back to the question that was interrupted"


def test_no_at_the_summary_asks_which_field_then_re_asks_it():
    chat = Chat(application_service="income_certificate")
    for answer in COMMON_ANSWERS + ["2 lakh"]:
        chat.say(answer)
    chat.say("nahi", intent="deny")
    assert chat.asked == "correction_field"
    chat.say("9")  # the ninth line of the summary: the income
    assert chat.asked == "annual_income"
    chat.say("डेढ़ लाख")
    assert chat.asked == "application_confirmed" and chat.slots["annual_income"] == 15_000_000


def test_a_correction_without_a_field_asks_which_one():
    chat = Chat(application_service="income_certificate")
    for answer in COMMON_ANSWERS[:3]:
        chat.say(answer)
    chat.say("kuch galat ho gaya")
    assert chat.asked == "correction_field"
    out = chat.say("nahi kuch nahi")
    assert "कुछ नहीं बदला" in out.messages[0] and chat.asked == "date_of_birth"


def test_stop_asks_for_confirmation_then_ends_or_continues():
    chat = Chat(application_service="income_certificate", applicant_name="Ramesh")
    chat.slots[c.STOP_REQUESTED] = True
    assert chat.asked == "stop_confirmed"
    out = chat.say("nahi", intent="deny")
    assert chat.asked == "relative_name" and out.messages
    chat.slots[c.STOP_REQUESTED] = True
    chat.say("haan band karo", intent="stop")
    assert chat.asked is None and chat.slots["stop_confirmed"] == "yes"


def test_a_draft_is_offered_first_and_yes_loads_it():
    chat = Chat(draft_found="income_certificate")
    assert chat.asked == "resume_draft"
    out = chat.say("haan", intent="affirm")
    assert out.load_draft and not out.discard_draft and chat.slots["draft_found"] is None


def test_no_to_the_draft_discards_it_and_starts_the_service_asked_for():
    chat = Chat(draft_found="income_certificate", application_service="caste_certificate", applicant_name="Old")
    out = chat.say("nahi", intent="deny")
    assert out.discard_draft and out.save
    assert chat.slots["applicant_name"] is None and chat.asked == "applicant_name"
    assert "जाति प्रमाण पत्र" in out.messages[0]


def test_required_slots_follow_the_catalogue():
    slots = {"application_service": "land_record_copy"}
    required = c.required_slots(slots, CATALOGUE)
    assert required[-3:] == ["land_village", "khasra_number", "application_confirmed"]
    assert "annual_income" not in required
    assert c.required_slots({}, CATALOGUE) == ["application_service"]


@pytest.mark.parametrize(
    "village, tehsil_answer, stored",
    [
        ("gaon pitol", "थांदला", "Thandla"),
        ("gaon pitol", "megnagar", "Meghnagar"),
        ("गाँव पिटोल तहसील पेटलाद", None, "Petlawad"),  # named with the village, one letter short
    ],
)
def test_the_tehsil_is_stored_by_its_district_name_whatever_the_script(village, tehsil_answer, stored):
    chat = Chat()
    chat.say("1")
    for answer in COMMON_ANSWERS[:4] + [village]:
        chat.say(answer)
    if tehsil_answer is not None:
        assert chat.asked == "address_tehsil"
        chat.say(tehsil_answer)
    assert chat.slots["address_tehsil"] == stored
    assert chat.asked == "address_pin"


@pytest.mark.parametrize("text", ["अभी नहीं", "abhi nahi", "abhi nahi rakha", "नाम नहीं रखा", "baad me"])
def test_not_now_to_a_question_that_may_be_skipped_is_its_skip(text):
    birth = CATALOGUE["birth_certificate"]
    assert c.skips_question(birth, "subject_name", text)


@pytest.mark.parametrize(
    "service, slot, text",
    [
        ("birth_certificate", "subject_name", "abhi nahi karna"),  # the whole form, not now
        ("birth_certificate", "subject_name", "form band karo"),
        ("birth_certificate", "subject_name", "रुको"),
        ("birth_certificate", "mother_name", "अभी नहीं"),  # a question that may not be skipped
        ("birth_certificate", "requested_slot_unknown", "अभी नहीं"),
        (None, "subject_name", "अभी नहीं"),
    ],
)
def test_a_stop_or_a_question_that_may_not_be_skipped_stays_a_stop(service, slot, text):
    assert not c.skips_question(CATALOGUE.get(service), slot, text)
