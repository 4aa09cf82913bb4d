"""The officer's decisions on real applications (submitted through the
applications capability), certificates issued by the certificates capability."""

import datetime as dt

import pytest
import sqlalchemy as sa

from lokseva.applications.models import Application
from lokseva.clock import today_in_india
from lokseva.db import session_scope
from lokseva.portal import decisions
from lokseva.portal.decisions import QueueFilter
from lokseva.portal.service import PortalError, Staff, create_user
from lokseva.settings import load_settings
from tests.unit.portal.support import submit_application

TODAY = today_in_india()


@pytest.fixture
def officer(engine):
    with session_scope(engine) as s:
        return Staff.of(create_user(s, "officer.jhabua", "a-Long-pass-1234", "designated_officer", "Meena", "Jhabua"))


@pytest.fixture
def other_officer(engine):
    with session_scope(engine) as s:
        return Staff.of(create_user(s, "officer.petlawad", "a-Long-pass-1234", "designated_officer", "Om", "Petlawad"))


def history(engine, reference):
    with session_scope(engine) as s:
        app = s.execute(sa.select(Application).where(Application.reference == reference)).scalar_one()
        return app.status, [(h.from_status, h.to_status, h.changed_by, h.reason) for h in app.history]


def test_queue_filters(engine):
    now = dt.datetime.now(dt.timezone.utc)
    late = submit_application(engine, phone="+919000000001", now=now - dt.timedelta(days=40), name="Late Lal")
    fresh = submit_application(engine, phone="+919000000002", tehsil="Petlawad", name="Fresh Bai")
    unpaid = submit_application(engine, phone="+919000000003", status="fee_pending", name="Unpaid Singh")
    birth = submit_application(engine, phone="+919000000004", service="birth_certificate", status="under_review")

    def refs(**kw):
        with session_scope(engine) as s:
            rows, total = decisions.queue(s, QueueFilter(**kw), TODAY)
            assert total == len(rows)
            return {r.reference for r in rows}

    assert refs() == {late, fresh, birth}, "awaiting: the office's work, not the unpaid one"
    assert refs(status="all") == {late, fresh, unpaid, birth}
    assert refs(status="fee_pending") == {unpaid}
    assert refs(tehsil="petlawad") == {fresh}
    assert refs(service="birth_certificate") == {birth}
    assert refs(overdue=True) == {late}
    assert late not in refs(due_within=30) and fresh in refs(due_within=30)
    assert refs(search=late.lower().replace("-", " ")) == {late}
    assert refs(search="0002", status="all") == {fresh}
    assert refs(search="12") == set(), "too few digits finds nothing"
    with session_scope(engine) as s:
        rows, _ = decisions.queue(s, QueueFilter(), TODAY)
        row = next(r for r in rows if r.reference == late)
        assert row.overdue and row.days_left < 0 and row.phone == "+91******0001"
        assert rows[0].reference == late, "the most urgent first"
        assert decisions.overdue_count(s, TODAY) == 1 and decisions.overdue_count(s, TODAY, "Petlawad") == 0


def test_application_file_masks_aadhaar_and_names_the_staff(engine, officer):
    reference = submit_application(engine, phone="+919826012345")
    with session_scope(engine) as s:
        decisions.resume_review(s, reference, officer)
    with session_scope(engine) as s:
        found = decisions.application_file(s, reference, TODAY)
        assert found.aadhaar.startswith("XXXX XXXX ") and len(found.aadhaar) == 14
        assert found.phone == "+91******2345"
        assert found.history[-1]["by"] == "officer.jhabua" and found.history[-1]["to"] == "under_review"
        assert ("annual_income", 20_000_000) in found.details
        assert found.documents_required and found.service_name["en"] == "Income certificate"
    with session_scope(engine) as s, pytest.raises(PortalError):
        decisions.application_file(s, "JBA-2026-999999", TODAY)


def test_reject_needs_a_reason_and_tells_the_citizen_how_to_appeal(engine, officer):
    reference = submit_application(engine)
    with session_scope(engine) as s, pytest.raises(PortalError) as short:
        decisions.reject(s, reference, officer, "no")
    assert short.value.code == "reason_needed"
    with session_scope(engine) as s:
        notice = decisions.reject(s, reference, officer, "आय का प्रमाण संलग्न नहीं है।")
    assert notice.phone == "+919826012345" and notice.reference == reference and notice.language == "hi"
    assert "नामंज़ूर" in notice.text and "कारण: आय का प्रमाण संलग्न नहीं है।" in notice.text
    assert "पहली अपील" in notice.text and "एसडीएम" in notice.text
    status, steps = history(engine, reference)
    assert status == "rejected"
    assert steps[-2:] == [
        ("paid", "under_review", f"staff:{officer.id}", "taken up for decision"),
        ("under_review", "rejected", f"staff:{officer.id}", "आय का प्रमाण संलग्न नहीं है।"),
    ]
    with session_scope(engine) as s, pytest.raises(PortalError) as again:
        decisions.reject(s, reference, officer, "another reason here")
    assert again.value.code == "wrong_status"


def test_documents_request_and_resumed_review(engine, officer):
    reference = submit_application(engine, language="en")
    with session_scope(engine) as s, pytest.raises(PortalError):
        decisions.request_documents(s, reference, officer, [], "")
    with session_scope(engine) as s:
        notice = decisions.request_documents(
            s, reference, officer, ["Income proof", "Photograph"], "The photo is blurred"
        )
    assert notice.language == "en"
    assert "• Income proof\n• Photograph" in notice.text and "Officer: The photo is blurred" in notice.text
    status, steps = history(engine, reference)
    assert status == "more_info_needed" and steps[-1][3] == "Income proof; Photograph; The photo is blurred"
    with session_scope(engine) as s:
        decisions.resume_review(s, reference, officer)
    assert history(engine, reference)[0] == "under_review"


def test_officers_decide_their_own_tehsil_only(engine, other_officer):
    reference = submit_application(engine, tehsil="Jhabua")
    with session_scope(engine) as s, pytest.raises(PortalError) as error:
        decisions.approve(s, reference, other_officer)
    assert error.value.code == "other_tehsil"
    assert history(engine, reference)[0] == "paid", "nothing changed"


def test_approve_then_issue_the_certificate(engine, officer, tmp_path, database_url):
    from lokseva.certificates.service import issue_certificate

    reference = submit_application(engine)
    with session_scope(engine) as s:
        application = decisions.approve(s, reference, officer)
        application_id = application.id
    assert history(engine, reference)[0] == "approved"
    settings = load_settings(
        {"DATABASE_URL": database_url, "CERTIFICATES_DIR": str(tmp_path / "certs"), "LOKSEVA_ENV": "test"}
    )
    issued = issue_certificate(
        application_id, by=decisions.staff_actor(officer), engine=engine, settings=settings, notify=False
    )
    assert issued.path.exists() and issued.number.startswith("JBA-C-")
    status, steps = history(engine, reference)
    assert status == "certificate_issued" and steps[-1][2] == f"staff:{officer.id}"
    with session_scope(engine) as s:
        found = decisions.application_file(s, reference, TODAY)
        assert [c.number for c in found.certificates] == [issued.number]
        assert decisions.application_of_certificate(s, issued.number).reference == reference
