"""The deliveries board and the application figures, on real records."""

import datetime as dt

import pytest
import sqlalchemy as sa

from lokseva.applications import service as applications
from lokseva.applications.lifecycle import Status
from lokseva.applications.models import Application
from lokseva.db import session_scope
from lokseva.delivery.lifecycle import s10_check_digit
from lokseva.delivery.models import Delivery, DeliveryStatusHistory
from lokseva.portal import analytics, decisions, deliveries
from lokseva.portal.service import PortalError, Staff, create_user
from lokseva.settings import load_settings
from tests.unit.portal.support import submit_application


def tracking(serial="12345678"):
    return f"EE{serial}{s10_check_digit(serial)}IN"


@pytest.fixture
def operator(engine):
    with session_scope(engine) as s:
        return Staff.of(create_user(s, "operator1", "a-Long-pass-1234", "operator"))


@pytest.fixture
def issued(engine, tmp_path, database_url, operator):
    """An application with its certificate issued and a paid home delivery requested."""
    from lokseva.certificates.service import issue_certificate

    reference = submit_application(engine, phone="+919826012345")
    with session_scope(engine) as s:
        officer = Staff.of(create_user(s, "officer1", "a-Long-pass-1234", "designated_officer"))
    with session_scope(engine) as s:
        application_id = decisions.approve(s, reference, officer).id
    settings = load_settings(
        {"DATABASE_URL": database_url, "CERTIFICATES_DIR": str(tmp_path / "c"), "LOKSEVA_ENV": "test"}
    )
    certificate = issue_certificate(application_id, by="staff:1", engine=engine, settings=settings, notify=False)
    with session_scope(engine) as s:
        from lokseva.certificates.models import Certificate

        cert_id = s.execute(sa.select(Certificate.id).where(Certificate.number == certificate.number)).scalar_one()
        delivery = Delivery(
            certificate_id=cert_id,
            application_id=application_id,
            status="requested",
            village="Pitol",
            tehsil="Jhabua",
            pin="457661",
            landmark="near the school",
            address_source="application",
            fee_paise=2000,
            requested_by="citizen",
        )
        s.add(delivery)
        s.flush()
        return {"reference": reference, "delivery": delivery.id, "number": certificate.number}


def test_the_board_walks_a_letter_to_the_door(engine, issued, operator):
    with session_scope(engine) as s:
        cards = deliveries.board(s)
        assert [c.id for c in cards] == [issued["delivery"]]
        card = cards[0]
        assert card.address == "Pitol, near the school, Jhabua, 457661" and card.phone == "+91******2345"
        assert card.moves == ("printed",)
    with session_scope(engine) as s:
        notice = deliveries.move(s, issued["delivery"], "printed", operator)
    assert "छप गया" in notice.text and issued["number"] in notice.text
    with session_scope(engine) as s, pytest.raises(PortalError) as no_tracking:
        deliveries.move(s, issued["delivery"], "dispatched", operator, tracking_number="")
    assert no_tracking.value.code == "tracking_number"
    with session_scope(engine) as s, pytest.raises(PortalError) as bad:
        deliveries.move(s, issued["delivery"], "dispatched", operator, tracking_number="EE123456780IN")
    assert bad.value.code == "tracking_number", "the S10 check digit is checked"
    with session_scope(engine) as s, pytest.raises(PortalError) as skip:
        deliveries.move(s, issued["delivery"], "delivered", operator)
    assert skip.value.code == "wrong_status"
    with session_scope(engine) as s:
        notice = deliveries.move(s, issued["delivery"], "dispatched", operator, tracking_number=tracking().lower())
    assert tracking() in notice.text
    with session_scope(engine) as s:
        deliveries.move(s, issued["delivery"], "returned", operator)
    with session_scope(engine) as s:
        deliveries.move(s, issued["delivery"], "dispatched", operator, tracking_number=tracking("87654321"))
    with session_scope(engine) as s:
        deliveries.move(s, issued["delivery"], "delivered", operator)
    with session_scope(engine) as s:
        delivery = s.get(Delivery, issued["delivery"])
        assert delivery.status == "delivered" and delivery.tracking_number == tracking("87654321")
        steps = [
            (h.from_status, h.to_status, h.changed_by)
            for h in s.execute(sa.select(DeliveryStatusHistory).order_by(DeliveryStatusHistory.id)).scalars()
        ]
        assert [to for _, to, _ in steps] == ["printed", "dispatched", "returned", "dispatched", "delivered"]
        assert {by for _, _, by in steps} == {f"staff:{operator.id}"}
        application = s.execute(sa.select(Application).where(Application.reference == issued["reference"])).scalar_one()
        assert application.status == "delivered", "the application is delivered with its letter"
        assert deliveries.board(s) == [] and len(deliveries.board(s, "delivered")) == 1


def test_application_figures(engine, issued):
    now = dt.datetime.now(dt.timezone.utc)
    submit_application(engine, phone="+919000000001", now=now - dt.timedelta(days=20))  # late, still open
    late = submit_application(engine, phone="+919000000002", now=now - dt.timedelta(days=25))
    with session_scope(engine) as s:
        application = applications.find_by_reference(s, late)
        applications.change_status(s, application, Status.UNDER_REVIEW, by="staff:1", at=now)
        applications.change_status(s, application, Status.REJECTED, by="staff:1", reason="late decision", at=now)
    from lokseva.payments.models import Payment

    with session_scope(engine) as s:
        application = applications.find_by_reference(s, issued["reference"])
        s.add(
            Payment(
                application_id=application.id,
                reference=f"{issued['reference']}-P01",
                attempt=1,
                amount_paise=2000,
                status="paid",
                gateway="sandbox",
                fee_lines=[],
                expires_at=now + dt.timedelta(hours=1),
                paid_at=now - dt.timedelta(days=1),
                method="upi",
            )
        )
        s.add(
            Payment(
                application_id=application.id,
                reference=f"{issued['reference']}-P00",
                attempt=2,
                amount_paise=5000,
                status="expired",
                gateway="sandbox",
                fee_lines=[],
                expires_at=now - dt.timedelta(hours=1),
            )
        )
    with session_scope(engine) as s:
        stats = analytics.application_stats(s, days=30)
    assert dict(stats.by_service) == {"income_certificate": 3}
    assert dict(stats.by_status) == {"paid": 1, "certificate_issued": 1, "rejected": 1}
    assert stats.table["income_certificate"] == {"paid": 1, "rejected": 1, "certificate_issued": 1}
    assert (stats.decided, stats.decided_in_time) == (2, 1)
    assert stats.share_in_time == 0.5
    assert stats.overdue_open == 1
    assert (stats.paid_count, stats.paid_total_paise) == (1, 2000), "only what was paid"
    assert stats.paid_by_service == [("income_certificate", 2000)]
