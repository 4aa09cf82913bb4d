"""Notifications as WhatsApp accepts them outside the 24-hour window."""
import json

from lokseva.channels.notifications import MAX_TEMPLATE_PARAMETER, render, template_parameter


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
