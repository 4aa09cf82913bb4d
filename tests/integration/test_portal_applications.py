"""Deciding applications through the portal: a real web process on PostgreSQL,
applications submitted by the applications capability's own code, certificates
issued by the certificates capability."""

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
import requests

from lokseva.applications import service as applications
from lokseva.db import create_engine_for, session_scope
from lokseva.delivery.lifecycle import s10_check_digit
from lokseva.devtools import processes
from tests.unit.portal.support import start_portal_web, submit_application

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


@pytest.fixture(scope="module")
def web(tmp_path_factory, postgres_database_factory):
    started = start_portal_web(tmp_path_factory.mktemp("portal-apps"), postgres_database_factory)
    started.engine = create_engine_for(started.settings.database_url)
    yield started
    started.engine.dispose()
    processes.stop_all(started.running)


def status_of(web, reference):
    return web.query("SELECT status FROM applications WHERE reference = :r", r=reference)[0].status


def test_queue_detail_and_approval(web):
    reference = submit_application(web.engine, phone="+919826012345", name="Ramesh Bhuriya")
    late = submit_application(
        web.engine, phone="+919826000099", name="Late Lal", now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=40)
    )
    officer = web.signed_in("officer.approve", "designated_officer")
    queue = officer.get("/portal/applications").text
    assert reference in queue and late in queue
    assert queue.index(late) < queue.index(reference), "the late one first"
    assert "9826012345" not in queue and "+91******2345" in queue
    overdue = officer.get("/portal/applications?overdue=1").text
    assert late in overdue and reference not in overdue
    assert reference in officer.get(f"/portal/applications?q={reference.lower()}").text

    page = officer.get(f"/portal/applications/{reference}").text
    assert "Ramesh Bhuriya" in page and "XXXX XXXX " in page
    aadhaar_shown = re.search(r'data-test="aadhaar">([^<]*)<', page).group(1)
    assert re.fullmatch(r"XXXX XXXX \d{4}", aadhaar_shown), "only the last four digits"
    assert "₹2,00,000" in page, "annual income in rupees, Indian grouping"
    reply = officer.post(f"/portal/applications/{reference}/approve")
    assert reply.status_code == 303
    # No Rasa in this test: the certificate is issued, the message could not go out (and says so).
    assert reply.headers["Location"].endswith("msg=approved_not_notified")
    assert status_of(web, reference) == "certificate_issued"
    number = web.query(
        "SELECT number FROM certificates c JOIN applications a ON a.id = c.application_id WHERE a.reference = :r",
        r=reference,
    )[0].number
    page = officer.get(reply.headers["Location"]).text
    assert number in page and "स्वीकृत और प्रमाण पत्र जारी" in page
    assert list((Path(web.settings.certificates_dir)).rglob(f"{number}.pdf"))
    history = web.query(
        "SELECT to_status, changed_by FROM application_status_history h JOIN applications a "
        "ON a.id = h.application_id WHERE a.reference = :r ORDER BY h.id",
        r=reference,
    )
    officer_id = web.query("SELECT id FROM staff_users WHERE username = 'officer.approve'")[0].id
    assert [(h.to_status, h.changed_by) for h in history][-3:] == [
        ("under_review", f"staff:{officer_id}"),
        ("approved", f"staff:{officer_id}"),
        ("certificate_issued", f"staff:{officer_id}"),
    ]
    actions = [
        r.action for r in web.query("SELECT action FROM staff_audit_log WHERE username = 'officer.approve' ORDER BY id")
    ]
    assert actions[-3:] == ["application_approve", "certificate_issued", "application_viewed"]


def test_a_birth_certificate_waits_for_the_childs_name(web):
    """Issue #15: the parent skipped the child's name. Approve asks the parent (outbox) instead
    of approving; the officer writes the name in; then approval issues the certificate with it."""
    reference = submit_application(
        web.engine, phone="+919826000071", service="birth_certificate", status="under_review"
    )
    web.query(
        "UPDATE applications SET details = jsonb_set(details::jsonb, '{subject_name}', '\"\"')::json "
        "WHERE reference = :r",
        r=reference,
    )
    officer = web.signed_in("officer.births", "designated_officer")
    page = officer.get(f"/portal/applications/{reference}").text
    assert 'data-test="child-name"' in page and "बच्चे का नाम अभी दर्ज नहीं है" in page
    reply = officer.post(f"/portal/applications/{reference}/approve")
    assert reply.headers["Location"].endswith("msg=child_name_asked_not_notified"), "asked; no Rasa in this test"
    assert status_of(web, reference) == "more_info_needed"
    [asked] = web.query("SELECT variables FROM notifications WHERE subject = :s", s=f"application:{reference}")
    assert "मुझे अधिकारी से बात करनी है" in str(asked.variables)
    assert officer.post(f"/portal/applications/{reference}/issue").status_code == 400, "no certificate without it"
    officer.get(f"/portal/applications/{reference}")
    bad = officer.post(f"/portal/applications/{reference}/child_name", {"child_name": "1234"})
    assert bad.status_code == 400 and "केवल अक्षर" in bad.text
    written = officer.post(f"/portal/applications/{reference}/child_name", {"child_name": "Krishna Bhuriya"})
    assert written.headers["Location"].endswith("msg=child_name_entered")
    officer.get(f"/portal/applications/{reference}")
    officer.post(f"/portal/applications/{reference}/approve")
    assert status_of(web, reference) == "certificate_issued"
    [issued] = web.query(
        "SELECT subject_name FROM certificates c JOIN applications a ON a.id = c.application_id WHERE a.reference = :r",
        r=reference,
    )
    assert issued.subject_name == "Krishna Bhuriya"
    actions = [
        r.action for r in web.query("SELECT action FROM staff_audit_log WHERE username = 'officer.births' ORDER BY id")
    ]
    assert "application_child_name_asked" in actions and "application_child_name_entered" in actions


def test_reject_and_documents(web):
    rejected = submit_application(web.engine, phone="+919826011111")
    asked = submit_application(web.engine, phone="+919826022222")
    officer = web.signed_in("officer.reject", "designated_officer")
    officer.get(f"/portal/applications/{rejected}")
    short = officer.post(f"/portal/applications/{rejected}/reject", {"reason": "no"})
    assert short.status_code == 400 and "कम से कम 10" in short.text
    assert status_of(web, rejected) == "paid"
    reply = officer.post(f"/portal/applications/{rejected}/reject", {"reason": "आय का प्रमाण पत्र साथ में नहीं है"})
    assert reply.headers["Location"].endswith("msg=rejected_not_notified")
    assert status_of(web, rejected) == "rejected"
    officer.get(f"/portal/applications/{asked}")
    reply = officer.post(
        f"/portal/applications/{asked}/documents",
        {"document": ["फोटो", "निवास का प्रमाण"], "other": "राशन कार्ड", "note": ""},
    )
    assert reply.status_code == 303 and status_of(web, asked) == "more_info_needed"
    reason = web.query(
        "SELECT reason FROM application_status_history h JOIN applications a ON a.id = h.application_id "
        "WHERE a.reference = :r ORDER BY h.id DESC LIMIT 1",
        r=asked,
    )[0].reason
    assert reason == "फोटो; निवास का प्रमाण; राशन कार्ड"
    officer.get(f"/portal/applications/{asked}")
    assert officer.post(f"/portal/applications/{asked}/review").status_code == 303
    assert status_of(web, asked) == "under_review"


def test_roles_and_tehsils(web):
    reference = submit_application(web.engine, phone="+919826033333", tehsil="Jhabua")
    operator = web.signed_in("operator.look", "operator")
    assert operator.get(f"/portal/applications/{reference}").status_code == 200, "operators may look"
    assert operator.post(f"/portal/applications/{reference}/approve").status_code == 403
    trainer = web.signed_in("trainer.look", "trainer")
    assert trainer.get(f"/portal/applications/{reference}").status_code == 403, "trainers never see applicants"
    from tests.unit.portal.support import make_staff

    make_staff(web.settings.database_url, "officer.petlawad", "designated_officer", tehsil="Petlawad")
    petlawad = web.client()
    petlawad.login("officer.petlawad", "a-Long-pass-1234")
    assert reference not in petlawad.get("/portal/applications").text, "their own tehsil first"
    assert reference in petlawad.get("/portal/applications?tehsil=all").text
    page = petlawad.get(f"/portal/applications/{reference}").text
    assert "/approve" not in page, "no decision buttons for another tehsil"
    assert petlawad.post(f"/portal/applications/{reference}/approve").status_code == 403
    assert status_of(web, reference) == "paid"


def test_uploaded_document_is_served_to_staff_only(web):
    reference = submit_application(web.engine, phone="+919826044444")
    content = b"%PDF-1.4\n% a scanned income proof\n"
    relative = Path("wa-test") / "SM1-0.pdf"
    target = Path(web.settings.uploads_dir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    with session_scope(web.engine) as s:
        application = applications.find_by_reference(s, reference)
        document_id = applications.add_document(
            s,
            application,
            filename="income proof.pdf",
            content_type="application/pdf",
            size_bytes=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            storage_key=str(relative),
            kind="income_proof",
        ).id
    url = f"/portal/applications/{reference}/documents/{document_id}"
    assert requests.get(web.url + url, allow_redirects=False, timeout=30).status_code == 303
    officer = web.signed_in("officer.docs", "designated_officer")
    assert url in officer.get(f"/portal/applications/{reference}").text
    reply = officer.get(url)
    assert reply.status_code == 200 and reply.content == content
    assert reply.headers["Content-Type"].startswith("application/pdf")
    assert "sandbox" in reply.headers["Content-Security-Policy"]
    assert officer.get(f"/portal/applications/{reference}/documents/999999").status_code == 404
    assert web.query("SELECT count(*) FROM staff_audit_log WHERE action = 'document_viewed'")[0][0] == 1


def test_delivery_board_and_revocation(web):
    reference = submit_application(web.engine, phone="+919826055555")
    officer = web.signed_in("officer.deliver", "designated_officer")
    officer.get(f"/portal/applications/{reference}")
    officer.post(f"/portal/applications/{reference}/approve")
    ids = web.query(
        "SELECT a.id AS app, c.id AS cert, c.number FROM applications a JOIN certificates c "
        "ON c.application_id = a.id WHERE a.reference = :r",
        r=reference,
    )[0]
    web.query(
        "INSERT INTO deliveries (certificate_id, application_id, status, village, tehsil, pin, landmark, "
        "address_source, fee_paise, requested_by, created_at, updated_at) VALUES "
        "(:c, :a, 'requested', 'Pitol', 'Jhabua', '457661', '', 'application', 2000, 'citizen', now(), now())",
        c=ids.cert,
        a=ids.app,
    )
    delivery_id = web.query("SELECT id FROM deliveries WHERE application_id = :a", a=ids.app)[0].id
    operator = web.signed_in("operator.post", "operator")
    board = operator.get("/portal/deliveries").text
    assert f"delivery-{delivery_id}" in board and "Pitol, Jhabua, 457661" in board
    assert operator.post(f"/portal/deliveries/{delivery_id}/status", {"status": "printed"}).status_code == 303
    bad = operator.post(
        f"/portal/deliveries/{delivery_id}/status", {"status": "dispatched", "tracking_number": "EE1IN"}
    )
    assert bad.status_code == 400 and "ट्रैकिंग नंबर सही नहीं" in bad.text
    good = f"EE12345678{s10_check_digit('12345678')}IN"
    operator.get("/portal/deliveries")
    assert (
        operator.post(
            f"/portal/deliveries/{delivery_id}/status", {"status": "dispatched", "tracking_number": good}
        ).status_code
        == 303
    )
    operator.get("/portal/deliveries")
    assert operator.post(f"/portal/deliveries/{delivery_id}/status", {"status": "delivered"}).status_code == 303
    assert status_of(web, reference) == "delivered"
    assert web.query("SELECT tracking_number FROM deliveries WHERE id = :d", d=delivery_id)[0].tracking_number == good
    # The officer withdraws the certificate; the public verification page says so.
    officer.get(f"/portal/applications/{reference}")
    reply = officer.post(f"/portal/certificates/{ids.number}/revoke", {"reason": "issued in error"})
    assert reply.status_code == 303
    revoked = web.query("SELECT revoked_by, revocation_reason FROM certificates WHERE id = :c", c=ids.cert)[0]
    assert revoked.revocation_reason == "issued in error" and revoked.revoked_by.startswith("staff:")


def test_reissue_after_revocation(web):
    reference = submit_application(web.engine, phone="+919826066666", name="Ramesh Bhuria")
    officer = web.signed_in("officer.reissue", "designated_officer")
    officer.get(f"/portal/applications/{reference}")
    officer.post(f"/portal/applications/{reference}/approve")
    old = web.query(
        "SELECT c.number, c.signature FROM certificates c JOIN applications a ON a.id = c.application_id "
        "WHERE a.reference = :r",
        r=reference,
    )[0]
    assert 'data-test="reissue"' not in officer.get(f"/portal/applications/{reference}").text, "still in force"
    officer.post(f"/portal/certificates/{old.number}/revoke", {"reason": "name misspelt"})
    page = officer.get(f"/portal/applications/{reference}").text
    assert 'data-test="reissue"' in page and f"/portal/applications/{reference}/reissue" in page

    reason = {"reason": "applicant name spelling corrected"}
    assert officer.post(f"/portal/applications/{reference}/reissue", reason, csrf="forged").status_code == 403
    operator = web.signed_in("operator.reissue", "operator")
    operator.get(f"/portal/applications/{reference}")
    assert operator.post(f"/portal/applications/{reference}/reissue", reason).status_code == 403
    officer.get(f"/portal/applications/{reference}")
    short = officer.post(f"/portal/applications/{reference}/reissue", {"reason": "typo"})
    assert short.status_code == 400 and "कम से कम 10 अक्षर" in short.text
    assert (
        len(
            web.query(
                "SELECT c.id FROM certificates c JOIN applications a ON a.id = c.application_id WHERE a.reference = :r",
                r=reference,
            )
        )
        == 1
    ), "nothing issued by refused posts"

    reply = officer.post(f"/portal/applications/{reference}/reissue", reason)
    assert reply.status_code == 303
    # No Rasa here: the new certificate is issued, the WhatsApp message could not go out (and says so).
    assert reply.headers["Location"].endswith("msg=reissued_not_notified")
    certificates = web.query(
        "SELECT c.number, c.signature, c.revoked_at FROM certificates c JOIN applications a "
        "ON a.id = c.application_id WHERE a.reference = :r ORDER BY c.id",
        r=reference,
    )
    assert [c.number for c in certificates][0] == old.number and len(certificates) == 2
    new = certificates[1]
    assert new.number != old.number and certificates[0].revoked_at is not None and new.revoked_at is None
    assert list(Path(web.settings.certificates_dir).rglob(f"{new.number}.pdf"))
    assert status_of(web, reference) == "certificate_issued"
    officer_id = web.query("SELECT id FROM staff_users WHERE username = 'officer.reissue'")[0].id
    last = web.query(
        "SELECT from_status, to_status, changed_by, reason FROM application_status_history h "
        "JOIN applications a ON a.id = h.application_id WHERE a.reference = :r ORDER BY h.id DESC LIMIT 1",
        r=reference,
    )[0]
    assert (last.from_status, last.to_status, last.changed_by) == (
        "certificate_issued",
        "certificate_issued",
        f"staff:{officer_id}",
    )
    assert old.number in last.reason and new.number in last.reason and "spelling corrected" in last.reason
    audit = web.query("SELECT action, target_id FROM staff_audit_log WHERE username = 'officer.reissue' ORDER BY id")
    assert [(a.action, a.target_id) for a in audit][-2:] == [
        ("application_reissue", reference),
        ("certificate_reissued", new.number),
    ]
    page = officer.get(reply.headers["Location"]).text
    assert new.number in page and 'data-test="reissue"' not in page

    public = web.client()
    stale = public.get(f"/verify/{old.number}?s={old.signature}")
    assert stale.status_code == 200 and 'data-status="revoked"' in stale.text
    assert "नया प्रमाण पत्र जारी किया गया है" in stale.text and "A newer certificate has been issued" in stale.text
    assert stale.text.index("नया प्रमाण पत्र") < stale.text.index("A newer certificate"), "Hindi first"
    assert new.number not in stale.text and "9826066666" not in stale.text
    as_json = public.get(f"/verify/{old.number}?s={old.signature}", headers={"Accept": "application/json"}).json()
    assert (as_json["status"], as_json["superseded"]) == ("revoked", True)
    fresh = public.get(f"/verify/{new.number}?s={new.signature}")
    assert 'data-status="valid"' in fresh.text and "नया प्रमाण पत्र जारी" not in fresh.text


def test_analytics_with_applications(web):
    admin = web.signed_in("admin.analytics", "admin")
    page = admin.get("/portal/analytics").text
    assert "समय-सीमा में निर्णय" in page and "आय प्रमाण पत्र" in page
    assert page.count("<svg") >= 5


def test_a_message_that_could_not_go_is_shown_to_staff_who_may_send_it_again(web):
    from lokseva.notifications import outbox

    reference = submit_application(web.engine, phone="+919826033333")
    officer = web.signed_in("officer.messages", "designated_officer")
    officer.get(f"/portal/applications/{reference}")
    reply = officer.post(f"/portal/applications/{reference}/reject", {"reason": "आय का प्रमाण पत्र साथ में नहीं है"})
    assert reply.headers["Location"].endswith("msg=rejected_not_notified")
    # No Rasa here: the message is owed, written with the decision, and waits for its next try.
    [owed] = web.query(
        "SELECT id, status, attempts FROM notifications WHERE subject = :s", s=outbox.application_subject(reference)
    )
    assert owed.status == "pending" and owed.attempts == 1
    page = officer.get(f"/portal/applications/{reference}").text
    assert 'id="notifications"' in page and "भेजना बाकी" in page and 'data-test="send-again"' not in page
    outbox.mark_failed(web.engine, owed.id, "gave up after 30 attempts: Rasa unreachable")
    page = officer.get(f"/portal/applications/{reference}").text
    assert "नहीं जा सका" in page and "gave up after 30 attempts" in page and 'data-test="send-again"' in page
    again = officer.post(f"/portal/applications/{reference}/notifications/{owed.id}/again")
    assert again.status_code == 303 and again.headers["Location"].endswith("msg=notification_queued")
    [queued] = web.query("SELECT status, attempts FROM notifications WHERE id = :i", i=owed.id)
    assert (queued.status, queued.attempts) == ("pending", 0)
    assert officer.post(f"/portal/applications/{reference}/notifications/{owed.id}/again").status_code == 404, (
        "only a failed one"
    )
