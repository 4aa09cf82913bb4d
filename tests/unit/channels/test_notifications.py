"""Notifications as WhatsApp accepts them outside the 24-hour window."""

import json

import pytest

from lokseva.channels.notifications import (
    MAX_TEMPLATE_PARAMETER,
    TEMPLATES_FILE,
    NotificationError,
    load_templates,
    render,
    template_parameter,
)
from lokseva.messages import load_catalogue, render as render_text


def test_a_multi_line_status_becomes_one_line_in_the_template_but_not_in_the_text():
    status = "दस्तावेज़ चाहिए:\n1. राशन कार्ड\n\t2. पटवारी रिपोर्ट"
    notification = render("status_changed", {"application_id": "JBA-2026-000123", "status": status}, "hi")
    assert status in notification.text, "inside the window the citizen gets the lines as written"
    parameters = json.loads(notification.content_variables)
    assert parameters == {"1": "JBA-2026-000123", "2": "दस्तावेज़ चाहिए: · 1. राशन कार्ड · 2. पटवारी रिपोर्ट"}


def test_template_parameters_have_no_long_spaces_and_a_length_limit():
    assert template_parameter("a      b") == "a   b"
    long = template_parameter("क" * 2000)
    assert len(long) == MAX_TEMPLATE_PARAMETER and long.endswith("…")
    assert template_parameter("  JBA-2026-000123 ") == "JBA-2026-000123"


def test_every_template_takes_its_text_in_every_language_from_the_message_catalogue():
    catalogue = load_catalogue()
    for key, template in load_templates().items():
        assert set(template.text) == set(catalogue.languages)
        assert template.text["en"] == catalogue.value(f"notifications.{key}", "en")
    text = render("payment_received", {"application_id": "JBA-2026-000123", "amount": "30"}, "en").text
    assert text == render_text("notifications.payment_received", "en", application_id="JBA-2026-000123", amount="30")


def test_a_template_without_a_text_and_a_text_without_a_template_are_refused(tmp_path):
    extra = tmp_path / "extra.yml"
    extra.write_text(
        TEMPLATES_FILE.read_text(encoding="utf-8") + "\nnew_message:\n  variables: [application_id]\n", encoding="utf-8"
    )
    with pytest.raises(NotificationError, match="new_message has no text in the message catalogue"):
        load_templates(extra)
    fewer = tmp_path / "fewer.yml"
    fewer.write_text(
        TEMPLATES_FILE.read_text(encoding="utf-8").replace("compensation_paid:", "compensation_gone:"), encoding="utf-8"
    )
    with pytest.raises(NotificationError, match="compensation_gone has no text"):
        load_templates(fewer)
    only = tmp_path / "only.yml"
    only.write_text("payment_received:\n  variables: [application_id, amount]\n", encoding="utf-8")
    with pytest.raises(NotificationError, match="without a template in only.yml: certificate_ready, status_changed"):
        load_templates(only)
