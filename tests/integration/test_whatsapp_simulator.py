"""The WhatsApp simulator of the web app: signed webhooks to the real Rasa
server, the bot's answers read back from the fake Twilio; and in a real browser
(Debian's headless Chromium through Playwright), on a phone-sized screen."""

import time

import pytest
import requests

from tests.conftest import ARTIFACTS
from tests.integration.whatsapp_support import new_phone

pytestmark = pytest.mark.integration


def _web(assistant) -> str:
    return f"http://{assistant.settings.host}:{assistant.settings.web_port}"


def _conversation(assistant, phone, count, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        messages = requests.get(
            f"{_web(assistant)}/simulator/api/messages", params={"phone": phone}, timeout=30
        ).json()["messages"]
        if len(messages) >= count:
            return messages
        assert time.monotonic() < deadline, messages
        time.sleep(0.2)


def test_text_photo_and_location_through_the_simulator(assistant):
    phone, web = new_phone(), _web(assistant)
    reply = requests.post(f"{web}/simulator/api/send", json={"phone": phone, "text": "नमस्ते"}, timeout=30)
    assert reply.status_code == 200 and reply.json()["ok"]
    mine, bot = _conversation(assistant, phone, 2)
    assert (mine["direction"], mine["body"]) == ("inbound", "नमस्ते")
    assert bot["direction"] == "outbound-api" and bot["interactive"]["type"] == "list-picker"
    assert bot["interactive"]["items"][0]["item"] == "प्रमाण पत्र के लिए आवेदन"

    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    reply = requests.post(
        f"{web}/simulator/api/send",
        data={"phone": phone},
        files={"file": ("aadhaar.pdf", pdf, "application/pdf")},
        timeout=30,
    )
    assert reply.json()["ok"]
    messages = _conversation(assistant, phone, 4)
    assert messages[2]["media"][0]["filename"] == "aadhaar.pdf"
    assert messages[3]["body"].startswith("✅ आपका दस्तावेज़ मिल गया।")

    reply = requests.post(
        f"{web}/simulator/api/send",
        json={
            "phone": phone,
            "location": {"latitude": 22.7677, "longitude": 74.5954, "address": "कलेक्टर कार्यालय, झाबुआ"},
        },
        timeout=30,
    )
    assert reply.json()["ok"]
    assert _conversation(assistant, phone, 6)[5]["body"].startswith("📍")


def test_the_simulator_refuses_bad_input(assistant):
    web = _web(assistant)
    assert (
        requests.post(f"{web}/simulator/api/send", json={"phone": "12345", "text": "x"}, timeout=30).status_code == 400
    )
    assert (
        requests.post(f"{web}/simulator/api/send", json={"phone": new_phone(), "text": " "}, timeout=30).status_code
        == 400
    )
    outside = requests.get(f"{web}/simulator/api/media", params={"url": "http://169.254.169.254/latest"}, timeout=30)
    assert outside.status_code == 400


def test_a_newcomer_chats_in_hindi_on_a_phone_sized_page(assistant, browser):
    page = browser.new_page(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        page.goto(f"{_web(assistant)}/simulator")
        page.select_option("#citizen", "")  # a fresh number, so the chat starts empty
        page.fill("#other", new_phone())
        page.dispatch_event("#other", "change")
        page.fill("#text", "नमस्ते")
        page.press("#text", "Enter")
        page.locator(".msg.mine", has_text="नमस्ते").wait_for()
        menu = page.locator(".msg:not(.mine)", has_text="नमस्ते 🙏")
        menu.wait_for(timeout=60_000)
        menu.locator(".listopen").tap()  # the menu is a WhatsApp list: open it, tap an item
        assert menu.locator(".picker button").count() == 7
        menu.locator(".picker button", has_text="आवेदन की स्थिति").tap()
        page.locator(".msg:not(.mine)").nth(1).wait_for(timeout=60_000)  # the answer to the tap
        assert page.locator(".msg.mine").last.inner_text().startswith("आवेदन की स्थिति")
        # Fits the phone: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "whatsapp-simulator-phone.png"))
    finally:
        page.close()


def test_a_voice_note_and_a_tap_through_the_simulator(assistant):
    phone, web = new_phone(), _web(assistant)
    reply = requests.post(
        f"{web}/simulator/api/send", json={"phone": phone, "voice": "मुझे आय प्रमाण पत्र चाहिए"}, timeout=60
    )
    assert reply.status_code == 200 and reply.json()["ok"], reply.text
    mine, echo = _conversation(assistant, phone, 2)[:2]
    assert mine["media"][0]["content_type"] == "audio/ogg"
    assert echo["body"] == "🎤 आपने कहा: “मुझे आय प्रमाण पत्र चाहिए”"
    _conversation(assistant, phone, 3)  # the answer to the voice note
    time.sleep(2)  # all of it
    reply = requests.post(f"{web}/simulator/api/send", json={"phone": phone, "text": "सुनाओ"}, timeout=30)
    assert reply.json()["ok"]
    deadline = time.monotonic() + 60
    while not any(
        "/webhooks/whatsapp/voice/" in u for m in _conversation(assistant, phone, 1) for u in m.get("media_urls") or []
    ):
        assert time.monotonic() < deadline, "no spoken answer"
        time.sleep(0.5)
    spoken = next(m for m in reversed(_conversation(assistant, phone, 1)) if m.get("media_urls"))
    [url] = spoken["media_urls"]
    audio = requests.get(f"{web}/simulator/api/voice", params={"url": url}, timeout=30)
    assert audio.status_code == 200 and audio.headers["Content-Type"].startswith("audio/ogg")
    assert audio.content[:4] == b"OggS"
