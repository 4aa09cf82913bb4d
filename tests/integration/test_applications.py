"""Applying for a certificate through the real Rasa server and action server,
with the conversations and the applications in PostgreSQL."""

import re
import uuid

import pytest
import sqlalchemy as sa

from lokseva import rasa_api

pytestmark = pytest.mark.integration

AADHAAR = "234567890124"  # a valid Verhoeff number (not a real person's)
SPACED = "2345 6789 0124"
ID = re.compile(r"JBA-\d{4}-\d{6}")


def texts(messages):
    return "\n".join(m.get("text", "") for m in messages)


@pytest.fixture(scope="module")
def applied(assistant):
    """A whole Hindi application for an income certificate; returns (sender, replies per turn)."""
    sender = f"apply-{uuid.uuid4().hex[:8]}"
    turns = [
        "मुझे आय प्रमाण पत्र बनवाना है",
        "झाबुआ",  # the district, asked once
        "रमेश भूरिया",
        "पिता का नाम कालू सिंह निनामा",
        "पुरुष",
        "१२ मार्च १९९०",
        "गाँव कल्याणपुरा",
        "थांदला",
        "पिन 110001",  # not an MP PIN: asked again
        "पिन ४५७७७३",
        "आधार नंबर 2345 6789 0123",  # wrong check digit: asked again
        f"आधार नंबर {SPACED}",
        "डेढ़ लाख",
        "हाँ",
    ]
    return sender, [(turn, assistant.say(turn, sender=sender)) for turn in turns]


def test_hindi_application_ends_with_a_receipt(applied):
    _, replies = applied
    by_turn = {turn: texts(messages) for turn, messages in replies}
    assert "आय प्रमाण पत्र" in by_turn["मुझे आय प्रमाण पत्र बनवाना है"]
    assert "मध्यप्रदेश का पिन कोड नहीं" in by_turn["पिन 110001"]
    assert "आधार नंबर सही नहीं" in by_turn["आधार नंबर 2345 6789 0123"]
    summary = by_turn["डेढ़ लाख"]
    assert "कृपया जाँच लें" in summary and "₹1,50,000" in summary and "XXXX XXXX 0124" in summary
    assert AADHAAR not in summary and SPACED not in summary
    receipt = by_turn["हाँ"]
    assert "पावती" in receipt and ID.search(receipt), receipt
    assert "₹20" in receipt and "गारंटी तारीख" in receipt


def test_the_application_is_stored_with_the_aadhaar_encrypted(assistant, applied):
    _, replies = applied
    reference = ID.search(texts(replies[-1][1])).group(0)
    engine = sa.create_engine(assistant.settings.database_url)
    with engine.connect() as conn:
        row = (
            conn.execute(sa.text("SELECT * FROM applications WHERE reference = :r"), {"r": reference}).mappings().one()
        )
        history = (
            conn.execute(
                sa.text("SELECT to_status FROM application_status_history WHERE application_id = :i ORDER BY id"),
                {"i": row["id"]},
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert row["status"] == "fee_pending" and row["applicant_name"] == "रमेश भूरिया"
    assert row["address_pin"] == "457773" and row["details"]["annual_income"] == 15_000_000
    assert row["aadhaar_last4"] == "0124" and AADHAAR not in str(dict(row))
    assert history == ["draft", "submitted", "fee_pending"]


def test_the_conversation_store_holds_no_clear_aadhaar(assistant, applied):
    sender, _ = applied
    engine = sa.create_engine(assistant.settings.tracker_store_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT data FROM events WHERE sender_id = :s"), {"s": sender}).scalars().all()
    engine.dispose()
    stored = "\n".join(rows)
    assert len(rows) > 30, "the conversation is in PostgreSQL"
    assert AADHAAR not in stored and SPACED not in stored and "2345 6789" not in stored
    assert "XXXX XXXX 0124" in stored
    # the invalid number typed on the way is a person's number too
    assert "2345 6789 0123" not in stored
    tracker = rasa_api.call(assistant.settings, "GET", f"/conversations/{sender}/tracker", timeout=30).json()
    assert AADHAAR not in str(tracker) and SPACED not in str(tracker)


def test_no_process_logs_the_aadhaar_number(assistant, applied):
    for running in assistant.running:
        log = running.log_path.read_text(errors="replace")
        assert AADHAAR not in log and SPACED not in log, running.service.name


def test_status_for_the_owner_and_nobody_else(assistant, applied):
    sender, replies = applied
    reference = ID.search(texts(replies[-1][1])).group(0)
    mine = texts(assistant.say(f"{reference.lower()} ka status kya hai", sender=sender))
    assert reference in mine and "फीस जमा होना बाकी है" in mine and "फीस जमा होने के दिन से गिनी जाएगी" in mine
    other = texts(assistant.say(f"{reference} ka status kya hai", sender=f"other-{uuid.uuid4().hex[:6]}"))
    assert "यह आवेदन आपके मोबाइल नंबर से नहीं मिला" in other and "रमेश" not in other


def test_stop_asks_first_then_stops(assistant):
    sender = f"stop-{uuid.uuid4().hex[:8]}"
    assistant.say("jati praman patra banwana hai", sender=sender)
    assistant.say("jhabua", sender=sender)
    assistant.say("sunita damor", sender=sender)
    assert "रोक दें?" in texts(assistant.say("band karo", sender=sender))
    assert "रोक दिया" in texts(assistant.say("haan", sender=sender))
    assert "बंद" not in texts(assistant.say("namaste", sender=sender))


@pytest.mark.parametrize("skip", ["अभी नहीं", "abhi nahi"])
def test_not_now_to_the_childs_name_skips_it_and_does_not_stop_the_form(assistant, skip):
    """The question itself says: no name yet? write "अभी नहीं". The NLU reads it as
    "stop"; the form takes it as the skip and asks the next question."""
    sender = f"skip-{uuid.uuid4().hex[:8]}"
    assistant.say("bacche ka birth certificate banwana hai", sender=sender)
    assistant.say("jhabua", sender=sender)
    asked = texts(assistant.say("sunita damor", sender=sender))
    assert "बच्चे का नाम" in asked, asked
    reply = texts(assistant.say(skip, sender=sender))
    assert "रोक दें?" not in reply and "लड़का है या लड़की" in reply, reply
    assert "रोक दें?" in texts(assistant.say("abhi nahi karna form band karo", sender=sender))


def test_a_half_filled_application_survives_a_restart_and_is_offered(assistant):
    sender = f"resume-{uuid.uuid4().hex[:8]}"
    assistant.say("jati praman patra banwana hai", sender=sender)
    assistant.say("jhabua", sender=sender)
    assistant.say("sunita damor", sender=sender)
    # the conversation is wiped (as after a long absence); the draft is in the database
    rasa_api.call(
        assistant.settings, "POST", f"/conversations/{sender}/tracker/events", json=[{"event": "restart"}], timeout=30
    ).raise_for_status()
    offer = texts(assistant.say("aavedan karna hai", sender=sender))
    assert "आपका जाति प्रमाण पत्र का आवेदन अधूरा है, आगे भरें?" in offer
    resumed = texts(assistant.say("haan", sender=sender))
    assert "आगे भरते हैं" in resumed and "पिता का नाम" in resumed
