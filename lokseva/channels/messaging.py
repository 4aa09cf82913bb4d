"""What the channel's actions say to citizens, in their language. The texts:
lokseva/messages/<language>/channels.yml."""

from __future__ import annotations

from typing import Iterable, List, Mapping, Optional

from lokseva.messages import load_catalogue, render


def text(key: str, language: Optional[str], **values) -> str:
    """The message `key` of lokseva/messages/<language>/channels.yml in the citizen's language."""
    return render(f"channels.{key}", language, **values)


def upload_reply(
    stored: List[Mapping], refused: Iterable[Mapping], application_id: Optional[str], language: Optional[str]
) -> str:
    """One reply for a message with files: what was received, then what was refused and why."""
    lines: List[str] = []
    if stored:
        lines.append(
            text("received_one", language) if len(stored) == 1 else text("received_many", language, count=len(stored))
        )
        lines.append(
            text("attached", language, application_id=application_id) if application_id else text("kept", language)
        )
    for reason in dict.fromkeys(r.get("reason") for r in refused):  # each reason once, in order
        known = reason and load_catalogue().has(f"channels.{reason}")
        lines.append(text(reason if known else "download_failed", language))
    return "\n".join(lines) or text("no_file", language)


def location_reply(location: Optional[Mapping], language: Optional[str]) -> str:
    if not location:
        return text("no_location", language)
    address = location.get("address") or location.get("label")
    return text("location_received", language, address=f" ({address})" if address else "")
