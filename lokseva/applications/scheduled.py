"""Periodic jobs of the applications capability.

    python -m lokseva.applications.scheduled     # run once (e.g. hourly from cron)
"""
from __future__ import annotations

import logging
from typing import Optional

from sqlalchemy.engine import Engine

from lokseva.applications import service as repo
from lokseva.db import session_scope

logger = logging.getLogger(__name__)


def purge_expired_drafts(engine: Optional[Engine] = None) -> int:
    """Deletes half-filled applications untouched for 24 hours (their Aadhaar
    included); the conversation drops them lazily too, this keeps the table clean."""
    with session_scope(engine or repo.engine()) as session:
        removed = repo.purge_expired_drafts(session)
    logger.info("purged %d expired drafts", removed)
    return removed


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    purge_expired_drafts()
