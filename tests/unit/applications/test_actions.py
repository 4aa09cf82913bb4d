"""The Rasa actions, run as the action server runs them: a hand-built
tracker, a CollectingDispatcher, a real (SQLite) database."""

import asyncio
import datetime as dt
import functools
import json

import pytest
import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from lokseva.applications import conversation, flows
from lokseva.information import hedge
from tests.unit.applications.conftest import valid_aadhaar
from tests.unit.applications.test_repository import ANSWERS

AADHAAR = valid_aadhaar()


@functools.lru_cache(maxsize=1)
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.load("domain").as_dict()


def tracker(
    text="",
    intent="inform",
    slots=None,
    candidates=None,
    entities=(),
    sender="citizen-1",
    requested=None,
    language="hi",
):
    """A tracker as Rasa sends it: the form's candidates are the trailing slot events."""
    values = {"language": language, "requested_slot": requested, "district": "jhabua", **(slots or {})}
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
    ]
    if candidates is not None:
        values.update(candidates)
        events.append({"event": "slot", "name": "requested_slot", "value": requested})
        events.append({"event": "action", "name": "application_form"})
        events += [{"event": "slot", "name": k, "value": v} for k, v in candidates.items()]
    return Tracker(
        sender,
        values,
        {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": list(entities)},
        events,
        False,
        None,
        {"name": "application_form"} if requested else {},
        "action_listen",
    )


def run(action, tr):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tr, domain()))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}, events


def validate(actions, slot, text, slots, intent="inform", entities=(), language="hi"):
    return run(
        actions.forms.ValidateApplicationForm(),
        tracker(
            text, intent, slots=slots, candidates={slot: text}, requested=slot, entities=entities, language=language
        ),
    )


def test_start_takes_the_service_from_the_entity_and_resets_the_form(actions):
    messages, slots, _ = run(
        actions.applications.ActionStartApplication(),
        tracker(
            "aay praman patra banwana hai",
            "apply_service",
            slots={"applicant_name": "Old"},
            entities=[{"entity": "service", "value": "income_certificate"}],
        ),
    )
    assert slots["application_service"] == "income_certificate"
    assert slots["applicant_name"] is None and slots["draft_found"] is None
    assert [m["text"][:1] for m in messages] == ["🔒"], "only the data-protection notice (test_data_rights.py)"


def test_start_reads_the_service_from_the_words_when_the_entity_is_not_canonical(actions):
    _, slots, _ = run(
        actions.applications.ActionStartApplication(),
        tracker("ज़मीन की खसरा की नकल चाहिए", "apply_service", entities=[{"entity": "service", "value": "ज़मीन की"}]),
    )
    assert slots["application_service"] == "land_record_copy"
    _, slots, _ = run(
        actions.applications.ActionStartApplication(), tracker("aay aur jati dono banwane hai", "apply_service")
    )
    assert slots["application_service"] is None, "two services named: ask which"


def test_each_valid_answer_is_kept_in_the_draft_and_the_next_question_set(actions, db):
    messages, slots, _ = validate(
        actions, "applicant_name", "mera naam ramesh bhuriya hai", {"application_service": "income_certificate"}
    )
    assert slots == {"applicant_name": "Ramesh Bhuriya", "requested_slot": "relative_name"}
    assert flows.find_draft("citizen-1")["applicant_name"] == "Ramesh Bhuriya"


def test_a_phone_number_in_the_message_metadata_is_never_taken(actions, db):
    """Identity comes only from the channel's own contact record: metadata is
    whatever the caller sent, so a number there would let anyone send official
    messages to any phone."""
    from lokseva.applications.models import Citizen

    tr = tracker(
        "mera naam ramesh bhuriya hai",
        slots={"application_service": "income_certificate"},
        candidates={"applicant_name": "mera naam ramesh bhuriya hai"},
        requested="applicant_name",
        sender="wa-impostor",
    )
    tr.latest_message["metadata"] = {"whatsapp_number": "+919999900000"}
    run(actions.forms.ValidateApplicationForm(), tr)
    with db.connect() as conn:
        numbers = conn.execute(sa.select(Citizen.whatsapp_number).where(Citizen.channel_user_id == "wa-impostor")).all()
    assert numbers == [(None,)]


def test_aadhaar_slot_is_masked_and_the_number_is_stored_encrypted(actions, db):
    state = {
        "application_service": "income_certificate",
        **{k: v for k, v in ANSWERS.items() if k not in ("aadhaar", "annual_income")},
    }
    spaced = f"{AADHAAR[:4]} {AADHAAR[4:8]} {AADHAAR[8:]}"
    messages, slots, events = validate(actions, "aadhaar", spaced, state)
    assert slots["aadhaar"] == "XXXX XXXX 0124" and slots["requested_slot"] == "annual_income"
    assert AADHAAR not in json.dumps(events) and spaced not in json.dumps(events)
    with db.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT v.ciphertext, a.aadhaar_last4 FROM applications a JOIN aadhaar_vault v ON v.id = a.aadhaar_ref"
            )
        ).one()
    assert row.aadhaar_last4 == "0124" and AADHAAR not in row.ciphertext


@pytest.mark.parametrize(
    "slot, text, expected",
    [
        ("address_pin", "110001", "मध्यप्रदेश"),
        ("aadhaar", "2345 6789 0123", "आधार"),
        ("date_of_birth", "12/03/2090", "आने वाले"),
        ("annual_income", "999999999999", "ज़्यादा"),
        ("applicant_name", "🙏🙏", "लिखकर"),
        ("applicant_name", "ज" * 5000, "लंबा"),
    ],
)
def test_bad_input_gets_a_specific_answer_and_nothing_is_stored(actions, db, slot, text, expected):
    order = [
        "applicant_name",
        "relative_name",
        "gender",
        "date_of_birth",
        "address_village",
        "address_tehsil",
        "address_pin",
        "aadhaar",
        "annual_income",
    ]
    before = {k: ANSWERS[k] for k in order[: order.index(slot)]}
    before["relative_relation"] = "father"
    messages, slots, _ = validate(actions, slot, text, {"application_service": "income_certificate", **before})
    assert len(messages) == 1 and expected in messages[0]["text"]
    assert slots[slot] is None and slots["requested_slot"] == slot, "the same question again"
    with db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM applications")).scalar_one() == 0


def test_english_answers_get_english_errors(actions, db):
    messages, slots, _ = validate(
        actions, "address_pin", "110001", {"application_service": "domicile_certificate"}, language="en"
    )
    assert "not a Madhya Pradesh PIN code" in messages[0]["text"]


def test_correction_inside_the_form_re_asks_the_field(actions, db):
    state = {"application_service": "income_certificate", "applicant_name": "Ramesh", "relative_name": "Kalu"}
    messages, slots, _ = validate(actions, "gender", "naam galat hai", state)
    assert slots["applicant_name"] is None and slots["requested_slot"] == "applicant_name"
    assert "आवेदन करने वाले का नाम" in messages[0]["text"]


def _fill_draft(sender="citizen-1", service="income_certificate", answers=ANSWERS):
    flows.save_answers(sender, service, answers, aadhaar_digits=AADHAAR, district_key="jhabua")


def test_confirmed_application_is_submitted_and_the_receipt_sent(actions, db):
    _fill_draft()
    messages, slots, _ = run(
        actions.applications.ActionFinishApplication(),
        tracker("haan", "affirm", slots={"application_confirmed": "yes", "application_service": "income_certificate"}),
    )
    text = messages[0]["text"]
    year = dt.datetime.now(dt.timezone(dt.timedelta(hours=5, minutes=30))).year
    assert f"JBA-{year}-000001" in text and "पावती" in text and "₹20" in text
    assert "गारंटी तारीख" in text and "लगभग 15 कामकाज के दिन" in text  # the income time limit is unconfirmed
    assert text.count(hedge("hi")) == 1 and "(लगभग —" not in text, "hedged once, in plain words"
    assert "फीस जमा होने से शुरू" in text, "the receipt says when the clock starts"
    assert "आवेदक" not in text
    assert "भुगतान का लिंक" in text and "लोक सेवा केंद्र" in text  # next step: the link follows, or the Kendra
    assert slots["last_application_id"] == f"JBA-{year}-000001"
    assert all(slots[s] is None for s in conversation.FORM_SLOTS)
    with db.connect() as conn:
        assert conn.execute(sa.text("SELECT status FROM applications")).scalar_one() == "fee_pending"


def test_confirmed_stop_discards_the_draft(actions, db):
    _fill_draft()
    messages, slots, _ = run(
        actions.applications.ActionFinishApplication(), tracker("haan", "affirm", slots={"stop_confirmed": "yes"})
    )
    assert "रोक दिया" in messages[0]["text"]
    assert flows.find_draft("citizen-1") is None


def test_a_draft_is_offered_and_resumed(actions, db):
    _fill_draft(answers={k: v for k, v in ANSWERS.items() if k in ("applicant_name", "relative_name")})
    _, slots, _ = run(actions.applications.ActionStartApplication(), tracker("aavedan karna hai", "apply_service"))
    assert slots["draft_found"] == "income_certificate"
    messages, _, _ = run(actions.forms.ActionAskResumeDraft(), tracker(slots={"draft_found": "income_certificate"}))
    assert messages[0]["text"] == "आपका आय प्रमाण पत्र का आवेदन अधूरा है, आगे भरें?"
    messages, slots, _ = validate(
        actions, "resume_draft", "haan", {"draft_found": "income_certificate"}, intent="affirm"
    )
    assert slots["application_service"] == "income_certificate" and slots["applicant_name"] == "Ramesh Bhuriya"
    assert slots["requested_slot"] == "gender"


def test_summary_lists_the_answers_and_the_fee(actions):
    state = {"application_service": "income_certificate", **ANSWERS}
    messages, _, _ = run(actions.forms.ActionAskApplicationConfirmed(), tracker(slots=state))
    text = messages[0]["text"]
    assert "• आवेदन करने वाले का नाम: Ramesh Bhuriya" in text and "• परिवार की सालाना आय: ₹2,00,000" in text
    assert "1. " not in text, "numbers are for the buttons only"
    assert "XXXX XXXX 0124" in text and "फीस: ₹20" in text
    assert "• तहसील: झाबुआ" in text, "the tehsil is stored in English but shown in Hindi"
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny"]
    messages, _, _ = run(actions.forms.ActionAskApplicationConfirmed(), tracker(slots=state, language="en"))
    assert "• Tehsil: Jhabua" in messages[0]["text"]


def test_status_only_for_the_owner(actions, db):
    _fill_draft(sender="owner")
    reference = flows.submit_draft("owner").application.reference
    messages, _, _ = run(
        actions.status.ActionCheckStatus(), tracker(f"status {reference.lower()}", "check_status", sender="owner")
    )
    text = messages[0]["text"]
    assert reference in text and "फीस जमा होना बाकी है" in text and "फीस जमा होने के दिन से गिनी जाएगी" in text
    messages, _, _ = run(
        actions.status.ActionCheckStatus(),
        tracker(
            f"status {reference}",
            "check_status",
            sender="stranger",
            entities=[{"entity": "application_id", "value": reference}],
        ),
    )
    assert messages[0]["text"].startswith("यह आवेदन आपके मोबाइल नंबर से नहीं मिला")
    assert "Ramesh" not in messages[0]["text"]
    assert "JBA-2026-000123" not in messages[0]["text"], "no sample id a citizen could take for theirs"
    assert "पावती" in messages[0]["text"], "where to find the right id"
    messages, _, _ = run(actions.status.ActionCheckStatus(), tracker("mera status", "check_status", sender="owner"))
    assert reference in messages[0]["text"]
    messages, _, _ = run(actions.status.ActionCheckStatus(), tracker("status", "check_status", sender="new"))
    assert "कोई आवेदन नहीं" in messages[0]["text"]


def test_late_application_explains_the_first_appeal(actions, db):
    _fill_draft(sender="late")
    reference = flows.submit_draft(
        "late", now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=40)
    ).application.reference
    from lokseva.applications import service as repo
    from lokseva.applications.lifecycle import Status
    from lokseva.db import session_scope

    with session_scope() as session:
        app = repo.find_by_reference(session, reference)
        repo.change_status(
            session, app, Status.PAID, by="system", at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=39)
        )
        repo.change_status(session, app, Status.UNDER_REVIEW, by="staff:1")
    messages, _, _ = run(actions.status.ActionCheckStatus(), tracker(reference, "check_status", sender="late"))
    text = messages[0]["text"]
    assert "निकल गई" in text and "पहली अपील" in text and "एसडीएम" in text
    assert "अनुविभागीय" not in text, "the officer as villagers call him"


def test_service_info_from_the_entity_or_the_form_or_a_menu(actions):
    messages, _, _ = run(
        actions.information.ActionServiceInfo(),
        tracker(
            "khasra ki nakal kitne ki",
            "ask_service_info",
            entities=[{"entity": "service", "value": "land_record_copy"}],
        ),
    )
    assert "₹30" in messages[0]["text"] and '"आवेदन" लिखें' in messages[0]["text"]
    messages, _, _ = run(
        actions.information.ActionServiceInfo(),
        tracker(
            "kaun se kagaz lagenge",
            "ask_service_info",
            slots={"application_service": "caste_certificate"},
            requested="gender",
        ),
    )
    assert "जाति प्रमाण पत्र" in messages[0]["text"] and "ज़रूरी कागज़" in messages[0]["text"]
    assert '"आवेदन" लिखें' not in messages[0]["text"], "inside the form the question comes back by itself"
    messages, _, _ = run(actions.information.ActionServiceInfo(), tracker("jankari chahiye", "ask_service_info"))
    assert len(messages[0]["buttons"]) == 13


def test_topics(actions):
    messages, _, _ = run(actions.information.ActionInformation(), tracker("jan sunwai kab hai", "ask_jan_sunwai"))
    assert "मंगलवार" in messages[0]["text"]
    messages, _, _ = run(
        actions.information.ActionInformation(),
        tracker("what is ayushman bharat", "ask_ayushman_bharat", language="en"),
    )
    assert "₹5 lakh" in messages[0]["text"]


@pytest.mark.parametrize("language", ["hi", "en"])
def test_every_question_has_an_ask_action_with_its_wording(actions, language):
    from actions.forms import AskField

    asks = {cls().name(): cls() for cls in AskField.__subclasses__()}
    form_slots = domain()["forms"]["application_form"]["required_slots"]
    domain_actions = set(domain()["actions"])
    for slot in form_slots:
        assert f"action_ask_{slot}" in domain_actions, slot
    for name, action in asks.items():
        messages, _, _ = run(action, tracker(slots={"application_service": "death_certificate"}, language=language))
        assert messages[0]["text"], name
        hindi = any("\u0900" <= ch <= "\u097f" for ch in messages[0]["text"])
        assert hindi == (language == "hi"), name
    messages, _, _ = run(asks["action_ask_subject_name"], tracker(slots={"application_service": "birth_certificate"}))
    assert messages[0]["text"].startswith("बच्चे का नाम लिखें।") and "अभी नहीं" in messages[0]["text"]
    messages, _, _ = run(asks["action_ask_gender"], tracker(language=language))
    assert [b["payload"] for b in messages[0]["buttons"]] == ["1", "2", "3"]


def test_a_whatsapp_citizen_gets_the_number_the_channel_recorded(actions, settings_database):
    """The conversation id is a pseudonym; the certificate-ready message needs the
    number, which the action finds in the channel's record and gives the domain."""
    from lokseva.applications import service as repo
    from lokseva.channels.service import ChannelStore
    from lokseva.db import create_engine_for, session_scope

    engine = create_engine_for(settings_database)
    conversation_id = ChannelStore(engine, "k" * 32).ensure_contact("whatsapp:+919826012345")
    assert actions.applications.whatsapp_number_of(tracker(sender=conversation_id)) == "+919826012345"
    # Another channel's sender id has no number to find.
    assert actions.applications.whatsapp_number_of(tracker(sender="rest-tester")) is None
    flows.save_answers(
        conversation_id,
        "domicile_certificate",
        {"applicant_name": "Sita"},
        whatsapp_number=actions.applications.whatsapp_number_of(tracker(sender=conversation_id)),
    )
    with session_scope(engine) as session:
        assert repo.find_citizen(session, conversation_id).whatsapp_number == "+919826012345"
    engine.dispose()
