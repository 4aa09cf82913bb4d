"""Issue #15 (a): a birth certificate whose child had no name yet. Issuing it with
"नाम दर्ज नहीं" is not among the confirmed rules (docs/facts), so the certificate is
made only once the name is there: approving asks the parent through the outbox, the
officer writes the name in, then approves and the certificate carries it."""

import pytest

from lokseva.applications.models import Application
from lokseva.db import session_scope
from lokseva.notifications import outbox
from lokseva.portal import decisions
from lokseva.portal.service import PortalError, Staff, create_user
from lokseva.settings import load_settings
from tests.unit.portal.support import submit_application


@pytest.fixture
def officer(engine):
    with session_scope(engine) as s:
        return Staff.of(create_user(s, "registrar1", "a-Long-pass-1234", "designated_officer", district_code="JBA"))


@pytest.fixture
def nameless(engine):
    """A birth certificate application where the parent wrote "अभी नहीं" for the name."""
    reference = submit_application(engine, phone="+919826055501", service="birth_certificate", status="under_review")
    with session_scope(engine) as s:
        application = decisions.get(s, reference)
        application.details = {**application.details, "subject_name": ""}
    return reference


def test_a_birth_certificate_without_the_childs_name_is_not_approved(engine, officer, nameless):
    with session_scope(engine) as s:
        assert decisions.child_name_missing(decisions.get(s, nameless))
        with pytest.raises(PortalError) as error:
            decisions.approve(s, nameless, officer)
    assert error.value.code == "child_name_missing"
    with session_scope(engine) as s:
        assert decisions.get(s, nameless).status == "under_review"


def test_the_parent_is_asked_then_the_officer_writes_the_name_in_and_the_certificate_carries_it(
    engine, officer, nameless, tmp_path, database_url
):
    from lokseva.certificates.service import issue_certificate

    with session_scope(engine) as s:
        notice = decisions.ask_for_child_name(s, nameless, officer)
    assert "बच्चे का नाम नहीं है" in notice.text and "मुझे अधिकारी से बात करनी है" in notice.text
    assert nameless in notice.text and notice.text.count("👉") == 1
    with session_scope(engine) as s:
        assert decisions.get(s, nameless).status == "more_info_needed"
        [written] = outbox.listing(s, subject=outbox.application_subject(nameless))
        assert written.id == notice.notification_id and written.status == "pending", "the outbox sends it"
    with session_scope(engine) as s, pytest.raises(PortalError) as error:
        decisions.enter_child_name(s, nameless, officer, "12345")
    assert error.value.code == "child_name_invalid"
    with session_scope(engine) as s:
        assert decisions.enter_child_name(s, nameless, officer, "krishna bhuriya") == "Krishna Bhuriya"
    with session_scope(engine) as s:
        assert not decisions.child_name_missing(decisions.get(s, nameless))
        application_id = decisions.approve(s, nameless, officer).id
    settings = load_settings(
        {"DATABASE_URL": database_url, "CERTIFICATES_DIR": str(tmp_path / "c"), "LOKSEVA_ENV": "test"}
    )
    issue_certificate(application_id, by="staff:1", engine=engine, settings=settings, notify=False)
    with session_scope(engine) as s:
        from lokseva.certificates.models import Certificate
        import sqlalchemy as sa

        certificate = s.execute(sa.select(Certificate).where(Certificate.application_id == application_id)).scalar_one()
        assert certificate.subject_name == "Krishna Bhuriya"
        assert s.get(Application, application_id).status == "certificate_issued"


def test_a_name_is_asked_only_where_it_is_missing(engine, officer):
    named = submit_application(engine, phone="+919826055502", service="birth_certificate", status="under_review")
    income = submit_application(engine, phone="+919826055503", status="under_review")
    with session_scope(engine) as s:
        assert not decisions.child_name_missing(decisions.get(s, named))
        assert not decisions.child_name_missing(decisions.get(s, income))
        with pytest.raises(PortalError):
            decisions.ask_for_child_name(s, named, officer)
        with pytest.raises(PortalError):
            decisions.enter_child_name(s, income, officer, "Ramesh")
