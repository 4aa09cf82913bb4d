"""Where a citizen's uploaded document goes: onto their open application.

The channel stores the file (media.py) and calls `attach_to_open_application`,
which records it in the applications capability's documents table
(lokseva.applications.service.add_document) against the application that is
waiting for it; the dialogue gets the files in the message metadata either way.
"""
from __future__ import annotations

import logging
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Optional

from lokseva.channels.media import StoredUpload

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

# Applications that can still take a document, most wanted first: the officer
# asked for something; then ones before a decision (a draft is handled first).
_OPEN_STATUSES = ("more_info_needed", "submitted", "fee_pending", "paid", "under_review")


def attach_to_open_application(
    conversation_id: str, upload: StoredUpload, engine: Optional["Engine"] = None
) -> Optional[str]:
    """Records `upload` against the citizen's open application.

    Open means: one where the officer asked for more information, else the
    citizen's draft (being filled in the chat), else their newest application
    not yet decided. Returns its reference (JBA-2026-000123), or None when the
    file was kept for a draft (no reference yet) or there is no open
    application. Runs in a worker thread (synchronous database work), on
    `engine` (the channel's; by default the applications capability's).
    """
    from lokseva.applications import service
    from lokseva.applications.models import Application
    from lokseva.db import session_scope

    with session_scope(engine or service.engine()) as session:
        citizen = service.find_citizen(session, conversation_id)
        if citizen is None:
            return None
        submitted = [a for a in service.applications_of(session, citizen) if a.status in _OPEN_STATUSES]
        asked = [a for a in submitted if a.status == "more_info_needed"]
        application: Optional[Application] = (
            asked[0] if asked else service.open_draft(session, citizen) or (submitted[0] if submitted else None)
        )
        if application is None:
            return None
        service.add_document(
            session,
            application,
            filename=PurePosixPath(upload.path).name,
            content_type=upload.content_type,
            size_bytes=upload.size,
            sha256=upload.sha256,
            storage_key=upload.path,  # relative to UPLOADS_DIR
            source="whatsapp",
        )
        logger.info("whatsapp: document %s attached to %s", upload.path, application.reference or "a draft")
        return application.reference
