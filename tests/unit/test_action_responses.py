"""Rasa's check of action server responses, with the schema compiled once: the
same answers as Rasa's own check (jsonschema.validate) for valid and invalid
responses, without checking the schema again for every call."""

import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from lokseva import action_responses

VALID = {
    "events": [{"event": "slot", "name": "district", "value": "jhabua", "timestamp": None}],
    "responses": [{"text": "ठीक है", "buttons": []}],
}
INVALID = [
    {"events": [{"event": "slot", "value": "jhabua"}], "responses": []},  # a slot event without its name
    {"events": {"event": "slot"}, "responses": []},  # not a list
    {"events": [], "responses": ["text"]},  # a response that is not an object
]


@pytest.fixture
def action():
    original = RemoteAction._validate_action_result
    rasa_own = RemoteAction("action_ask_district", EndpointConfig("http://127.0.0.1:1/webhook"))
    yield rasa_own, original
    RemoteAction._validate_action_result = original


def test_the_same_verdicts_and_messages_as_rasas_own_check(action):
    remote, rasa_check = action
    expected = []
    for response in INVALID:
        with pytest.raises(ValidationError) as error:
            rasa_check(remote, response)
        expected.append(error.value.message)
    assert rasa_check(remote, VALID) is True

    action_responses.install()
    assert remote._validate_action_result(VALID) is True
    for response, message in zip(INVALID, expected):
        with pytest.raises(ValidationError) as error:
            remote._validate_action_result(response)
        assert error.value.message == message
        assert "Failed to validate Action server response" in message


def test_the_schema_is_checked_once_not_for_every_response(action, monkeypatch):
    remote, _ = action
    action_responses.install()
    remote._validate_action_result(VALID)  # compiled (if not yet) here
    checks = []
    cls = jsonschema.validators.validator_for(RemoteAction.action_response_format_spec())
    monkeypatch.setattr(cls, "check_schema", classmethod(lambda c, schema, **kw: checks.append(1)))
    for _ in range(5):
        assert remote._validate_action_result(VALID) is True
    assert checks == []


def test_the_rasa_servers_conversation_store_installs_it(action, tmp_path):
    from rasa.shared.core.domain import Domain

    from lokseva.privacy.tracker_store import RedactingSQLTrackerStore

    RedactingSQLTrackerStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.db'}")
    assert RemoteAction._validate_action_result is action_responses.validate_action_result


def test_the_jobs_and_the_web_app_do_not_load_rasas_actions():
    """Rasa's action module brings TensorFlow (about 400 MB a process)."""
    import subprocess
    import sys

    from lokseva.settings import ROOT

    for module in ("lokseva.channels.scheduled", "lokseva.web", "lokseva.payments.reconcile"):
        loaded = subprocess.run(
            [sys.executable, "-c", f"import sys, {module}; print('rasa.core.actions.action' in sys.modules)"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout.split()[-1]
        assert loaded == "False", module
