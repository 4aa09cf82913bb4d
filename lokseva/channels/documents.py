"""A citizen's uploaded document, from the channel to the domain.

The channel stores the file (media.py) and hands it to the applications
capability, which decides where it goes (lokseva.applications.flows.
attach_document: the one rule for which application takes a document); the
dialogue gets the files in the message metadata either way.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Optional

from sqlalchemy.engine import Engine

from lokseva.applications.flows import AttachedTo, attach_document
from lokseva.channels.media import StoredUpload


def attach_upload(conversation_id: str, upload: StoredUpload, engine: Optional[Engine] = None) -> Optional[AttachedTo]:
    """Records `upload` against the citizen's application that waits for it (None:
    there is none; the file stays stored). Synchronous: runs in a worker thread."""
    return attach_document(
        conversation_id,
        filename=PurePosixPath(upload.path).name,
        content_type=upload.content_type,
        size_bytes=upload.size,
        sha256=upload.sha256,
        storage_key=upload.path,  # relative to UPLOADS_DIR
        source="whatsapp",
        engine=engine,
    )
