"""Twilio's API failing: 429 and 5xx are retried, other 4xx are not."""

import time

import pytest

from tests.integration.whatsapp_support import Phone, channel_store, fake_api, fake_stats

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("status", [429, 500])
def test_the_reply_arrives_despite_failures(assistant, status):
    phone = Phone(assistant)
    before = fake_stats(assistant)
    fake_api(assistant, "/_fake/fail", status=status, times=2, retry_after=0.2)
    assert phone.chat("नमस्ते")["body"].startswith("नमस्ते 🙏")
    after = fake_stats(assistant)
    assert after["refused"] - before["refused"] == 2
    assert after["created"] - before["created"] == 1


def test_a_refused_message_is_not_retried_and_is_recorded(assistant):
    phone = Phone(assistant)
    before = fake_stats(assistant)
    # The greeting's menu is a list: refused, it is followed by its numbered text, refused too.
    fake_api(assistant, "/_fake/fail", status=400, times=2)
    phone.send("नमस्ते")
    store = channel_store(assistant)
    try:
        for _ in range(300):
            rows = store.outbound(conversation_id=phone.conversation_id())
            if rows:
                break
            time.sleep(0.1)
        assert [(r["status"], r["error_code"]) for r in rows] == [("not_sent", 21211)]
    finally:
        store.engine.dispose()
    assert fake_stats(assistant)["attempts"] - before["attempts"] == 2  # each once, neither retried
    assert phone.received() == []


def test_the_rasa_servers_log_shows_masked_numbers_only(assistant):
    phone = Phone(assistant)
    fake_api(assistant, "/_fake/fail", status=400, times=1)
    params = phone.send("नमस्ते")  # its reply is refused: logged with the number
    phone.post(params)  # a redelivery: logged with the number
    rasa = next(r for r in assistant.running if r.service.name == "rasa")
    masked = "+91******" + phone.number[-4:]
    for _ in range(100):
        log = rasa.log_path.read_text(errors="replace")
        if masked in log and "redelivery" in log:
            break
        time.sleep(0.1)
    assert masked in log
    assert phone.number[3:] not in log  # the ten digits never appear
