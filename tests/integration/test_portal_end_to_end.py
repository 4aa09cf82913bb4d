"""The portal with the whole assistant running (the `assistant` fixture: real
Rasa, action server, web app and the local fake Twilio, on PostgreSQL):

- a citizen asks on WhatsApp to talk to a person; the reply promises a call, the
  request waits in the portal with the masked number, the operator reveals it;
- an officer approves the citizen's application in Chromium; the certificate
  reaches the citizen on WhatsApp (the fake Twilio's log);
- an officer rejects another; the citizen gets the reason and the appeal rights;
- the conversation is in the portal, masked.
"""

import time

import pytest
import requests
from twilio.request_validator import RequestValidator

from lokseva.channels.service import ChannelStore
from lokseva.db import create_engine_for, session_scope
from lokseva.portal import callbacks
from tests.integration.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.integration.test_portal_browser import VIEWPORTS, shot, sign_in
from tests.unit.portal.support import PortalClient, make_staff, submit_application

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

PHONE = "+919812300001"
WEBHOOK = "/webhooks/whatsapp/webhook"


class Citizen:
    def __init__(self, assistant, phone):
        self.settings = assistant.settings
        self.phone = phone
        self.fake = f"http://{self.settings.host}:{self.settings.fake_twilio_port}"

    def write(self, body: str) -> None:
        """A WhatsApp message, signed as Twilio signs it, to the Rasa server's channel."""
        sid = f"SM{int(time.time() * 1e6):032x}"[-34:]
        params = {
            "MessageSid": sid,
            "SmsMessageSid": sid,
            "SmsSid": sid,
            "AccountSid": self.settings.twilio_account_sid,
            "From": f"whatsapp:{self.phone}",
            "To": self.settings.twilio_whatsapp_number,
            "Body": body,
            "NumMedia": "0",
            "NumSegments": "1",
            "ProfileName": "Test",
            "WaId": self.phone.lstrip("+"),
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
        }
        signature = RequestValidator(self.settings.twilio_auth_token).compute_signature(
            self.settings.public_url.rstrip("/") + WEBHOOK, params
        )
        reply = requests.post(
            self.settings.rasa_url + WEBHOOK, data=params, headers={"X-Twilio-Signature": signature}, timeout=60
        )
        assert reply.status_code == 200, reply.text

    def received(self) -> list:
        reply = requests.get(self.fake + "/_fake/messages", params={"to": f"whatsapp:{self.phone}"}, timeout=10)
        return [m for m in reply.json()["messages"] if m["direction"] == "outbound-api"]

    def wait_for(self, predicate, timeout: float = 90.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.received():
                if predicate(message):
                    return message
            time.sleep(0.5)
        raise AssertionError(f"no such message; got {[m.get('body') for m in self.received()]}")


@pytest.fixture(scope="module")
def web_url(assistant):
    return f"http://{assistant.settings.host}:{assistant.settings.web_port}"


def test_a_citizen_asks_for_a_person_and_the_operator_calls(assistant, web_url):
    citizen = Citizen(assistant, PHONE)
    citizen.write("kisi adhikari se baat karni hai, mera number 9812300001 hai")
    promise = citizen.wait_for(lambda m: "अनुरोध" in (m.get("body") or ""))
    assert "फ़ोन करेगा" in promise["body"]
    make_staff(assistant.settings.database_url, "operator.e2e", "operator")
    operator = PortalClient(web_url)
    assert operator.login("operator.e2e", "a-Long-pass-1234").status_code == 303
    page = operator.get("/portal/callbacks").text
    assert "+91******0001" in page and "kisi adhikari se baat karni hai" in page
    assert "9812300001" not in page, "the number in the message is masked too"
    request_id = int(page.split('id="callback-')[1].split('"')[0])
    revealed = operator.post(f"/portal/callbacks/{request_id}/reveal").text
    assert PHONE in revealed


def test_an_officer_approves_and_the_citizen_gets_the_certificate(assistant, web_url):
    sync_api = pytest.importorskip("playwright.sync_api")
    settings = assistant.settings
    engine = create_engine_for(settings.database_url)
    conversation = ChannelStore(engine, settings.signing_key).ensure_contact(PHONE)
    approve_me = submit_application(engine, phone=PHONE, channel_user_id=conversation, name="Ramesh Bhuriya")
    reject_me = submit_application(
        engine, phone=PHONE, channel_user_id=conversation, name="Ramesh Bhuriya", service="domicile_certificate"
    )
    engine.dispose()
    make_staff(settings.database_url, "officer.e2e", "designated_officer")
    citizen = Citizen(assistant, PHONE)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=VIEWPORTS["laptop"]).new_page()

        class Web:
            url = web_url

        sign_in(page, Web, "officer.e2e", "a-Long-pass-1234")
        page.goto(f"{web_url}/portal/applications/{approve_me}")
        page.click("[data-test=approve]")
        page.wait_for_url(f"**/portal/applications/{approve_me}?msg=*")
        assert page.url.endswith("msg=approved"), "issued and sent"
        shot(page, "e2e-approved-laptop")
        page.goto(f"{web_url}/portal/applications/{reject_me}")
        page.click("text=अस्वीकार करें")
        page.fill("textarea[name=reason]", "निवास का प्रमाण नहीं मिला")
        page.click("[data-test=reject]")
        page.wait_for_url(f"**/portal/applications/{reject_me}?msg=*")
        assert page.url.endswith("msg=rejected")
        browser.close()
    certificate = citizen.wait_for(lambda m: approve_me in (m.get("body") or ""))
    assert "आय प्रमाण पत्र तैयार है" in certificate["body"]
    # The PDF follows as its own WhatsApp message, fetched by the provider from our signed link.
    document = citizen.wait_for(lambda m: m.get("media_urls") and m["seq"] > certificate["seq"])
    pdf = requests.get(document["media_urls"][0], timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    rejection = citizen.wait_for(lambda m: reject_me in (m.get("body") or ""))
    assert "कारण: निवास का प्रमाण नहीं मिला" in rejection["body"] and "अपील" in rejection["body"]


def test_the_conversation_is_in_the_portal_masked(assistant, web_url):
    make_staff(assistant.settings.database_url, "trainer.e2e", "trainer")
    trainer = PortalClient(web_url)
    trainer.login("trainer.e2e", "a-Long-pass-1234")
    found = trainer.get("/portal/conversations?phone=0001").text
    assert "+91******0001" in found
    key = int(found.split('href="/portal/conversations/')[1].split('"')[0])
    transcript = trainer.get(f"/portal/conversations/{key}").text
    assert "kisi adhikari se baat karni hai" in transcript and "request_human" in transcript
    assert "9812300001" not in transcript
    engine = create_engine_for(assistant.settings.database_url)
    with session_scope(engine) as s:
        assert callbacks.count_open_callbacks(s) == 1
    engine.dispose()
