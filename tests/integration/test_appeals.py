"""Appealing from the chat through the real Rasa server and action server, with
the applications in PostgreSQL: a late application is appealed in three messages."""

import datetime as dt
import re
import uuid

import pytest
import sqlalchemy as sa

from lokseva.appeals.models import Appeal
from lokseva.applications.models import Application, Citizen, StatusHistory
from lokseva.clock import today_in_india
from lokseva.db import create_engine_for, session_scope

pytestmark = pytest.mark.integration

APPEAL_NUMBER = re.compile(r"JBA-A-\d{4}-\d{6}")


def texts(messages):
    return "\n".join(m.get("text", "") for m in messages)


def _application(engine, sender: str, serial: int, status: str, due: dt.date) -> str:
    reference = f"JBA-2026-{serial:06d}"
    submitted = dt.datetime.combine(due - dt.timedelta(days=10), dt.time(6, 30), tzinfo=dt.timezone.utc)
    with session_scope(engine) as session:
        citizen = session.query(Citizen).filter_by(channel_user_id=sender).one_or_none()
        if citizen is None:
            citizen = Citizen(channel_user_id=sender, language="hi")
            session.add(citizen)
            session.flush()
        application = Application(
            reference=reference,
            district_code="JBA",
            citizen_id=citizen.id,
            service_id="income_certificate",
            status=status,
            language="hi",
            applicant_name="सीता बाई",
            submitted_at=submitted,
            due_date=due,
        )
        application.history.append(
            StatusHistory(from_status="draft", to_status="submitted", changed_by="citizen", changed_at=submitted)
        )
        application.history.append(
            StatusHistory(
                from_status="submitted",
                to_status=status,
                changed_by="staff:1",
                changed_at=submitted + dt.timedelta(days=1),
                reason="papers incomplete" if status == "rejected" else "",
            )
        )
        session.add(application)
    return reference


@pytest.fixture(scope="module")
def engine(assistant):
    engine = create_engine_for(assistant.settings.database_url)
    yield engine
    engine.dispose()


def test_a_late_application_is_appealed_in_three_messages(assistant, engine):
    sender = f"appeal-{uuid.uuid4().hex[:8]}"
    today = today_in_india()
    reference = _application(
        engine, sender, 900_001 + uuid.uuid4().int % 90_000, "under_review", today - dt.timedelta(days=5)
    )
    question = assistant.say("अपील करनी है", sender=sender)
    text = texts(question)
    assert reference in text and "तय तारीख" in text and "क्या अपील दर्ज करें" in text, text
    assert [b["payload"] for m in question for b in m.get("buttons", [])] == ["/affirm", "/deny"]
    receipt = texts(assistant.say("हाँ", sender=sender))
    number = APPEAL_NUMBER.search(receipt)
    assert number and "अपील की पावती" in receipt and "एसडीएम" in receipt, receipt
    assert "₹1,250" in receipt, receipt  # 5 days late so far: ₹250 a day
    with session_scope(engine) as session:
        appeal = session.execute(sa.select(Appeal).where(Appeal.reference == number.group(0))).scalar_one()
        assert (appeal.level, appeal.grounds, appeal.status, appeal.filed_by) == (1, "late", "filed", "citizen")
    again = texts(assistant.say(f"{reference} पर अपील करनी है", sender=sender))
    assert "सुनवाई चल रही है" in again, again
    # A yes with nothing asked shows the menu, as before.
    assert texts(assistant.say("हाँ", sender=sender))


def test_several_appealable_applications_are_offered_as_buttons_and_no_files_nothing(assistant, engine):
    sender = f"appeal-{uuid.uuid4().hex[:8]}"
    today = today_in_india()
    base = 800_001 + uuid.uuid4().int % 90_000
    late = _application(engine, sender, base, "under_review", today - dt.timedelta(days=2))
    rejected = _application(engine, sender, base + 1, "rejected", today + dt.timedelta(days=3))
    _application(engine, sender, base + 2, "under_review", today + dt.timedelta(days=3))  # on time
    choice = assistant.say("appeal karna hai", sender=sender)
    payloads = [b["payload"] for m in choice for b in m.get("buttons", [])]
    assert sorted(payloads) == sorted(f'/file_appeal{{"application_id": "{r}"}}' for r in (late, rejected))
    question = texts(assistant.say(f'/file_appeal{{"application_id": "{rejected}"}}', sender=sender))
    assert rejected in question and "नामंज़ूर" in question, question
    assert "अपील दर्ज नहीं की" in texts(assistant.say("नहीं", sender=sender))
    with session_scope(engine) as session:
        assert (
            session.execute(
                sa.select(sa.func.count(Appeal.id))
                .join(Application)
                .join(Citizen)
                .where(Citizen.channel_user_id == sender)
            ).scalar_one()
            == 0
        )


def test_another_citizens_application_cannot_be_appealed(assistant, engine):
    owner, other = f"appeal-{uuid.uuid4().hex[:8]}", f"appeal-{uuid.uuid4().hex[:8]}"
    reference = _application(
        engine, owner, 700_001 + uuid.uuid4().int % 90_000, "under_review", today_in_india() - dt.timedelta(days=3)
    )
    reply = texts(assistant.say(f"{reference} ki appeal karni hai", sender=other))
    assert "कोई आवेदन नहीं मिला" in reply, reply
