"""Issuing, revoking, verifying and sending certificates against a real database
(SQLite and PostgreSQL), reading the stored PDF back with poppler."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from lokseva.applications.models import Application, Citizen
from lokseva.certificates import media, service, signing, verification
from lokseva.certificates.models import Certificate, CertificateCounter
from lokseva.db import session_scope
from lokseva.notifications.models import Notification

NOW = dt.datetime(2026, 3, 12, 6, 30, tzinfo=dt.timezone.utc)


class Written:
    """The "certificate ready" messages issue_certificate wrote in the notification
    outbox, oldest first, as (phone, reference, service name, PDF link as it would
    be sent, language)."""

    def __init__(self, engine, settings):
        self.engine, self.settings = engine, settings

    def _rows(self):
        with session_scope(self.engine) as session:
            rows = session.execute(sa.select(Notification).order_by(Notification.id)).scalars().all()
            out = []
            for row in rows:
                citizen = session.get(Citizen, row.citizen_id)
                assert (row.key, row.status) == ("certificate_ready", "pending")
                url = media.media_url(
                    row.attachment["certificate"], row.attachment["sha256"], citizen.channel_user_id, self.settings
                )
                out.append(
                    (
                        citizen.whatsapp_number,
                        row.variables["application_id"],
                        row.variables["service_name"],
                        url,
                        row.language,
                    )
                )
            return out

    def __len__(self):
        return len(self._rows())

    def __getitem__(self, index):
        return self._rows()[index]

    def __iter__(self):
        return iter(self._rows())


@pytest.fixture
def sent(engine, settings):
    return Written(engine, settings)


def issue(engine, settings, reference, **kwargs):
    return service.issue_certificate(
        reference, "staff:7", engine=engine, settings=settings, now=kwargs.pop("now", NOW), **kwargs
    )


def test_issue_stores_the_signed_pdf_moves_the_application_and_tells_the_citizen(
    engine, settings, make_application, sent
):
    app = make_application("income_certificate")
    issued = issue(engine, settings, app.reference)

    assert issued.number == "JBA-C-2026-000001"
    pdf = issued.path.read_bytes()
    assert issued.path.is_relative_to(settings.certificates_dir)
    assert hashlib.sha256(pdf).hexdigest() == issued.sha256
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert issued.number in text and app.reference in text and "श्रीमती लक्ष्मी" in text
    assert issued.verification_url == f"https://lokseva.test/verify/{issued.number}?s={issued.signature}"

    with session_scope(engine) as session:
        application = session.get(Application, app.id)
        assert application.status == "certificate_issued"
        assert application.history[-1].changed_by == "staff:7"
        assert application.history[-1].reason == f"certificate {issued.number}"
        row = session.execute(sa.select(Certificate)).scalar_one()
        assert (row.sha256, row.signature, row.applicant_name) == (
            issued.sha256,
            issued.signature,
            "श्रीमती लक्ष्मी भूरिया",
        )

    [(phone, reference, service_name, url, language)] = sent
    assert issued.notification_id is not None
    assert (phone, reference, service_name, language) == (app.phone, app.reference, "आय प्रमाण पत्र", "hi")
    assert url.startswith("https://lokseva.test/media/") and url.endswith(f"/certificate-{issued.number}.pdf")


def test_numbers_follow_each_other_and_an_issue_happens_once(engine, settings, make_application, sent):
    first, second = make_application(), make_application("caste_certificate")
    assert issue(engine, settings, first.reference).number.endswith("-000001")
    assert issue(engine, settings, second.reference).number.endswith("-000002")
    with pytest.raises(service.NotIssuable, match="certificate_issued"):
        issue(engine, settings, first.reference)


@pytest.mark.parametrize("status", ["under_review", "rejected", "fee_pending"])
def test_only_an_approved_application_gets_a_certificate(engine, settings, make_application, sent, status):
    app = make_application(status=status)
    with pytest.raises(service.NotIssuable):
        issue(engine, settings, app.reference)
    assert not sent


def test_a_failed_issue_leaves_nothing_behind(engine, settings, make_application, sent):
    broken = make_application("income_certificate", details={})  # no annual income to certify
    with pytest.raises(service.IncompleteApplication, match="annual_income"):  # a CertificateError for callers
        issue(engine, settings, broken.reference)
    with session_scope(engine) as session:
        assert session.get(Application, broken.id).status == "approved"
        assert session.execute(sa.select(sa.func.count(Certificate.id))).scalar() == 0
    assert not list(Path(settings.certificates_dir).rglob("*"))  # no PDF, no half-written part file
    # The number was given back.
    good = make_application()
    assert issue(engine, settings, good.reference).number.endswith("-000001")


def test_verify_valid_invalid_unknown_revoked(engine, settings, make_application, sent):
    issued = issue(engine, settings, make_application().reference)
    other = issue(engine, settings, make_application("domicile_certificate").reference)

    result = verification.verify(issued.number, issued.signature, engine=engine, settings=settings)
    assert result.status == verification.VALID
    assert (result.applicant_name, result.issue_date, result.service_name.en) == (
        "श्रीमती लक्ष्मी भूरिया",
        dt.date(2026, 3, 12),
        "Income Certificate",
    )

    flipped = issued.signature[:-1] + ("A" if issued.signature[-1] != "A" else "B")
    for number, signature in [(issued.number, flipped), (issued.number, None), (other.number, issued.signature)]:
        invalid = verification.verify(number, signature, engine=engine, settings=settings)
        assert invalid.status == verification.INVALID and invalid.applicant_name is None  # nothing leaks
    assert (
        verification.verify("JBA-C-2026-999999", issued.signature, engine=engine, settings=settings).status
        == verification.INVALID
    )
    # Lower case and spaces, as typed from the paper, still verify.
    assert (
        verification.verify(" jba-c-2026-000001 ", issued.signature, engine=engine, settings=settings).status
        == verification.VALID
    )

    service.revoke(issued.number, "staff:9", "जारी करने में गलती / issued in error", engine=engine)
    revoked = verification.verify(issued.number, issued.signature, engine=engine, settings=settings)
    assert revoked.status == verification.REVOKED and revoked.revocation_reason.startswith("जारी करने में गलती")
    assert revoked.revoked_at is not None and not revoked.superseded, "revoked, not replaced"
    with pytest.raises(service.CertificateError, match="already revoked"):
        service.revoke(issued.number, "staff:9", "again", engine=engine)
    with pytest.raises(ValueError, match="reason"):
        service.revoke(other.number, "staff:9", " ", engine=engine)
    with pytest.raises(service.CertificateNotFound):
        service.revoke("JBA-C-2026-999999", "staff:9", "no such", engine=engine)


def reissue(engine, settings, reference, reason="name misspelt on the certificate", **kwargs):
    return service.reissue_certificate(
        reference,
        "staff:8",
        reason,
        engine=engine,
        settings=settings,
        now=kwargs.pop("now", NOW + dt.timedelta(days=2)),
        **kwargs,
    )


@pytest.mark.parametrize("delivered", [False, True])
def test_a_revoked_certificate_is_reissued_with_a_new_number(engine, settings, make_application, sent, delivered):
    app = make_application()
    first = issue(engine, settings, app.reference)
    issue(engine, settings, make_application(channel_user_id="wa-other").reference)  # takes the next number
    if delivered:
        with session_scope(engine) as session:
            application = session.get(Application, app.id)
            application.status = "delivered"
    service.revoke(first.number, "staff:9", "नाम की वर्तनी गलत / name misspelt", engine=engine)

    second = reissue(engine, settings, app.reference)

    assert (first.number, second.number) == ("JBA-C-2026-000001", "JBA-C-2026-000003")
    assert second.path.is_file() and first.path.is_file(), "the old PDF is kept"
    assert second.sha256 != first.sha256 and second.signature != first.signature
    with session_scope(engine) as session:
        application = session.get(Application, app.id)
        assert application.status == "certificate_issued"
        last = application.history[-1]
        assert (last.from_status, last.to_status, last.changed_by) == (
            "delivered" if delivered else "certificate_issued",
            "certificate_issued",
            "staff:8",
        )
        assert last.reason == (
            f"certificate {second.number}; re-issued in place of {first.number}: name misspelt on the certificate"
        )
        rows = {
            c.number: c
            for c in session.execute(sa.select(Certificate).where(Certificate.application_id == app.id)).scalars()
        }
        assert rows[first.number].revoked_by == "staff:9" and rows[second.number].revoked_at is None

    old = verification.verify(first.number, first.signature, engine=engine, settings=settings)
    new = verification.verify(second.number, second.signature, engine=engine, settings=settings)
    assert (old.status, old.superseded) == (verification.REVOKED, True)
    assert (new.status, new.superseded) == (verification.VALID, False)
    # The old signature does not open the new number.
    assert (
        verification.verify(second.number, first.signature, engine=engine, settings=settings).status
        == verification.INVALID
    )
    # The citizen got the new PDF the same way as the first.
    assert sent[-1][1] == app.reference and sent[-1][3].endswith(f"/certificate-{second.number}.pdf")
    assert len(sent) == 3
    # The new one is what the citizen is sent when they ask.
    [mine] = service.for_conversation(app.channel_user_id, app.reference, engine=engine)
    assert (mine.number, mine.revoked) == (second.number, False)


def test_reissue_is_refused_while_a_certificate_is_in_force(engine, settings, make_application, sent):
    app = make_application()
    first = issue(engine, settings, app.reference)
    with pytest.raises(service.NotIssuable, match=f"{first.number} is in force"):
        reissue(engine, settings, app.reference)
    service.revoke(first.number, "staff:9", "issued in error", engine=engine)
    second = reissue(engine, settings, app.reference)
    with pytest.raises(service.NotIssuable, match=f"{second.number} is in force"):
        reissue(engine, settings, app.reference)
    with session_scope(engine) as session:
        assert session.execute(sa.select(sa.func.count()).select_from(Certificate)).scalar_one() == 2
        assert session.execute(sa.select(CertificateCounter.last_serial)).scalar_one() == 2, "no number used up"


@pytest.mark.parametrize("status", ["approved", "under_review", "rejected"])
def test_reissue_needs_an_issued_certificate(engine, settings, make_application, sent, status):
    app = make_application(status=status)
    with pytest.raises(service.NotIssuable):
        reissue(engine, settings, app.reference)
    with session_scope(engine) as session:
        assert session.get(Application, app.id).status == status
        assert session.execute(sa.select(Certificate)).first() is None
    assert not sent


def test_reissue_needs_a_reason(engine, settings, make_application, sent):
    app = make_application()
    first = issue(engine, settings, app.reference)
    service.revoke(first.number, "staff:9", "issued in error", engine=engine)
    with pytest.raises(ValueError, match="reason"):
        reissue(engine, settings, app.reference, reason="  ")


def test_the_database_refuses_two_certificates_in_force(engine, settings, make_application, sent):
    app = make_application()
    issued = issue(engine, settings, app.reference)
    with pytest.raises(sa.exc.IntegrityError), session_scope(engine) as session:
        row = session.execute(sa.select(Certificate).where(Certificate.number == issued.number)).scalar_one()
        session.add(
            Certificate(
                **{
                    c.name: getattr(row, c.name)
                    for c in Certificate.__table__.columns
                    if c.name not in ("id", "number")
                },
                number="JBA-C-2026-000099",
            )
        )


def test_media_link_serves_the_file_only_to_its_conversation_and_only_for_minutes(
    engine, settings, make_application, sent
):
    app = make_application()
    issued = issue(engine, settings, app.reference)
    t0 = time.time()
    token = signing.make_media_token(
        issued.number, issued.sha256, app.channel_user_id, 300, now=t0, signing_key=settings.signing_key
    )
    served = media.open_media(token, engine=engine, settings=settings, now=t0 + 10)
    assert served.path.read_bytes()[:5] == b"%PDF-" and served.filename == f"certificate-{issued.number}.pdf"

    with pytest.raises(media.MediaRefused) as expired:
        media.open_media(token, engine=engine, settings=settings, now=t0 + 300)
    assert expired.value.status == 410

    stranger = signing.make_media_token(
        issued.number, issued.sha256, "wa-someone-else", 300, now=t0, signing_key=settings.signing_key
    )
    with pytest.raises(media.MediaRefused) as refused:
        media.open_media(stranger, engine=engine, settings=settings, now=t0 + 10)
    assert refused.value.status == 403

    forged = signing.make_media_token(
        issued.number, issued.sha256, app.channel_user_id, 300, now=t0, signing_key="another-key"
    )
    with pytest.raises(media.MediaRefused) as bad:
        media.open_media(forged, engine=engine, settings=settings, now=t0 + 10)
    assert bad.value.status == 403

    service.revoke(issued.number, "staff:9", "issued in error", engine=engine)
    with pytest.raises(media.MediaRefused) as gone:
        media.open_media(token, engine=engine, settings=settings, now=t0 + 10)
    assert gone.value.status == 410


def test_media_url_is_bound_to_file_and_conversation(settings):
    url = media.media_url("JBA-C-2026-000001", "ab" * 32, "wa-citizen-1", settings, now=1000)
    token = url.split("/media/")[1].split("/")[0]
    grant = signing.read_media_token(token, now=1001, signing_key=settings.signing_key)
    assert grant.expires_at == 1300
    assert grant.conversation_tag == signing.conversation_tag("wa-citizen-1", settings.signing_key)


def test_a_citizen_sees_only_their_own_certificates(engine, settings, make_application, sent):
    mine = make_application(channel_user_id="wa-me")
    pending = make_application("caste_certificate", status="under_review", channel_user_id="wa-me")
    theirs = make_application(channel_user_id="wa-them", phone="+919800000002")
    issued = issue(engine, settings, mine.reference)
    issue(engine, settings, theirs.reference)

    found = service.for_conversation("wa-me", engine=engine)
    assert {(c.application_reference, c.number) for c in found} == {
        (mine.reference, issued.number),
        (pending.reference, None),
    }
    assert service.for_conversation("wa-me", theirs.reference, engine=engine) is None
    assert service.for_conversation("wa-me", mine.reference.lower(), engine=engine)[0].number == issued.number
    assert service.for_conversation("wa-nobody", engine=engine) == []


def test_concurrent_issues_get_distinct_numbers(engine, settings, make_application, sent):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; the race is PostgreSQL's")
    apps = [make_application() for _ in range(4)]
    numbers, errors = [], []

    def run(reference):
        try:
            numbers.append(issue(engine, settings, reference).number)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(a.reference,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [f"JBA-C-2026-{i:06d}" for i in range(1, 5)]
