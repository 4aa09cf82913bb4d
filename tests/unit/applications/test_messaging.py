"""The form's questions as the citizen sees them on WhatsApp."""

from lokseva.applications import messaging
from lokseva.catalogue import load_catalogue
from lokseva.channels.text import render_buttons
from lokseva.districts import load_district


def test_choice_titles_are_numbered_once_by_the_channel():
    text, buttons = messaging.prompt("gender", None, "hi")
    assert [b["payload"] for b in buttons] == ["1", "2", "3"]
    rendered = render_buttons(text, buttons)
    assert rendered.endswith("1. पुरुष\n2. महिला\n3. अन्य")
    assert "1. 1." not in rendered


def test_service_buttons_carry_names_and_inform_payloads():
    buttons = messaging.service_buttons(load_catalogue(), "hi")
    assert buttons[0] == {"title": "आय प्रमाण पत्र", "payload": '/inform{"service":"income_certificate"}'}
    assert not any(b["title"][:1].isdigit() for b in buttons)


def test_tehsil_choices_keep_the_names_as_titles():
    tehsils = load_district("jhabua").tehsils[:2]
    text, buttons = messaging.ask_tehsil(tehsils, "en")
    assert buttons == [{"title": "Jhabua", "payload": "1"}, {"title": "Petlawad", "payload": "2"}]
    assert render_buttons(text, buttons).endswith("\n\n1. Jhabua\n2. Petlawad")
    _, buttons = messaging.ask_tehsil(tehsils, "hi")
    assert buttons == [{"title": "झाबुआ", "payload": "1"}, {"title": "पेटलावद", "payload": "2"}]
