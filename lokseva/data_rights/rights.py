"""What a citizen is told about their data, and their right to see and delete it.

DPDP Act 2023 s.5 and Rule 3 (docs/facts/scheme-facts.md, section D): before the
first personal question, a short notice in Hindi and English says what is
collected, why, how long it is kept, whom to ask and how to complain (the texts:
lokseva/messages/<language>/data_rights.yml). s.11 and
s.12: a citizen may ask what is kept about them and ask for it to be erased; what
the law makes the State keep (an application once submitted, a certificate once
issued, fee receipts) is kept and the answer says so. Issuing a certificate rests
on s.7(b) (a State service), not on consent.

Erasure runs in two steps: the drafts at once (lokseva.applications), the
conversation by the retention job (lokseva.data_rights.retention), which finds the
request as the slot `data_erasure_requested_at` in the conversation store, so a
request needs no table of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lokseva.applications import service as applications
from lokseva.applications.lifecycle import Status
from lokseva.applications.models import Application
from lokseva.db import session_scope
from lokseva.districts import District
from lokseva.messages import language_of, render

ERASURE_SLOT = "data_erasure_requested_at"
# The first characters of the notice: how the action sees it was already shown.
NOTICE_MARK = "🔒"


def _t(key: str, language: Optional[str], **values: object) -> str:
    return render(f"data_rights.{key}", language, **values)


def _office(district: Optional[District], language: str) -> str:
    """The citizen's district's Kendra; any Kendra while the district is not known."""
    if district is not None:
        return district.text("lok_seva_kendra", language)
    return _t("any_kendra", language)


def notice(language: Optional[str], conversation_retention_days: int, district: Optional[District] = None) -> str:
    """The notice shown before the first personal question."""
    language = language_of(language)
    return _t("notice", language, days=conversation_retention_days, office=_office(district, language))


@dataclass(frozen=True)
class KeptData:
    masked_phone: Optional[str]
    has_draft: bool
    submitted: int  # applications past the draft, whatever their status
    certificates: int


def kept_data(channel_user_id: str, engine: Optional[Engine] = None) -> KeptData:
    """What the application database keeps about this conversation's citizen."""
    with session_scope(engine or applications.engine()) as session:
        citizen = applications.find_citizen(session, channel_user_id)
        if citizen is None:
            return KeptData(None, False, 0, 0)
        counts: Dict[str, int] = dict(
            session.execute(
                sa.select(Application.status, sa.func.count())
                .where(Application.citizen_id == citizen.id)
                .group_by(Application.status)
            ).all()
        )
        issued = counts.get(Status.CERTIFICATE_ISSUED.value, 0) + counts.get(Status.DELIVERED.value, 0)
        submitted = sum(n for status, n in counts.items() if status != Status.DRAFT.value)
        return KeptData(citizen.masked_whatsapp_number or None, bool(counts.get(Status.DRAFT.value)), submitted, issued)


def kept_data_text(kept: KeptData, language: Optional[str], conversation_retention_days: int) -> str:
    lines = [_t("kept.title", language)]
    if kept.masked_phone:
        lines.append(_t("kept.phone", language, phone=kept.masked_phone))
    lines.append(_t("kept.chat", language, days=conversation_retention_days))
    if kept.has_draft:
        lines.append(_t("kept.draft", language))
    if kept.submitted:
        lines.append(_t("kept.applications", language, count=kept.submitted))
        if kept.certificates:
            lines.append(_t("kept.certificates", language, count=kept.certificates))
    elif not kept.has_draft:
        lines.append(_t("kept.nothing", language))
    lines.append(_t("kept.how", language))
    return "\n".join(lines)


def erase_now(channel_user_id: str, engine: Optional[Engine] = None) -> KeptData:
    """Deletes what can go at once (the draft, with its Aadhaar number) and returns
    what the law keeps. The conversation goes with the retention job."""
    with session_scope(engine or applications.engine()) as session:
        citizen = applications.find_citizen(session, channel_user_id)
        if citizen is not None:
            applications.discard_draft(session, citizen)
    return kept_data(channel_user_id, engine)


def erased_text(kept: KeptData, language: Optional[str], district: Optional[District] = None) -> str:
    language = language_of(language)
    by_law = (
        _t("kept_by_law", language, count=kept.submitted, office=_office(district, language)) if kept.submitted else ""
    )
    return _t("erased", language, kept=by_law)
