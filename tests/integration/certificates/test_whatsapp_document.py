"""intent get_certificate: the action answers with the PDF as a WhatsApp document
whose link the real web app serves for minutes, to that conversation only."""

from __future__ import annotations

import hashlib
import time

import pytest
import requests

from actions.certificates import ActionSendCertificate
from lokseva.certificates import signing
from tests.integration.certificates.conftest import run_action

pytestmark = pytest.mark.integration


def document_of(messages):
    documents = [m["custom"]["document"] for m in messages if (m.get("custom") or {}).get("document")]
    assert len(documents) <= 1
    return documents[0] if documents else None


def test_the_citizen_gets_their_pdf_through_a_signed_link(stack):
    application, certificate = stack.issued()
    messages, events = run_action(
        ActionSendCertificate(), application["channel_user_id"], text="certificate bhejo", intent="get_certificate"
    )
    assert events == []
    assert "आय प्रमाण पत्र इस संदेश के साथ है" in messages[0]["text"] and certificate.number in messages[0]["text"]
    document = document_of(messages)
    assert document["filename"] == f"certificate-{certificate.number}.pdf"
    assert document["caption"] == f"आय प्रमाण पत्र · {certificate.number}"
    assert document["url"].startswith(stack.web_url + "/media/")

    fetched = requests.get(document["url"], timeout=10)
    assert fetched.status_code == 200 and fetched.headers["Content-Type"] == "application/pdf"
    assert hashlib.sha256(fetched.content).hexdigest() == certificate.sha256
    assert "no-store" in fetched.headers["Cache-Control"]


def test_with_the_application_id_in_english(stack):
    application, certificate = stack.issued("birth_certificate")
    messages, _ = run_action(
        ActionSendCertificate(),
        application["channel_user_id"],
        text=f"send my certificate {application['reference'].lower()}",
        intent="get_certificate",
        slots={"language": "en"},
    )
    assert messages[0]["text"].startswith("📄 Here is the Birth Certificate.")
    assert document_of(messages)["caption"] == f"Birth Certificate · {certificate.number}"


def test_another_citizens_application_reveals_nothing(stack):
    application, _ = stack.issued()
    messages, _ = run_action(
        ActionSendCertificate(),
        "wa-somebody-else",
        text=f"{application['reference']} ka certificate bhejo",
        intent="get_certificate",
        entities=[{"entity": "application_id", "value": application["reference"]}],
    )
    assert document_of(messages) is None
    assert "आपके नंबर से नहीं मिला" in messages[0]["text"]


def test_not_ready_yet_and_several_to_choose_from(stack):
    pending = stack.approved_application()
    messages, _ = run_action(ActionSendCertificate(), pending["channel_user_id"], intent="get_certificate")
    assert document_of(messages) is None and "अभी तैयार नहीं है" in messages[0]["text"]

    citizen = pending["channel_user_id"]
    first, _ = stack.issued(channel_user_id=citizen)
    second, _ = stack.issued("domicile_certificate", channel_user_id=citizen)
    messages, _ = run_action(ActionSendCertificate(), citizen, intent="get_certificate")
    assert document_of(messages) is None
    payloads = {b["payload"] for b in messages[0]["buttons"]}
    assert payloads == {f'/get_certificate{{"application_id":"{a["reference"]}"}}' for a in (first, second)}


def test_media_links_expire_and_refuse_other_conversations(stack):
    application, certificate = stack.issued()
    key = stack.settings.signing_key

    def url(token):
        return f"{stack.web_url}/media/{token}/certificate-{certificate.number}.pdf"

    now = time.time()
    fresh = signing.make_media_token(
        certificate.number, certificate.sha256, application["channel_user_id"], 120, now=now, signing_key=key
    )
    assert requests.get(url(fresh), timeout=10).status_code == 200
    expired = signing.make_media_token(
        certificate.number, certificate.sha256, application["channel_user_id"], 120, now=now - 121, signing_key=key
    )
    assert requests.get(url(expired), timeout=10).status_code == 410
    stranger = signing.make_media_token(
        certificate.number, certificate.sha256, "wa-stranger", 120, now=now, signing_key=key
    )
    assert requests.get(url(stranger), timeout=10).status_code == 403
    tampered = fresh[:-3] + ("AAA" if not fresh.endswith("AAA") else "BBB")
    assert requests.get(url(tampered), timeout=10).status_code == 403
    assert requests.get(f"{stack.web_url}/media/not-a-token", timeout=10).status_code == 403
