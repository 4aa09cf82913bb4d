"""The proactive messages (notifications.yml: variables and Twilio Content SIDs;
their texts in the message catalogue, lokseva/messages/<language>/notifications.yml)
and how each is rendered.

Used on both sides of a notification: the action that produces it (the text,
in the citizen's language, logged in the conversation) and the WhatsApp output
channel that sends it (the text inside the 24-hour window, otherwise the
approved template's Content SID with its variables).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

import yaml

from lokseva.messages import load_catalogue

TEMPLATES_FILE = Path(__file__).with_name("notifications.yml")
LANGUAGES = ("hi", "en")
TEXTS = "notifications"  # the texts: lokseva/messages/<language>/notifications.yml


class NotificationError(ValueError):
    """An unknown template or missing/unknown variables."""


@dataclass(frozen=True)
class Template:
    key: str
    variables: Tuple[str, ...]
    text: Dict[str, str]
    content_sid: Dict[str, str]
    document: Optional[str] = None


@dataclass(frozen=True)
class Notification:
    key: str
    language: str
    text: str
    content_sid: Optional[str]
    content_variables: str  # JSON {"1": ..., "2": ...} for Twilio's Content API
    document_url: Optional[str] = None

    def as_dict(self) -> Dict[str, Any]:
        return {
            "key": self.key,
            "language": self.language,
            "text": self.text,
            "content_sid": self.content_sid,
            "content_variables": self.content_variables,
            "document_url": self.document_url,
        }


@functools.lru_cache(maxsize=4)
def load_templates(path: Path = TEMPLATES_FILE) -> Dict[str, Template]:
    """The templates of `path` (variables, document, Content SIDs) with their texts
    from the message catalogue (notifications.<key>, every language of it)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    catalogue = load_catalogue()
    templates: Dict[str, Template] = {}
    for key, spec in data.items():
        variables = tuple(spec.get("variables") or ())
        if not catalogue.has(f"{TEXTS}.{key}"):
            raise NotificationError(f"{path.name}: {key} has no text in the message catalogue ({TEXTS}.{key})")
        text = {language: str(catalogue.value(f"{TEXTS}.{key}", language)) for language in catalogue.languages}
        for language, body in text.items():
            used = set(re.findall(r"{(\w+)}", body))
            if not used <= set(variables):
                raise NotificationError(
                    f"{path.name}: {key}.{language} uses undeclared {sorted(used - set(variables))}"
                )
        document = spec.get("document")
        if document and document not in variables:
            raise NotificationError(f"{path.name}: {key}.document must be one of its variables")
        templates[key] = Template(key, variables, text, dict(spec.get("content_sid") or {}), document)
    orphans = [k.split(".", 1)[1] for k in catalogue.keys(TEXTS) if k.split(".", 1)[1] not in templates]
    if orphans:
        raise NotificationError(
            f"the message catalogue has notification texts without a template in {path.name}: {', '.join(orphans)}"
        )
    return templates


# WhatsApp refuses a template whose parameter has a new line or a tab, more than
# four spaces in a row, or more than 1,024 characters (Meta's template rules).
_LINE_BREAKS = re.compile(r"\s*[\r\n\t]+\s*")
_LONG_SPACES = re.compile(r" {4,}")
MAX_TEMPLATE_PARAMETER = 1024


def template_parameter(value: str) -> str:
    """`value` as WhatsApp accepts it inside an approved template: one line."""
    flat = _LONG_SPACES.sub("   ", _LINE_BREAKS.sub(" · ", value.strip()))
    if len(flat) > MAX_TEMPLATE_PARAMETER:
        flat = flat[: MAX_TEMPLATE_PARAMETER - 1].rstrip() + "…"
    return flat


def render(key: str, variables: Mapping[str, Any], language: Optional[str] = None) -> Notification:
    """The notification `key` with `variables`, in `language` (Hindi when unknown)."""
    templates = load_templates()
    if key not in templates:
        raise NotificationError(f"unknown notification {key!r}; known: {', '.join(sorted(templates))}")
    template = templates[key]
    missing = [v for v in template.variables if variables.get(v) in (None, "")]
    unknown = sorted(set(variables) - set(template.variables))
    if missing or unknown:
        raise NotificationError(f"notification {key!r}: missing {missing}, unknown {unknown}")
    language = language if language in template.text else "hi"
    values = {name: str(variables[name]) for name in template.variables}
    return Notification(
        key=key,
        language=language,
        text=template.text[language].format_map(values),
        content_sid=template.content_sid.get(language),
        content_variables=json.dumps(
            {str(i): template_parameter(values[name]) for i, name in enumerate(template.variables, 1)},
            ensure_ascii=False,
        ),
        document_url=values[template.document] if template.document else None,
    )


def render_content_template(content_sid: str, content_variables: Optional[str]) -> Optional[str]:
    """What WhatsApp shows for an approved template (the fake Twilio's rendering)."""
    try:
        numbered = json.loads(content_variables or "{}")
    except ValueError:
        return None
    for template in load_templates().values():
        for language, sid in template.content_sid.items():
            if sid == content_sid and language in template.text:
                values = {name: str(numbered.get(str(i), "")) for i, name in enumerate(template.variables, 1)}
                return template.text[language].format_map(values)
    return None
