"""The message catalogue (lokseva/messages): every key in every language with the
same placeholders, render fails loudly, a new language is a new folder, and the
web app refuses to start on a broken catalogue."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lokseva import messages
from lokseva.messages import (
    CatalogueError,
    MessageError,
    check_catalogue,
    load_catalogue,
    read_catalogue,
    render,
    render_from,
    render_list,
)
from lokseva.web.app import create_app


def test_the_shipped_catalogue_has_every_key_in_every_language_with_the_same_placeholders():
    catalogue, problems = read_catalogue()
    assert problems == []
    assert catalogue.languages[:2] == ("hi", "en")
    for capability in ("applications", "payments", "certificates"):
        assert catalogue.keys(capability), capability


def test_render_fills_the_placeholders_in_the_language_asked():
    assert render("payments.link_delayed", "en", application_id="JBA-2026-000001").startswith(
        "The payment service is slow right now. Application JBA-2026-000001 is safe."
    )
    hindi = render("payments.link_delayed", "hi", application_id="JBA-2026-000001")
    assert "आवेदन JBA-2026-000001 सुरक्षित है" in hindi


@pytest.mark.parametrize("language", [None, "fr", "hi"])
def test_a_conversation_without_a_language_of_the_catalogue_reads_hindi(language):
    assert render("payments.pay_button", language) == "फीस भरें"


def test_an_unknown_key_fails_loudly():
    with pytest.raises(MessageError, match="payments.no_such_text"):
        render("payments.no_such_text", "hi")


def test_a_missing_variable_fails_loudly():
    with pytest.raises(MessageError, match="missing variables \\['application_id'\\]"):
        render("payments.link_delayed", "hi")


def test_a_variable_the_text_does_not_use_fails_loudly():
    with pytest.raises(MessageError, match="unexpected \\['amount'\\]"):
        render("payments.link_delayed", "hi", application_id="J", amount="20")


def test_a_parsers_findings_fill_what_the_text_says_and_a_missing_one_still_fails():
    assert render_from("applications.invalid.pin_length", "en", {"digits": 5, "limit": 6}).endswith(
        "you wrote 5. Please write it again."
    )
    with pytest.raises(MessageError, match="missing variables \\['digits'\\]"):
        render_from("applications.invalid.pin_length", "en", {"limit": 6})


def test_a_text_with_variants_is_found_by_the_first_variant_present_else_its_default():
    catalogue = load_catalogue()
    assert (
        catalogue.variant("applications.prompts.event_date", ["income_certificate", "child"])
        == "applications.prompts.event_date.child"
    )
    assert (
        catalogue.variant("applications.prompts.event_date", ["", "applicant"])
        == "applications.prompts.event_date.default"
    )
    assert catalogue.variant("applications.prompts.gender", ["child"]) == "applications.prompts.gender"
    with pytest.raises(MessageError):
        catalogue.variant("applications.prompts.no_such_field", ["child"])


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "messages"
    for lang in ("hi", "en"):
        shutil.copytree(messages.MESSAGES_DIR / lang, target / lang)
    return target


def test_a_key_missing_in_one_language_is_found(tmp_path):
    root = _copy(tmp_path)
    path = root / "en" / "payments.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("pay_button: Pay the fee\n", ""), encoding="utf-8")
    _catalogue, problems = read_catalogue(root)
    assert problems == ["en: payments.pay_button is missing (it is in hi)"]


def test_a_key_only_in_a_translation_is_found(tmp_path):
    root = _copy(tmp_path)
    with (root / "en" / "payments.yml").open("a", encoding="utf-8") as out:
        out.write("new_text: Something new\n")
    assert read_catalogue(root)[1] == ["en: payments.new_text is not in hi"]


def test_a_translation_with_other_placeholders_is_found(tmp_path):
    root = _copy(tmp_path)
    path = root / "en" / "payments.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Application {application_id} is safe.", "Application {application} is safe."), encoding="utf-8"
    )
    problems = read_catalogue(root)[1]
    assert problems == ["en: payments.link_delayed has placeholders ['application'], hi has ['application_id']"]
    with pytest.raises(CatalogueError, match="payments.link_delayed"):
        check_catalogue(root)


def test_a_list_of_another_length_and_an_empty_text_are_found(tmp_path):
    root = _copy(tmp_path)
    (root / "hi" / "extra.yml").write_text("titles: [हाँ, नहीं, शायद]\n", encoding="utf-8")
    (root / "en" / "extra.yml").write_text("titles: ['Yes', 'No']\n", encoding="utf-8")
    path = root / "en" / "applications.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  affirm: 'Yes'\n", "  affirm: ' '\n"), encoding="utf-8")
    problems = read_catalogue(root)[1]
    assert "en: extra.titles must be a list of 3, like hi" in problems
    assert "en: applications.buttons.affirm is empty" in problems


def test_a_list_is_rendered_as_a_list(tmp_path, monkeypatch):
    root = _copy(tmp_path)
    for lang, titles in (("hi", "[हाँ, नहीं]"), ("en", "['Yes', 'No']")):
        (root / lang / "extra.yml").write_text(f"titles: {titles}\n", encoding="utf-8")
    monkeypatch.setattr(messages, "MESSAGES_DIR", root)
    messages.load_catalogue.cache_clear()
    try:
        assert render_list("extra.titles", "en") == ["Yes", "No"]
        with pytest.raises(MessageError, match="use render_list"):
            render("extra.titles", "en")
    finally:
        monkeypatch.undo()
        messages.load_catalogue.cache_clear()


def test_a_broken_file_is_named(tmp_path):
    root = _copy(tmp_path)
    (root / "en" / "payments.yml").write_text("link: [unclosed\n", encoding="utf-8")
    problems = read_catalogue(root)[1]
    assert problems[0].startswith("en/payments.yml: not valid YAML")


def test_adding_a_language_is_adding_a_folder(tmp_path):
    root = _copy(tmp_path)
    shutil.copytree(root / "hi", root / "mr")  # Marathi, to be translated: same keys and placeholders
    catalogue, problems = read_catalogue(root)
    assert problems == [] and catalogue.languages == ("hi", "en", "mr")
    assert catalogue.language("mr") == "mr" and catalogue.value("payments.pay_button", "mr") == "फीस भरें"


def test_the_web_app_does_not_start_on_a_broken_catalogue(tmp_path, monkeypatch):
    root = _copy(tmp_path)
    (root / "en" / "certificates.yml").unlink()
    monkeypatch.setattr(messages, "MESSAGES_DIR", root)
    with pytest.raises(CatalogueError, match="en: certificates.sending is missing"):
        create_app()


def test_the_action_server_does_not_load_its_actions_on_a_broken_catalogue(tmp_path):
    root = _copy(tmp_path)
    (root / "en" / "payments.yml").unlink()
    code = "import pathlib, lokseva.messages as m; m.MESSAGES_DIR = pathlib.Path(%r); import actions" % str(root)
    repo = Path(messages.__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(repo)},
    )
    assert done.returncode != 0 and "en: payments.link is missing" in done.stderr
