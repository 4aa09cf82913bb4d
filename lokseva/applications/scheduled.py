"""Periodic jobs of the applications: `python -m lokseva.applications.scheduled [--every SECONDS]`.

Once by default (e.g. hourly from cron); `--every 3600` keeps running
(lokseva.periodic; this is how `make run` starts it, every
DRAFT_PURGE_INTERVAL_S).
"""

from __future__ import annotations

import logging
import sys
from typing import Dict, List, Optional

from sqlalchemy.engine import Engine

from lokseva import periodic
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


def run_jobs() -> Dict[str, int]:
    return {"expired_drafts_purged": purge_expired_drafts()}


def main(argv: Optional[List[str]] = None) -> int:
    return periodic.main(run_jobs, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
