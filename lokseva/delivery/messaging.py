"""What the citizen is told at each step of a home delivery, in their language.
The texts: lokseva/messages/<language>/delivery.yml.

`delivery_step` writes a step's message in the notification outbox
(lokseva.notifications; message status_changed, so it also reaches a citizen
outside WhatsApp's 24-hour window).
"""

from __future__ import annotations

import logging
from typing import Optional

from sqlalchemy.orm import Session

from lokseva.messages import render, render_from
from lokseva.notifications import outbox

logger = logging.getLogger(__name__)


def text(key: str, language: Optional[str] = None, **values: object) -> str:
    """The message `key` of lokseva/messages/<language>/delivery.yml in the citizen's language."""
    return render(f"delivery.{key}", language, **values)


def step_text(status: str, language: Optional[str], number: str, tracking: str) -> str:
    """The message of the step a delivery reached (printed, dispatched, ...): each
    says what it needs of the certificate's number and the tracking number."""
    return render_from(f"delivery.{status}", language, {"number": number, "tracking": tracking})


def state_name(status: str, language: Optional[str] = None, tracking: Optional[str] = None) -> str:
    """One line per state, for "already_open" and the staff portal."""
    return render_from(f"delivery.state.{status}", language, {"tracking": tracking or ""})


def delivery_step(
    session: Session, citizen, application_reference: str, message: str, language: Optional[str] = None
) -> Optional[int]:
    """Writes one step's message for the citizen in the notification outbox, in
    the step's unit of work; its id, or None without a WhatsApp number (the
    staff portal shows the state either way)."""
    if not citizen.whatsapp_number:
        return None
    return outbox.enqueue(
        session,
        citizen.id,
        "status_changed",
        {"application_id": application_reference, "status": message},
        language,
        subject=outbox.application_subject(application_reference),
    )
