"""The application database on SQLite and PostgreSQL: drafts, submission,
ids, status history, ownership, documents."""

import datetime as dt

import pytest
import sqlalchemy as sa

from lokseva.applications import flows, service as repo
from lokseva.applications.lifecycle import InvalidTransition, Status
from lokseva.applications.models import Application, StatusHistory
from lokseva.db import session_scope
from lokseva.districts import load_district
from lokseva.privacy import vault
from tests.unit.applications.conftest import valid_aadhaar

JHABUA = load_district("jhabua")
NOW = dt.datetime(2026, 3, 16, 6, 0, tzinfo=dt.timezone.utc)  # Monday, 11:30 in India
ANSWERS = {
    "applicant_name": "Ramesh Bhuriya",
    "relative_name": "Kalu Bhuriya",
    "relative_relation": "father",
    "gender": "male",
    "date_of_birth": "1990-03-12",
    "address_village": "Pitol",
    "address_tehsil": "Jhabua",
    "address_pin": "457661",
    "aadhaar": "XXXX XXXX 0124",
    "annual_income": 20_000_000,
}


def fill(engine, user="citizen-1", service="income_certificate", answers=ANSWERS, now=None):
    with session_scope(engine) as session:
        citizen = repo.get_or_create_citizen(session, user, whatsapp_number="whatsapp:+919826012345")
        repo.save_draft(
            session,
            citizen,
            service,
            answers,
            aadhaar_digits=valid_aadhaar(),
            district_code="JBA",
            now=now or NOW - dt.timedelta(minutes=5),
        )


def test_draft_keeps_answers_and_aadhaar_encrypted(engine):
    fill(engine)
    assert flows.find_draft("citizen-1", engine=engine, now=NOW) == {
        "application_service": "income_certificate",
        **ANSWERS,
    }
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT * FROM applications")).mappings().one()
        assert row["status"] == "draft" and row["reference"] is None
        assert row["aadhaar_last4"] == "0124"
        assert valid_aadhaar() not in str(dict(row))
    with session_scope(engine) as session:
        assert vault.withdraw(session, row["aadhaar_ref"]) == valid_aadhaar(), "the number is in the vault"
    with engine.connect() as conn:
        history = conn.execute(sa.text("SELECT from_status, to_status, changed_by FROM application_status_history"))
        assert [tuple(r) for r in history] == [(None, "draft", "citizen")]


def test_a_draft_older_than_a_day_is_not_offered(engine):
    fill(engine, now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=25))
    assert flows.find_draft("citizen-1", engine=engine) is None
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM applications")).scalar_one() == 0, "expired: deleted"


def test_submission_numbers_prices_and_dates_the_application(engine):
    fill(engine)
    receipt = flows.submit_draft("citizen-1", now=NOW, district=JHABUA, engine=engine)
    view = receipt.application
    assert view.reference == "JBA-2026-000001"
    assert view.status == Status.FEE_PENDING
    assert (view.fee_due_paise, view.processing_fee_paise, view.statutory_fee_paise) == (2000, 2000, 0)
    assert view.submitted_on == dt.date(2026, 3, 16)
    # 15 working days from Mon 16 Mar 2026: Sundays 22 and 29 Mar skipped
    assert view.due_date == dt.date(2026, 4, 2)
    assert not view.due_date_confirmed
    with session_scope(engine) as session:
        app = session.execute(sa.select(Application)).scalar_one()
        assert [(h.from_status, h.to_status) for h in app.history] == [
            (None, "draft"),
            ("draft", "submitted"),
            ("submitted", "fee_pending"),
        ]
        assert app.citizen.masked_whatsapp_number == "+91******2345"
    assert flows.find_draft("citizen-1", engine=engine, now=NOW) is None


def test_birth_fee_depends_on_the_delay(engine):
    answers = {
        **ANSWERS,
        "subject_name": "Priya",
        "subject_gender": "female",
        "event_date": "2026-02-10",
        "event_place": "Jhabua",
        "mother_name": "Sita",
        "father_name": "Ramesh",
    }
    answers.pop("annual_income")
    fill(engine, service="birth_certificate", answers=answers)
    receipt = flows.submit_draft("citizen-1", now=NOW, district=JHABUA, engine=engine)
    # born 10 Feb, applied 16 Mar: 34 days late, the tier up to a year (with an affidavit)
    assert receipt.application.statutory_fee_paise == 5000
    assert receipt.application.fee_due_paise == 7000
    assert receipt.fee_note["hi"] == "शपथ पत्र के साथ"


def test_incomplete_draft_is_not_submitted(engine):
    fill(engine, answers={k: v for k, v in ANSWERS.items() if k != "address_pin"})
    with pytest.raises(flows.IncompleteApplication, match="address_pin"):
        flows.submit_draft("citizen-1", now=NOW, district=JHABUA, engine=engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT status FROM applications")).scalar_one() == "draft"
        assert conn.execute(sa.text("SELECT count(*) FROM application_counters")).scalar_one() == 0


def test_no_draft_no_submission(engine):
    with pytest.raises(flows.NoDraft):
        flows.submit_draft("nobody", now=NOW, district=JHABUA, engine=engine)


def test_ids_count_per_district_and_year_and_a_rollback_gives_the_number_back(engine):
    with session_scope(engine) as session:
        assert repo.allocate_reference(session, "JBA", 2026) == "JBA-2026-000001"
        assert repo.allocate_reference(session, "JBA", 2026) == "JBA-2026-000002"
        assert repo.allocate_reference(session, "JBA", 2027) == "JBA-2027-000001"
        assert repo.allocate_reference(session, "ALR", 2026) == "ALR-2026-000001"
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        assert repo.allocate_reference(session, "JBA", 2026) == "JBA-2026-000003"
        raise RuntimeError("the submission failed after numbering")
    with session_scope(engine) as session:
        assert repo.allocate_reference(session, "JBA", 2026) == "JBA-2026-000003", "no gap"


def test_status_is_shown_only_to_its_owner(engine):
    fill(engine, user="owner")
    reference = flows.submit_draft("owner", now=NOW, district=JHABUA, engine=engine).application.reference
    assert flows.application_for("owner", reference, engine=engine).reference == reference
    assert flows.application_for("someone-else", reference, engine=engine) is None
    assert flows.application_for("owner", "JBA-2026-999999", engine=engine) is None
    views, draft = flows.applications_for("owner", engine=engine)
    assert [v.reference for v in views] == [reference] and draft is None
    assert flows.applications_for("someone-else", engine=engine) == ([], None)


def test_status_changes_go_through_the_lifecycle_and_are_recorded(engine):
    fill(engine)
    reference = flows.submit_draft("citizen-1", now=NOW, district=JHABUA, engine=engine).application.reference
    with session_scope(engine) as session:
        app = repo.find_by_reference(session, reference)
        repo.change_status(session, app, Status.PAID, by="system", reason="payment 123")
        with pytest.raises(InvalidTransition):
            repo.change_status(session, app, Status.DELIVERED, by="staff:1")
        repo.change_status(session, app, Status.UNDER_REVIEW, by="staff:1", reason="picked up")
    with session_scope(engine) as session:
        rows = session.execute(sa.select(StatusHistory).order_by(StatusHistory.id)).scalars().all()
        assert [(r.to_status, r.changed_by, r.reason) for r in rows[-2:]] == [
            ("paid", "system", "payment 123"),
            ("under_review", "staff:1", "picked up"),
        ]


def test_documents_are_stored_against_the_application(engine):
    fill(engine)
    reference = flows.submit_draft("citizen-1", now=NOW, district=JHABUA, engine=engine).application.reference
    with session_scope(engine) as session:
        app = repo.find_by_reference(session, reference)
        repo.add_document(
            session,
            app,
            filename="aadhaar.jpg",
            content_type="image/jpeg",
            size_bytes=1234,
            sha256="ab" * 32,
            storage_key="media/2026/ab.jpg",
            kind="identity_proof",
        )
    with session_scope(engine) as session:
        app = repo.find_by_reference(session, reference)
        assert [(d.kind, d.filename, d.source) for d in app.documents] == [
            ("identity_proof", "aadhaar.jpg", "whatsapp")
        ]


def test_discarding_and_purging_drafts(engine):
    fill(engine, user="a")
    fill(engine, user="a", now=dt.datetime.now(dt.timezone.utc))
    assert flows.discard_draft("a", engine=engine) is True
    assert flows.discard_draft("a", engine=engine) is False
    fill(engine, user="b", now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2))
    with session_scope(engine) as session:
        assert repo.purge_expired_drafts(session) == 1


def test_the_database_is_migrated_on_first_use(monkeypatch, tmp_path):
    """The action server needs no migration step: a fresh SQLite file (make run)
    gets its tables on the first conversation."""
    from lokseva.applications import scheduled
    from lokseva.settings import get_settings

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        assert flows.find_draft("someone") is None
        flows.save_answers("someone", "domicile_certificate", {"applicant_name": "Sita"})
        assert flows.find_draft("someone")["applicant_name"] == "Sita"
        assert scheduled.purge_expired_drafts() == 0
    finally:
        get_settings.cache_clear()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
        assert conn.execute(sa.text("SELECT count(*) FROM applications")).scalar_one() == 1
    engine.dispose()


def test_the_channel_attaches_uploads_to_the_right_application(engine):
    upload = dict(
        filename="photo.jpg", content_type="image/jpeg", size_bytes=10, sha256="cd" * 32, storage_key="media/cd.jpg"
    )
    assert flows.attach_document("stranger", engine=engine, **upload) is None
    fill(engine, user="c", now=dt.datetime.now(dt.timezone.utc))
    assert flows.attach_document("c", engine=engine, **upload) == flows.AttachedTo("income_certificate", None)
    reference = flows.submit_draft("c", district=JHABUA, engine=engine).application.reference
    attached = flows.attach_document("c", engine=engine, kind="income_proof", **upload)
    assert attached == flows.AttachedTo("income_certificate", reference)
    # someone else's id is not honoured: it goes to their own (none) -> nothing
    assert flows.attach_document("stranger", reference=reference, engine=engine, **upload) is None
    with session_scope(engine) as session:
        app = repo.find_by_reference(session, reference)
        assert [d.kind for d in app.documents] == ["other", "income_proof"]


def test_an_upload_goes_first_where_the_officer_asked_for_it(engine):
    """One rule for the channel and the domain: more information asked for beats
    a new draft being filled, which beats the newest open application."""
    upload = dict(
        filename="proof.pdf",
        content_type="application/pdf",
        size_bytes=10,
        sha256="ef" * 32,
        storage_key="media/ef.pdf",
    )
    fill(engine, user="d", now=dt.datetime.now(dt.timezone.utc))
    asked = flows.submit_draft("d", district=JHABUA, engine=engine).application.reference
    fill(engine, user="d", now=dt.datetime.now(dt.timezone.utc))
    newest = flows.submit_draft("d", district=JHABUA, engine=engine).application.reference
    with session_scope(engine) as session:
        application = repo.find_by_reference(session, asked)
        path = [Status.PAID] if application.status == Status.FEE_PENDING.value else []
        for status in path + [Status.UNDER_REVIEW, Status.MORE_INFO_NEEDED]:
            repo.change_status(session, application, status, by="staff:1")
    fill(engine, user="d", now=dt.datetime.now(dt.timezone.utc))  # a third one, being filled in the chat
    assert flows.attach_document("d", engine=engine, **upload).reference == asked
    with session_scope(engine) as session:
        application = repo.find_by_reference(session, asked)
        repo.change_status(session, application, Status.UNDER_REVIEW, by="staff:1")
    assert flows.attach_document("d", engine=engine, **upload) == flows.AttachedTo("income_certificate", None)
    with session_scope(engine) as session:
        assert [d.sha256 for d in repo.find_by_reference(session, asked).documents] == ["ef" * 32]
        assert repo.find_by_reference(session, newest).documents == []
