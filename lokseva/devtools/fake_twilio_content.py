"""The fake Twilio's Content API: contents made, fetched, and rendered into messages.

Twilio's contract (https://www.twilio.com/docs/content), the part the channel uses:

- POST /v1/Content (JSON, the account's basic auth): {"friendly_name", "language",
  "variables": {"1": sample}, "types": {"twilio/quick-reply" | "twilio/list-picker" |
  "twilio/call-to-action" | "twilio/text": {...}}} -> 201 with "sid" (HX + 32 hex),
  "account_sid", "friendly_name", "language", "variables", "types", "url",
  "date_created", "date_updated", "links". The documented limits are checked: a
  body of at most 1,024 characters; quick-reply: 1 to 10 actions, titles of at
  most 20 characters, ids of at most 200; list-picker: a button text of at most
  20, 1 to 10 items of at most 24 characters, descriptions of at most 72, ids of
  at most 200; call-to-action: 1 or 2 URL or PHONE_NUMBER actions. A refusal is
  HTTP 400 with Twilio's error shape (code 20001, the fake's choice of code).
- GET /v1/Content/{Sid}: the same resource, 404 (code 20404) when unknown.
- A message sent with ContentSid + ContentVariables is rendered as the citizen
  would see it: its body with the variables filled in, and its buttons or list
  ("interactive" in the recorded message). A variable of the body left without
  a value is refused as Twilio does (21656).

Test hook: POST /_fake/fail {"content_status": 500|400…, "times": N} makes the next
N content creations fail.
"""

from __future__ import annotations

import email.utils
import json
import re
import secrets
from collections import deque
from typing import Any, Deque, Dict, List, Optional, Tuple

from aiohttp import web

_VARIABLE = re.compile(r"\{\{(\d+)\}\}")
MAX_BODY = 1024


def _limits(content_type: str, spec: Dict[str, Any]) -> Optional[str]:
    """What is wrong with a content type's definition, or None."""
    body = spec.get("body")
    if not isinstance(body, str) or not body.strip():
        return f"{content_type}: body is required"
    if len(body) > (1600 if content_type == "twilio/text" else MAX_BODY):
        return f"{content_type}: body is longer than allowed"
    if content_type == "twilio/quick-reply":
        actions = spec.get("actions")
        if not isinstance(actions, list) or not 1 <= len(actions) <= 10:
            return "twilio/quick-reply: 1 to 10 actions"
        for action in actions:
            if not isinstance(action, dict) or not action.get("title") or len(action["title"]) > 20:
                return "twilio/quick-reply: each action needs a title of at most 20 characters"
            if not action.get("id") or len(str(action["id"])) > 200:
                return "twilio/quick-reply: each action needs an id of at most 200 characters"
    elif content_type == "twilio/list-picker":
        if not spec.get("button") or len(spec["button"]) > 20:
            return "twilio/list-picker: button is required, at most 20 characters"
        items = spec.get("items")
        if not isinstance(items, list) or not 1 <= len(items) <= 10:
            return "twilio/list-picker: 1 to 10 items"
        for item in items:
            if not isinstance(item, dict) or not item.get("item") or len(item["item"]) > 24:
                return "twilio/list-picker: each item needs an item (title) of at most 24 characters"
            if not item.get("id") or len(str(item["id"])) > 200:
                return "twilio/list-picker: each item needs an id of at most 200 characters"
            if len(item.get("description") or "") > 72:
                return "twilio/list-picker: a description is at most 72 characters"
        if len({i["id"] for i in items}) != len(items):
            return "twilio/list-picker: item ids must be unique"
    elif content_type == "twilio/call-to-action":
        actions = spec.get("actions")
        if not isinstance(actions, list) or not 1 <= len(actions) <= 2:
            return "twilio/call-to-action: 1 or 2 actions"
        for action in actions:
            kind = action.get("type") if isinstance(action, dict) else None
            if kind not in ("URL", "PHONE_NUMBER") or not action.get("title") or len(action["title"]) > 20:
                return "twilio/call-to-action: actions of type URL or PHONE_NUMBER with a title of at most 20"
            if kind == "URL" and not str(action.get("url", "")).startswith("https://"):
                return "twilio/call-to-action: a URL action needs an https url"
    elif content_type != "twilio/text":
        return f"content type {content_type} is not supported by the fake"
    return None


def _fill(text: str, variables: Dict[str, str]) -> Tuple[str, List[str]]:
    missing: List[str] = []

    def value(match: re.Match) -> str:
        if match.group(1) not in variables:
            missing.append(match.group(1))
            return match.group(0)
        return str(variables[match.group(1)])

    return _VARIABLE.sub(value, text), missing


class FakeContentApi:
    def __init__(self, account_sid: str, authorised):
        self.account_sid = account_sid
        self.authorised = authorised  # the fake Twilio's basic-auth check
        self.contents: Dict[str, Dict[str, Any]] = {}
        self.failures: Deque[int] = deque()
        self.created = 0

    def _error(self, status: int, code: int, message: str) -> web.Response:
        return web.json_response(
            {
                "code": code,
                "message": message,
                "status": status,
                "more_info": f"https://www.twilio.com/docs/errors/{code}",
            },
            status=status,
        )

    async def create(self, request: web.Request) -> web.Response:
        if not self.authorised(request):
            return self._error(401, 20003, "Authenticate")
        if self.failures:
            status = self.failures.popleft()
            return self._error(status, 20500 if status >= 500 else 20001, "Content creation failed (on demand)")
        try:
            data = await request.json()
        except ValueError:
            return self._error(400, 20001, "The request body must be JSON")
        types = data.get("types") if isinstance(data, dict) else None
        if not data.get("language") or not isinstance(types, dict) or not types:
            return self._error(400, 20001, "language and types are required")
        for content_type, spec in types.items():
            problem = _limits(content_type, spec if isinstance(spec, dict) else {})
            if problem:
                return self._error(400, 20001, problem)
        sid = "HX" + secrets.token_hex(16)
        now = email.utils.formatdate(usegmt=True)
        resource = {
            "sid": sid,
            "account_sid": self.account_sid,
            "friendly_name": data.get("friendly_name") or "",
            "language": data["language"],
            "variables": data.get("variables") or {},
            "types": types,
            "url": f"https://content.twilio.com/v1/Content/{sid}",
            "date_created": now,
            "date_updated": now,
            "links": {"approval_fetch": f"https://content.twilio.com/v1/Content/{sid}/ApprovalRequests"},
        }
        self.contents[sid] = resource
        self.created += 1
        return web.json_response(resource, status=201)

    async def fetch(self, request: web.Request) -> web.Response:
        if not self.authorised(request):
            return self._error(401, 20003, "Authenticate")
        resource = self.contents.get(request.match_info["sid"])
        if resource is None:
            return self._error(404, 20404, "The requested resource was not found")
        return web.json_response(resource)

    def render(self, content_sid: str, content_variables: Optional[str]) -> Optional[Dict[str, Any]]:
        """What the citizen sees of a message with this content, or None when it is
        not one of ours; raises ValueError when a variable has no value (21656)."""
        resource = self.contents.get(content_sid)
        if resource is None:
            return None
        variables = json.loads(content_variables) if content_variables else {}
        content_type, spec = next(iter(resource["types"].items()))
        body, missing = _fill(spec["body"], variables)
        if missing:
            raise ValueError(f"no value for variable(s) {', '.join(missing)}")
        shown: Dict[str, Any] = {"type": content_type.split("/")[1], "body": body}
        for key in ("button", "items", "actions"):
            if key in spec:
                shown[key] = spec[key]
        if content_type == "twilio/call-to-action":  # the link as the citizen's phone opens it
            shown["actions"] = [
                {**a, "url": _fill(a["url"], variables)[0]} if a.get("url") else a for a in spec["actions"]
            ]
        return shown

    def fail(self, status: int, times: int) -> None:
        self.failures.extend([status] * times)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/v1/Content", self.create)
        app.router.add_get("/v1/Content/{sid}", self.fetch)
