"""Issue #16 end to end, with the whole assistant (the `assistant` fixture: real
Rasa, action server, web app and the local fake Twilio, on PostgreSQL) and the
clock moved by the test: the deadline watcher runs at the guaranteed date, then
the application is late today.

An application is left undecided past its date -> the citizen's message is in the
outbox, the officer sees it due (the day before) and late (today), with the
Act's penalty; the citizen appeals on WhatsApp in two messages and gets the
receipt; the first appeal officer decides in Chromium; the citizen hears the
decision on WhatsApp; the penalty is ₹250 a day late, at most ₹5,000.
"""

import datetime as dt
import random
import re

import pytest
import sqlalchemy as sa

from lokseva.appeals import officework, scheduled
from lokseva.appeals.models import Appeal
from lokseva.appeals.rules import penalty_paise
from lokseva.channels.service import ChannelStore
from lokseva.clock import today_in_india
from lokseva.db import create_engine_for, session_scope
from lokseva.money import format_rupees
from lokseva.notifications.models import Notification
from tests.integration.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.integration.test_portal_browser import VIEWPORTS, shot, sign_in
from tests.integration.test_portal_end_to_end import Citizen
from tests.unit.portal.support import PortalClient, make_staff, submit_application

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

APPEAL_NUMBER = re.compile(r"JBA-A-\d{4}-\d{6}")


def body(message) -> str:
    return message.get("body") or ""


def test_a_late_application_is_appealed_decided_and_the_penalty_follows(assistant):
    sync_api = pytest.importorskip("playwright.sync_api")
    settings = assistant.settings
    web_url = f"http://{settings.host}:{settings.web_port}"
    phone = f"+9198123{random.randint(10_000, 99_999)}"
    engine = create_engine_for(settings.database_url)
    conversation = ChannelStore(engine, settings.signing_key).ensure_contact(phone)
    reference = submit_application(
        engine,
        phone=phone,
        channel_user_id=conversation,
        status="under_review",
        now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=40),
        name="Sita Bai",
    )
    with session_scope(engine) as s:
        due = s.execute(
            sa.text("SELECT due_date FROM applications WHERE reference = :r"), {"r": reference}
        ).scalar_one()
        # The day before: the officer sees it due tomorrow.
        assert reference in [
            r.reference for r in officework.falling_due(s, "JBA", due - dt.timedelta(days=1)) if r.days_left == 1
        ]
    # The clock at the guaranteed date, 09:30 in India: the watcher tells the citizen.
    scheduled.remind_due_today(engine, now=dt.datetime.combine(due, dt.time(4, 0), tzinfo=dt.timezone.utc))
    with session_scope(engine) as s:
        assert (
            s.execute(
                sa.select(sa.func.count(Notification.id)).where(
                    Notification.dedupe_key == f"due_date_reached:{reference}:{due.isoformat()}"
                )
            ).scalar_one()
            == 1
        )

    # Today it is late, and the officer sees it with the Act's penalty.
    days = (today_in_india() - due).days
    penalty = penalty_paise(days)
    assert days > 0 and penalty == min(days * 250_00, 5_000_00)
    make_staff(settings.database_url, "do.appeal.e2e", "designated_officer", district_code="JBA")
    officer = PortalClient(web_url)
    assert officer.login("do.appeal.e2e", "a-Long-pass-1234").status_code == 303
    late_page = officer.get("/portal/time-limits").text
    assert reference in late_page and format_rupees(penalty) in late_page

    # The citizen appeals on WhatsApp: two messages.
    citizen = Citizen(assistant, phone)
    citizen.write("अपील करनी है")
    question = citizen.wait_for(lambda m: reference in body(m) and "अपील" in body(m))
    citizen.write("हाँ")
    receipt = citizen.wait_for(lambda m: "अपील की पावती" in body(m) and m["seq"] > question["seq"])
    number = APPEAL_NUMBER.search(body(receipt)).group(0)
    assert format_rupees(penalty) in body(receipt), body(receipt)

    # The first appeal officer decides in the portal, in Chromium.
    make_staff(settings.database_url, "sdm.appeal.e2e", "first_appeal_officer", district_code="JBA")
    reason = "पदाभिहित अधिकारी ने देरी का कोई कारण नहीं बताया, प्रमाण पत्र पहले ही जारी करने का आदेश"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=VIEWPORTS["phone"]).new_page()

        class Web:
            url = web_url

        sign_in(page, Web, "sdm.appeal.e2e", "a-Long-pass-1234")
        page.goto(f"{web_url}/portal/appeals")
        shot(page, "appeals-queue-phone")
        page.click(f"text={number}")
        page.wait_for_url(f"**/portal/appeals/{number}")
        assert page.inner_text("[data-test=penalty-due]") == format_rupees(penalty)
        assert page.inner_text("[data-test=days-late]") == str(days)
        assert reference in page.inner_text("body")
        shot(page, "appeal-phone")
        page.check("[data-test=outcome-dismissed]")
        page.fill("[data-test=decision-reason]", reason)
        page.fill("[data-test=penalty]", str(penalty // 100))
        page.click("[data-test=decide-appeal]")
        page.wait_for_url(f"**/portal/appeals/{number}?msg=*")
        assert page.url.endswith("msg=appeal_dismissed")
        assert page.inner_text("[data-test=penalty-imposed]") == format_rupees(penalty)
        shot(page, "appeal-decided-phone")
        browser.close()

    decision = citizen.wait_for(lambda m: number in body(m) and m["seq"] > receipt["seq"])
    assert "पदाभिहित अधिकारी ने देरी का कोई कारण नहीं बताया" in body(decision), body(decision)
    with session_scope(engine) as s:
        appeal = s.execute(sa.select(Appeal).where(Appeal.reference == number)).scalar_one()
        assert (appeal.status, appeal.penalty_imposed_paise) == ("dismissed", penalty)
    engine.dispose()
