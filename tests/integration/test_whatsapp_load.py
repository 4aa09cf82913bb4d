"""Twenty citizens writing at once: every reply arrives, each citizen's in order."""
import threading
import time

import pytest

from tests.integration.whatsapp_support import Phone

pytestmark = pytest.mark.integration
CITIZENS, MESSAGES = 20, 10
HINDI, ENGLISH = "नमस्ते", "hello good morning"


def test_20_citizens_x_10_messages_at_once(assistant):
    phones = [Phone(assistant) for _ in range(CITIZENS)]
    sent = {p.number: [] for p in phones}
    errors = []
    start = threading.Barrier(CITIZENS)

    def citizen(phone):
        try:
            start.wait()
            for n in range(MESSAGES):  # alternate languages: the replies show the order
                sent[phone.number].append(phone.send(HINDI if n % 2 == 0 else ENGLISH)["MessageSid"])
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=citizen, args=(p,)) for p in phones]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for phone in phones:
        replies = phone.wait_for(MESSAGES, timeout=240)
        assert len(replies) == MESSAGES
        languages = ["hi" if r["body"].startswith("नमस्ते 🙏 मैं") else
                     "en" if r["body"].startswith("Namaste 🙏 I am") else r["body"] for r in replies]
        assert languages == ["hi", "en"] * (MESSAGES // 2), phone.number
        # The reply leaves during the turn; the tracker is saved just after it.
        deadline = time.monotonic() + 30
        while True:
            users = [e["message_id"] for e in phone.tracker()["events"] if e["event"] == "user"]
            if len(users) >= MESSAGES or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert users == sent[phone.number]
