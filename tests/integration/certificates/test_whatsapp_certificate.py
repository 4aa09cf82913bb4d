"""On WhatsApp, through the real Rasa server, the WhatsApp channel and the fake
Twilio API: the certificate goes out as a PDF when it is issued, and again when
the citizen asks for it; WhatsApp's fetch of the link gets the stored file."""

from __future__ import annotations

import hashlib

import pytest
import requests

from lokseva.channels.proactive import deliver_now
from lokseva.db import create_engine_for
from tests.integration.certificates.conftest import approved_application
from tests.integration.whatsapp_support import Phone

pytestmark = pytest.mark.integration


def test_issued_certificate_arrives_as_a_pdf_and_again_on_request(assistant):
    from lokseva.certificates.service import issue_certificate

    phone = Phone(assistant)
    phone.chat("नमस्ते")  # inside WhatsApp's 24-hour window
    engine = create_engine_for(assistant.settings.database_url)
    try:
        reference = approved_application(
            "caste_certificate", phone.conversation_id(), engine=engine, whatsapp_number=phone.number
        )["reference"]
        issued = issue_certificate(reference, "staff:1", engine=engine, settings=assistant.settings)
    finally:
        engine.dispose()
    # Written with the issue; sent at once, as the portal does after its commit.
    assert issued.notification_id is not None
    assert deliver_now(issued.citizen_id, issued.notification_id, assistant.settings)

    text, document = phone.wait_for(3)[1:3]
    assert text["body"].startswith("🎉 जाति प्रमाण पत्र तैयार है।") and reference in text["body"]
    [url] = document["media_urls"]
    assert url.startswith(assistant.settings.public_url + "/media/")
    fetched = requests.get(url, timeout=30)  # what Twilio does with the link
    assert fetched.status_code == 200 and hashlib.sha256(fetched.content).hexdigest() == issued.sha256

    before = len(phone.received())
    phone.send("मेरा प्रमाण पत्र भेज दो")
    reply, pdf = phone.wait_for(before + 2)[before : before + 2]
    assert issued.number in reply["body"]
    [again] = pdf["media_urls"]
    assert pdf["body"] == f"जाति प्रमाण पत्र · {issued.number}"  # the caption
    assert hashlib.sha256(requests.get(again, timeout=30).content).hexdigest() == issued.sha256
