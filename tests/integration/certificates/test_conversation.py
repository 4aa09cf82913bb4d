"""Certificates and home delivery through the real Rasa server (trained model),
action server, web app and sandbox gateway: typed text in, a WhatsApp document
and the address form out."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid

import pytest
import requests
import sqlalchemy as sa

from lokseva.certificates.samples import SAMPLE_APPLICATIONS
from lokseva.db import create_engine_for, session_scope

pytestmark = pytest.mark.integration


def _approved_application(assistant, sender: str) -> str:
    from lokseva.applications import service as repo
    from lokseva.applications.lifecycle import Status
    from lokseva.applications.models import Application

    engine = create_engine_for(assistant.settings.database_url)
    reference = f"JBA-2026-{700000 + uuid.uuid4().int % 99999:06d}"
    with session_scope(engine) as session:
        citizen = repo.get_or_create_citizen(session, sender, language="hi")
        application = Application(
            citizen=citizen, reference=reference, district_code="JBA", service_id="income_certificate", status=None,
            language="hi", statutory_fee_paise=0, processing_fee_paise=2000, fee_due_paise=2000,
            submitted_at=dt.datetime.now(dt.timezone.utc), **SAMPLE_APPLICATIONS["income_certificate"],
        )
        session.add(application)
        for status in (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED):
            repo.change_status(session, application, status, by="test")
    engine.dispose()
    return reference


def test_get_the_certificate_then_ask_for_it_at_home(assistant):
    from lokseva.certificates.service import issue_certificate

    sender = f"test-{uuid.uuid4().hex[:8]}"
    reference = _approved_application(assistant, sender)
    engine = create_engine_for(assistant.settings.database_url)
    issued = issue_certificate(reference, "staff:1", engine=engine, settings=assistant.settings, notify=False)

    messages = assistant.say("मेरा प्रमाण पत्र भेज दो", sender=sender)
    assert issued.number in messages[0]["text"]
    [document] = [m["custom"]["document"] for m in messages if "custom" in m]
    pdf = requests.get(document["url"], timeout=30)
    assert pdf.status_code == 200 and hashlib.sha256(pdf.content).hexdigest() == issued.sha256

    messages = assistant.say("ghar pe bhej do", sender=sender)
    assert "इस पते पर" in messages[0]["text"] and "457661" in messages[0]["text"]
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny"]

    messages = assistant.say("/affirm", sender=sender)
    assert "स्पीड पोस्ट" in messages[0]["text"] and "₹20" in messages[0]["text"]
    assert re.search(r"https?://\S+/i/\S+", messages[0]["text"])
    engine.dispose()


def test_stopping_the_address_form_registers_nothing(assistant):
    from lokseva.certificates.service import issue_certificate

    sender = f"test-{uuid.uuid4().hex[:8]}"
    reference = _approved_application(assistant, sender)
    engine = create_engine_for(assistant.settings.database_url)
    issue_certificate(reference, "staff:1", engine=engine, settings=assistant.settings, notify=False)

    assistant.say("ghar pe bhej do", sender=sender)
    messages = assistant.say("/deny", sender=sender)
    assert "गाँव" in messages[-1]["text"]
    messages = assistant.say("रहने दो", sender=sender)
    assert "नहीं भेजा जाएगा" in messages[0]["text"]
    with engine.connect() as connection:
        count = connection.execute(sa.text(
            "SELECT count(*) FROM deliveries d JOIN applications a ON a.id = d.application_id WHERE a.reference = :r"
        ), {"r": reference}).scalar()
    assert count == 0
    engine.dispose()
