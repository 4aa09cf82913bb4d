"""Calls to Rasa's HTTP API (trackers, trigger_intent): the one place that authenticates them.

Rasa runs with `--jwt-secret RASA_API_TOKEN --jwt-method HS256` and without
`--auth-token`, so it accepts only `Authorization: Bearer <JWT>` and never a
token in the URL (URLs end up in access logs and proxies' logs). Each request
carries a JWT that expires a minute after it was made, for Rasa's admin role
(rasa/server.py, requires_auth: role "admin" may act on every conversation).
"""

from __future__ import annotations

import time
from typing import Any, Dict, List

import jwt
import requests

from lokseva.settings import Settings

TOKEN_LIFETIME_S = 60


def rasa_server_auth_args(settings: Settings) -> List[str]:
    """The `rasa run` arguments that turn on this authentication.

    The secret is joined to its option with `=`: a generated token may begin
    with "-", which argparse would otherwise read as the next option.
    """
    return [f"--jwt-secret={settings.rasa_api_token}", "--jwt-method=HS256"]


def auth_headers(settings: Settings) -> Dict[str, str]:
    now = int(time.time())
    token = jwt.encode(
        {"user": {"username": "lokseva", "role": "admin"}, "iat": now, "exp": now + TOKEN_LIFETIME_S},
        settings.rasa_api_token,
        algorithm="HS256",
    )
    return {"Authorization": f"Bearer {token}"}


def call(settings: Settings, method: str, path: str, **kwargs: Any) -> requests.Response:
    """`method` on Rasa's `path` (e.g. "/conversations/<id>/tracker"), authenticated."""
    headers = {**kwargs.pop("headers", {}), **auth_headers(settings)}
    return requests.request(method, settings.rasa_url.rstrip("/") + path, headers=headers, **kwargs)
