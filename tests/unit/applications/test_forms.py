"""Forms designed per service (the catalogue's about, fields, identity_proofs,
optional_fields): whose details are asked, which identity proof, what may be
skipped, and that the summary shows only what the citizen gave."""

import datetime as dt

import pytest

from lokseva.applications import flows, messaging, parsing
from lokseva.applications import service as repo
from lokseva.catalogue import CatalogueError, load_catalogue, parse_catalogue, CATALOGUE_FILE
from lokseva.db import session_scope
from lokseva.districts import load_district
from lokseva.messages import load_catalogue as load_messages
from tests.unit.applications.conftest import valid_aadhaar
from tests.unit.applications.test_conversation import Chat

CATALOGUE = load_catalogue()
JHABUA = load_district("jhabua")
NOW = dt.datetime(2026, 3, 16, 6, 0, tzinfo=dt.timezone.utc)  # Monday, 11:30 in India


def _start(service_id):
    chat = Chat()
    chat.say(str(CATALOGUE.ids.index(service_id) + 1))
    return chat


def _questions(chat, answers):
    """The questions asked, each with its wording, answering them in turn."""
    asked = []
    for answer in answers:
        slot = chat.asked
        text = (
            messaging.ask_tehsil(JHABUA.tehsils, "hi")[0]
            if slot == "address_tehsil"
            else messaging.prompt(slot, chat.slots["application_service"], "hi")[0]
        )
        asked.append((slot, text))
        chat.say(answer)
    return asked


def test_the_birth_certificate_form_is_about_the_child_and_names_the_mother():
    chat = _start("birth_certificate")
    asked = _questions(
        chat,
        [
            "Ramesh Bhuriya",
            "Priya",
            "2",
            "03/02/2026",
            "ghar par, gaon pitol",
            "Sita Bhuriya",
            "Ramesh Bhuriya",
            "gaon pitol",
            "1",
            "457661",
            valid_aadhaar(),
        ],
    )
    slots = [slot for slot, _ in asked]
    assert slots[:7] == [
        "applicant_name",
        "subject_name",
        "subject_gender",
        "event_date",
        "event_place",
        "mother_name",
        "father_name",
    ]
    assert "gender" not in slots and "date_of_birth" not in slots, "the parent's own sex and birth date are not asked"
    wording = dict(asked)
    assert "बच्चा लड़का है या लड़की" in wording["subject_gender"]
    assert "बच्चे के जन्म की तारीख" in wording["event_date"]
    assert "माँ" in wording["mother_name"]
    _, buttons = messaging.prompt("subject_gender", "birth_certificate", "hi")
    assert [b["title"] for b in buttons] == ["लड़का", "लड़की", "अन्य"]
    summary = messaging.summary(CATALOGUE["birth_certificate"], chat.slots, 0, "hi", JHABUA.tehsils)
    assert "बच्चे का नाम: Priya" in summary and "बच्चा: लड़की" in summary
    assert "माता का नाम: Sita Bhuriya" in summary and "पिता का नाम: Ramesh Bhuriya" in summary
    assert "बच्चे के जन्म की तारीख: 3 फ़रवरी 2026" in summary or "बच्चे के जन्म की तारीख: 3 फरवरी 2026" in summary


def test_a_child_without_a_name_yet_is_skipped_and_not_shown():
    chat = _start("birth_certificate")
    chat.say("Ramesh Bhuriya")
    assert chat.asked == "subject_name"
    chat.say("अभी नहीं")
    assert chat.slots["subject_name"] == "" and chat.asked == "subject_gender"
    summary = messaging.summary(CATALOGUE["birth_certificate"], chat.slots, 0, "hi", JHABUA.tehsils)
    assert "बच्चे का नाम" not in summary, "the summary shows only what the citizen gave"


def test_home_births_have_their_own_papers():
    documents = [d["hi"] for d in CATALOGUE["birth_certificate"].documents]
    assert any("घर पर जन्म" in d for d in documents)
    assert not any(d.startswith("अस्पताल का रिकॉर्ड (डिस्चार्ज") for d in documents), "not only a hospital slip"


def test_a_land_record_copy_asks_no_aadhaar_and_no_personal_details():
    chat = _start("land_record_copy")
    asked = _questions(chat, ["Ramesh Bhuriya", "gaon pitol", "2", "457661", "Raipuria", "245/2"])
    slots = {slot for slot, _ in asked}
    assert not slots & {"aadhaar", "identity_proof", "identity_number", "gender", "date_of_birth", "relative_name"}
    assert chat.asked == "application_confirmed"


@pytest.mark.parametrize("service_id", ["death_certificate", "income_certificate"])
def test_without_aadhaar_a_voter_card_or_pan_will_do(service_id):
    chat = _start(service_id)
    while chat.asked != "aadhaar":
        chat.say(
            {
                "applicant_name": "Ramesh Bhuriya",
                "subject_name": "Nanu Bhabor",
                "subject_gender": "1",
                "relative_name": "papa Kalu",
                "gender": "1",
                "date_of_birth": "12/03/1990",
                "event_date": "3 feb 2026",
                "event_place": "ghar par",
                "address_village": "pitol",
                "address_tehsil": "1",
                "address_pin": "457661",
            }[chat.asked]
        )
    text, _ = messaging.prompt("aadhaar", service_id, "hi")
    assert "जाँचते हैं" in text, "says why it asks"
    assert "आधार नहीं है तो" in text and "वोटर कार्ड" in text, "says what happens without it"
    chat.say("aadhaar nahi hai")
    assert chat.slots["aadhaar"] == "" and chat.asked == "identity_proof"
    text, buttons = messaging.prompt("identity_proof", service_id, "hi")
    assert [b["title"] for b in buttons] == ["वोटर कार्ड", "पैन कार्ड"]
    chat.say("1")
    assert chat.slots["identity_proof"] == "voter_id" and chat.asked == "identity_number"
    out = chat.say("1234")
    assert chat.slots["identity_number"] is None and "ABC1234567" in out.messages[0]
    chat.say("abc 1234567")
    assert chat.slots["identity_number"] == "ABC1234567"
    assert chat.asked != "aadhaar"
    summary = messaging.summary(CATALOGUE[service_id], chat.slots, 2000, "hi", JHABUA.tehsils)
    assert "वोटर कार्ड नंबर: ABC1234567" in summary and "आधार" not in summary


def test_a_pan_typed_at_the_aadhaar_question_is_taken():
    chat = Chat(
        application_service="domicile_certificate",
        applicant_name="A",
        relative_name="B",
        relative_relation="father",
        gender="male",
        date_of_birth="1990-03-12",
        address_village="Pitol",
        address_tehsil="Jhabua",
        address_pin="457661",
    )
    assert chat.asked == "aadhaar"
    chat.say("mera pan ABCDE1234F hai")
    assert (chat.slots["identity_proof"], chat.slots["identity_number"]) == ("pan", "ABCDE1234F")
    assert chat.asked == "application_confirmed"


def test_an_application_without_aadhaar_is_submitted(engine):
    answers = {
        "applicant_name": "Ramesh Bhuriya",
        "relative_name": "Kalu",
        "relative_relation": "father",
        "gender": "male",
        "date_of_birth": "1990-03-12",
        "address_village": "Pitol",
        "address_tehsil": "Jhabua",
        "address_pin": "457661",
        "aadhaar": "",
        "identity_proof": "voter_id",
        "identity_number": "ABC1234567",
    }
    with session_scope(engine) as session:
        citizen = repo.get_or_create_citizen(session, "citizen-v", whatsapp_number="whatsapp:+919826012345")
        repo.save_draft(
            session, citizen, "domicile_certificate", answers, district_code="JBA", now=NOW - dt.timedelta(minutes=5)
        )
    draft = flows.find_draft("citizen-v", engine=engine, now=NOW)
    assert draft["aadhaar"] == "" and draft["identity_number"] == "ABC1234567", "a resumed draft does not ask again"
    receipt = flows.submit_draft("citizen-v", now=NOW, district=JHABUA, engine=engine)
    assert receipt.application.reference


def test_a_land_record_copy_is_submitted_without_aadhaar(engine):
    answers = {
        "applicant_name": "Ramesh Bhuriya",
        "address_village": "Pitol",
        "address_tehsil": "Jhabua",
        "address_pin": "457661",
        "land_village": "Raipuria",
        "khasra_number": "245/2",
    }
    with session_scope(engine) as session:
        citizen = repo.get_or_create_citizen(session, "citizen-l", whatsapp_number="whatsapp:+919826012345")
        repo.save_draft(
            session, citizen, "land_record_copy", answers, district_code="JBA", now=NOW - dt.timedelta(minutes=5)
        )
    assert flows.submit_draft("citizen-l", now=NOW, district=JHABUA, engine=engine).application.reference


def test_every_aadhaar_example_keeps_the_rule_that_it_does_not_start_with_0_or_1():
    import re

    catalogue = load_messages()
    texts = [
        catalogue.texts[lang][key]
        for lang in ("hi", "en")
        for key in catalogue.keys("applications.invalid") + catalogue.keys("applications.notes")
    ]
    texts += [messaging.prompt("aadhaar", s.id, lang)[0] for s in CATALOGUE for lang in ("hi", "en")]
    examples = [m for t in texts for m in re.findall(r"\b(\d{4} \d{4} \d{4})\b", t)]
    assert examples and all(e[0] in "23456789" for e in examples), examples


def test_a_trailing_gaon_is_not_part_of_the_village():
    assert parsing.parse_place("Raipuria gaon") == "Raipuria"
    assert parsing.parse_place("पिटोल गाँव") == "पिटोल"
    assert parsing.parse_place("gaon Raipuria") == "Raipuria"


def test_the_catalogue_says_whose_form_and_which_proofs():
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    with pytest.raises(CatalogueError, match="identity_proofs"):
        parse_catalogue(text.replace("    identity_proofs: [aadhaar, voter_id, pan]\n", "", 1))
    with pytest.raises(CatalogueError, match="optional_fields"):
        parse_catalogue(text.replace("optional_fields: [subject_name]", "optional_fields: [mother_in_law]"))
    with pytest.raises(CatalogueError, match="about"):
        parse_catalogue(text.replace("about: child", "about: baby"))
    assert CATALOGUE["birth_certificate"].about == "child"
    assert CATALOGUE["land_record_copy"].identity_proofs == ()
