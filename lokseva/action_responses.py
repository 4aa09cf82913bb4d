"""Rasa's check of every action server response, with its JSON schema compiled once.

Rasa 3.6 (`RemoteAction._validate_action_result`) calls `jsonschema.validate` on
each response, which checks the (large, constant) schema of every event type
again and builds a new validator: under the load benchmark about a fifth of the
Rasa server's busy time, on its event loop (py-spy, docs/operations.md). Here the
schema is checked and the validator built once; the response is validated
against the same schema, and an invalid one raises the same ValidationError with
the same message as Rasa's.
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Text

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    error = exceptions.best_match(_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Makes every RemoteAction of this process validate with the compiled schema."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
