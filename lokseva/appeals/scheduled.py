"""The deadline watcher: `python -m lokseva.appeals.scheduled [--every SECONDS]`.

Each run prepares the officers' daily digest of each district once a day
(lokseva.appeals.officework.prepare_digests; shown in the portal under *Appeals*),
and tells every citizen whose application reaches its guaranteed date today
undecided (the office still has it) that today is the day and how to appeal
after it, through the notification outbox (the approved template outside
WhatsApp's 24-hour window). Safe with several instances and repeated runs: each
message has a dedupe key (application and date), so it is written once whoever
runs first. Dates are India's; run it at least hourly (`make run` does).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from typing import Dict, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lokseva import periodic
from lokseva.appeals import officework
from lokseva.applications import service as applications
from lokseva.applications.lifecycle import OFFICE_IS_RESPONSIBLE
from lokseva.applications.models import Application
from lokseva.applications.numbers import format_date
from lokseva.catalogue import load_catalogue
from lokseva.clock import now_utc, today_in_india
from lokseva.db import session_scope
from lokseva.notifications import outbox

logger = logging.getLogger(__name__)


def remind_due_today(engine: Optional[Engine] = None, now: Optional[dt.datetime] = None) -> int:
    """Writes the "today is your guaranteed date" message for each undecided
    application due today; returns how many were new."""
    today = today_in_india(now or now_utc())
    catalogue = load_catalogue()
    written = 0
    with session_scope(engine or applications.engine()) as session:
        due = session.execute(
            sa.select(Application).where(
                Application.due_date == today,
                Application.status.in_([s.value for s in OFFICE_IS_RESPONSIBLE]),
            )
        ).scalars()
        for application in due:
            language = "en" if application.language == "en" else "hi"
            service = catalogue.get(application.service_id)
            name = service.text("name", language) if service else application.service_id
            if (
                outbox.enqueue(
                    session,
                    application.citizen_id,
                    "due_date_reached",
                    {
                        "application_id": application.reference,
                        "service_name": name,
                        "date": format_date(today, language),
                    },
                    language,
                    subject=outbox.application_subject(application.reference or ""),
                    dedupe_key=f"due_date_reached:{application.reference}:{today.isoformat()}",
                )
                is not None
            ):
                written += 1
    logger.info("deadline watcher: %d citizens told that today is their guaranteed date", written)
    return written


def run_jobs() -> Dict[str, int]:
    return {
        "due_today_reminders": remind_due_today(),
        "officer_digests": officework.prepare_digests(applications.engine()),
    }


def main(argv: Optional[List[str]] = None) -> int:
    return periodic.main(run_jobs, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
