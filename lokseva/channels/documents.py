"""Where a citizen's uploaded document goes: the hook to the applications capability.

The applications capability (lokseva/applications/, branch `applications`) will
own a documents table and know which application is open. Until it lands, the
file is stored (media.py) and the dialogue gets it in the message metadata; this
one function is the place to wire the two together.
"""
from __future__ import annotations

import logging
from typing import Optional

from lokseva.channels.media import StoredUpload

logger = logging.getLogger(__name__)


def attach_to_open_application(conversation_id: str, upload: StoredUpload) -> Optional[str]:
    """Records `upload` against the citizen's open application.

    Returns the application id it was attached to, or None when there is no open
    application (or, for now, no applications capability yet). Runs in a worker
    thread: it may use the database synchronously.
    """
    # TODO(applications): e.g.
    #   from lokseva.applications import service
    #   return service.attach_document(conversation_id, upload.path, upload.content_type,
    #                                  upload.size, upload.sha256)
    logger.debug("whatsapp: upload %s kept; no applications capability to attach it to yet", upload.path)
    return None
