"""The interface has every string in Hindi and English."""

import re
import string
from pathlib import Path

from lokseva.portal import i18n

TEMPLATES = Path(i18n.__file__).parent / "templates"


def test_every_message_has_both_languages_with_the_same_placeholders():
    for key, (hindi, english) in i18n.MESSAGES.items():
        assert hindi.strip() and english.strip(), key
        fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
        assert fields(hindi) == fields(english), key
        if not key.startswith(("role.", "callback.lang")):
            assert re.search(r"[\u0900-\u097F]", hindi), f"{key}: Hindi in Devanagari"


def test_every_key_the_templates_use_exists():
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_.0-9]+)["']""", path.read_text()))
    # Keys built in the template ("role." ~ role) are checked as families.
    prefixes = {key for key in used if key.endswith((".", "_"))}
    missing = {key for key in used - prefixes if key not in i18n.MESSAGES}
    assert not missing
    for prefix in prefixes:
        assert any(key.startswith(prefix) and key != prefix for key in i18n.MESSAGES), prefix
    for role in ("operator", "designated_officer", "trainer", "admin"):
        assert f"role.{role}" in i18n.MESSAGES
    for status in ("labelled", "dismissed", "exported", "duplicate", "conflict"):
        assert f"trainer.status_{status}" in i18n.MESSAGES


def test_translator():
    t_hi, t_en = i18n.translator("hi"), i18n.translator("en")
    assert t_hi("common.found", n=3) == "3 मिले" and t_en("common.found", n=3) == "3 found"
    assert t_hi("nav.home") != t_en("nav.home")
