"""On WhatsApp, through the real Rasa server, the WhatsApp channel and the fake
Twilio API: the certificate goes out as a PDF when it is issued, and again when
the citizen asks for it; WhatsApp's fetch of the link gets the stored file."""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import pytest
import requests

from lokseva.certificates.samples import SAMPLE_APPLICATIONS
from lokseva.db import create_engine_for, session_scope
from tests.integration.whatsapp_support import Phone

pytestmark = pytest.mark.integration


def approved_application(assistant, phone: Phone, engine) -> str:
    from lokseva.applications import service as repo
    from lokseva.applications.lifecycle import Status
    from lokseva.applications.models import Application

    reference = f"JBA-2026-{600000 + uuid.uuid4().int % 99999:06d}"
    with session_scope(engine) as session:
        citizen = repo.get_or_create_citizen(session, phone.conversation_id(), whatsapp_number=phone.number)
        application = Application(
            citizen=citizen, reference=reference, district_code="JBA", service_id="caste_certificate", status=None,
            language="hi", statutory_fee_paise=0, processing_fee_paise=2000, fee_due_paise=2000,
            submitted_at=dt.datetime.now(dt.timezone.utc), **SAMPLE_APPLICATIONS["caste_certificate"],
        )
        session.add(application)
        for status in (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED):
            repo.change_status(session, application, status, by="test")
    return reference


def test_issued_certificate_arrives_as_a_pdf_and_again_on_request(assistant):
    from lokseva.certificates.service import issue_certificate

    phone = Phone(assistant)
    phone.chat("नमस्ते")  # inside WhatsApp's 24-hour window
    engine = create_engine_for(assistant.settings.database_url)
    try:
        reference = approved_application(assistant, phone, engine)
        issued = issue_certificate(reference, "staff:1", engine=engine, settings=assistant.settings)
    finally:
        engine.dispose()
    assert issued.notified

    text, document = phone.wait_for(3)[1:3]
    assert text["body"].startswith("🎉 आपका जाति प्रमाण पत्र बन गया है।") and reference in text["body"]
    [url] = document["media_urls"]
    assert url.startswith(assistant.settings.public_url + "/media/")
    fetched = requests.get(url, timeout=30)  # what Twilio does with the link
    assert fetched.status_code == 200 and hashlib.sha256(fetched.content).hexdigest() == issued.sha256

    before = len(phone.received())
    phone.send("मेरा प्रमाण पत्र भेज दो")
    reply, pdf = phone.wait_for(before + 2)[before:before + 2]
    assert issued.number in reply["body"]
    [again] = pdf["media_urls"]
    assert pdf["body"] == f"जाति प्रमाण पत्र · {issued.number}"  # the caption
    assert hashlib.sha256(requests.get(again, timeout=30).content).hexdigest() == issued.sha256
