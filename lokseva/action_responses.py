"""Rasa's check of every action server response, with its JSON schema compiled once.

Rasa 3.6 (`RemoteAction._validate_action_result`) calls `jsonschema.validate` on
each response, which checks the constant schema against JSON Schema's own
metaschema again and builds a new validator: under the load benchmark about a
fifth of the Rasa server's busy time, on its event loop (py-spy,
docs/operations.md). Here the schema is checked and its validator built once. A
response it finds valid is valid (the same schema, no `$ref`, the same validator
class); any other goes through Rasa's own check, which gives Rasa's verdict and
raises Rasa's error. The Rasa server's conversation store installs it
(lokseva.privacy.tracker_store): importing Rasa's action module costs a process
TensorFlow, so nothing else imports this module.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, Text

from jsonschema import validators
from rasa.core.actions.action import RemoteAction

_RASA_CHECK = RemoteAction._validate_action_result  # Rasa's own, kept before install() replaces it


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    if _validator().is_valid(result):
        return True
    return _RASA_CHECK(self, result)


def install() -> None:
    """Makes every RemoteAction of this process validate with the compiled schema."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
