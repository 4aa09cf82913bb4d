"""Certificates and home delivery through the real Rasa server (trained model),
action server, web app and sandbox gateway: typed text in, a WhatsApp document
and the address form out."""

from __future__ import annotations

import hashlib
import re
import uuid

import pytest
import requests
import sqlalchemy as sa

from lokseva.db import create_engine_for
from tests.integration.certificates.conftest import approved_application

pytestmark = pytest.mark.integration


def _approved_application(assistant, sender: str) -> str:
    engine = create_engine_for(assistant.settings.database_url)
    try:
        return approved_application(channel_user_id=sender, engine=engine, whatsapp_number=None)["reference"]
    finally:
        engine.dispose()


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
        count = connection.execute(
            sa.text(
                "SELECT count(*) FROM deliveries d JOIN applications a ON a.id = d.application_id WHERE a.reference = :r"
            ),
            {"r": reference},
        ).scalar()
    assert count == 0
    engine.dispose()
