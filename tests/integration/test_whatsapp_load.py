"""Twenty citizens writing at once: every reply arrives, each citizen's in order."""

import threading

import pytest

from tests.integration.whatsapp_support import Phone, same_sid

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
        phone.wait_done(sent[phone.number][-1], timeout=240)  # its last turn is over, tracker saved
        replies = phone.wait_for(MESSAGES, timeout=240)
        assert len(replies) == MESSAGES
        languages = [
            "hi"
            if r["body"].startswith("नमस्ते 🙏 मैं")
            else "en"
            if r["body"].startswith("Namaste 🙏 I am")
            else r["body"]
            for r in replies
        ]
        assert languages == ["hi", "en"] * (MESSAGES // 2), phone.number
        users = [e["message_id"] for e in phone.tracker()["events"] if e["event"] == "user"]
        assert len(users) == MESSAGES
        assert all(same_sid(stored, sid) for stored, sid in zip(users, sent[phone.number])), users
