"""Reply buttons and lists (Twilio's Content API), taps, and the numbered fallback."""

import json

import pytest

from lokseva.channels.interactive import LIST_PICKER, QUICK_REPLY, choices_content, shorten
from tests.unit.channels.conftest import SERVICES, start_harness

INCOME = '/choose_service{"service": "income"}'
KHASRA = '/choose_service{"service": "khasra"}'


def test_short_titles_up_to_three_are_reply_buttons():
    content = choices_content("ठीक है?", [{"title": "हाँ", "payload": "/affirm"}, {"title": "नहीं", "payload": "/deny"}])
    assert content.content_type == QUICK_REPLY
    spec = content.definition["types"][QUICK_REPLY]
    assert spec == {"body": "{{1}}", "actions": [{"title": "हाँ", "id": "/affirm"}, {"title": "नहीं", "id": "/deny"}]}
    assert json.loads(content.content_variables) == {"1": "ठीक है?"}


def test_more_choices_or_long_titles_are_a_list_that_keeps_the_full_title():
    content = choices_content("कौन सा?", [{"title": t, "payload": f"/s{i}"} for i, (_, t) in enumerate(SERVICES)])
    assert content.content_type == LIST_PICKER
    items = content.definition["types"][LIST_PICKER]["items"]
    assert items[0] == {"item": "आय प्रमाण पत्र", "id": "/s0"}
    assert items[5]["item"] == "खसरा / खतौनी की नकल…" and len(items[5]["item"]) <= 24
    assert items[5]["description"] == "खसरा / खतौनी की नकल (भूमि रिकॉर्ड)"
    long_two = [{"title": "मूल निवासी प्रमाण पत्र बनवाना", "payload": "/a"}, {"title": "नहीं", "payload": "/b"}]
    assert choices_content("?", long_two).content_type == LIST_PICKER


def test_choices_whatsapp_cannot_show_get_no_content():
    eleven = [{"title": str(i), "payload": f"/p{i}"} for i in range(11)]
    assert choices_content("?", eleven) is None
    assert choices_content("?", [{"title": "a", "payload": "/" + "x" * 200}]) is None
    assert choices_content("", [{"title": "a", "payload": "/a"}]) is None
    assert choices_content("?", [{"title": "a", "payload": "/a"}, {"title": "b", "payload": "/a"}]) is None


def test_the_content_key_ignores_the_message_text():
    buttons = [{"title": "हाँ", "payload": "/affirm"}]
    assert choices_content("एक", buttons).key == choices_content("दो", buttons).key
    assert choices_content("एक", buttons).key != choices_content("एक", [{"title": "जी", "payload": "/affirm"}]).key


@pytest.mark.parametrize(
    "title, limit, cut",
    [
        ("आय प्रमाण पत्र", 24, "आय प्रमाण पत्र"),
        ("मूल निवासी प्रमाण पत्र बनवाना है", 20, "मूल निवासी प्रमाण…"),
        ("प्रमाणपत्रप्रमाणपत्रप्रमाणपत्र", 10, "प्रमाणप…"),
    ],
)
def test_shorten_cuts_at_words_and_never_inside_a_letter(title, limit, cut):
    assert shorten(title, limit) == cut
    assert len(shorten(title, limit)) <= limit


@pytest.mark.anyio
async def test_a_tapped_reply_button_sends_its_payload_exactly(harness):
    await harness.send(body="menu")
    menu = (await harness.wait_for_outbound(1))[0]
    actions = menu["interactive"]["actions"]
    assert [a["title"] for a in actions] == ["आवेदन करें", "स्थिति", "फीस"]
    await harness.send(body="स्थिति", ButtonText="स्थिति", ButtonPayload=actions[1]["id"])
    await harness.settle()
    chosen = harness.bot.received[-1]
    assert chosen.text == "/check_status" and chosen.metadata["button_reply"] == "स्थिति"


@pytest.mark.anyio
async def test_a_chosen_list_item_sends_its_payload_and_typing_still_works(harness):
    await harness.send(body="services")
    shown = (await harness.wait_for_outbound(1))[0]["interactive"]
    assert shown["type"] == "list-picker" and len(shown["items"]) == 6 and shown["button"] == "यहाँ से चुनें"
    await harness.send(
        body=shown["items"][5]["item"], ListId=shown["items"][5]["id"], ListTitle=shown["items"][5]["item"]
    )
    await harness.settle()
    assert harness.bot.received[-1].text == KHASRA
    for typed in ("1", "पहला", "आय प्रमाण पत्र"):
        await harness.send(body="services")
        await harness.send(body=typed)
        await harness.settle()
        assert harness.bot.received[-1].text == INCOME, typed


@pytest.mark.anyio
async def test_a_tap_on_choices_no_longer_offered_is_not_taken_as_a_payload(harness):
    await harness.send(body="services")
    await harness.send(body="नमस्ते")  # answered without buttons: the list is gone
    await harness.send(body="खसरा", ListId=KHASRA, ListTitle="खसरा")
    await harness.settle()
    assert harness.bot.received[-1].text == "खसरा"


@pytest.mark.anyio
async def test_contents_are_made_once_and_survive_a_restart(settings, store):
    first, stop = await start_harness(settings, store)
    try:
        await first.send(body="menu")
        await first.send(body="menu")
        await first.settle()
        assert first.fake.content.created == 1
        sids = {m["content_sid"] for m in first.outbound()}
        assert len(sids) == 1
    finally:
        await stop()
    second, stop = await start_harness(settings, store)  # a new fake Twilio: nothing made there yet
    try:
        second.fake.content.contents.update({sid: {"types": {"twilio/text": {"body": "{{1}}"}}} for sid in sids})
        await second.send(body="menu")
        await second.settle()
        assert second.fake.content.created == 0 and second.outbound()[0]["content_sid"] in sids
    finally:
        await stop()


@pytest.mark.anyio
async def test_when_a_content_cannot_be_made_the_numbered_text_goes(harness):
    await harness.fail(content_status=400, times=1)
    await harness.send(body="menu")
    sent = (await harness.wait_for_outbound(1))[0]
    assert sent["body"] == "चुनें:\n\n1. आवेदन करें\n2. स्थिति\n3. फीस" and sent["content_sid"] is None
    await harness.send(body="२")
    await harness.settle()
    assert harness.bot.received[-1].text == "/check_status"


@pytest.mark.anyio
async def test_when_twilio_refuses_the_buttons_the_numbered_text_goes(harness):
    await harness.send(body="menu")
    await harness.settle()
    await harness.fail(status=400, times=1)  # the next message (the buttons) is refused
    await harness.send(body="menu")
    await harness.settle()
    last = harness.outbound()[-1]
    assert last["content_sid"] is None and last["body"].endswith("\n3. फीस")
    rows = harness.channel.outbox.outbox.messages()
    assert rows[-1]["kind"] == "interactive" and rows[-1]["status"] == "sent"


@pytest.mark.anyio
async def test_a_slow_turn_shows_typing(harness):
    harness.bot.delay = 2.0
    params = await harness.send(body="नमस्ते")
    await harness.settle()
    assert harness.fake.typing == [params["MessageSid"]]
    harness.bot.delay = 0
    await harness.send(body="नमस्ते")
    await harness.settle()
    assert len(harness.fake.typing) == 1  # a quick answer needs none


@pytest.mark.anyio
async def test_buttons_twilio_could_not_deliver_are_followed_by_the_numbered_text(harness):
    await harness.fail(delivery_error=63016, times=1)  # delivered as "failed" by the status callbacks
    await harness.send(body="menu")
    sent = await harness.wait_for_outbound(2)
    assert sent[0]["interactive"] and sent[1]["body"].endswith("\n3. फीस") and sent[1]["content_sid"] is None
    await harness.send(body="3")
    await harness.settle()
    assert harness.bot.received[-1].text == "/pay_fee"


@pytest.mark.anyio
async def test_a_payment_link_gets_a_button_that_opens_it(harness):
    link = "https://rzp.io/i/AbC123xyz"
    text = f"आवेदन JBA-2026-000123 की फीस: *₹30*\n\nइस लिंक से भरें:\n{link}"
    await harness.channel.get_output_channel().send_response(
        harness.store.ensure_contact("+919876543210"),
        {"text": text, "custom": {"call_to_action": {"url": link, "title": "फीस भरें"}}},
    )
    [sent] = harness.outbound()
    assert sent["interactive"] == {
        "type": "call-to-action",
        "body": text,
        "actions": [{"type": "URL", "title": "फीस भरें", "url": link}],
    }
    assert json.loads(sent["content_variables"])["2"] == "AbC123xyz"
    await harness.channel.get_output_channel().send_response(
        harness.store.ensure_contact("+919876543210"),
        {
            "text": text.replace("AbC123xyz", "Other456"),
            "custom": {"call_to_action": {"url": link[:-9] + "Other456", "title": "फीस भरें"}},
        },
    )
    assert harness.fake.content.created == 1  # one content for every link of the gateway
