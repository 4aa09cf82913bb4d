"""The command line of every periodic job: run once, or again every N seconds.

    python -m lokseva.jobs.reconcile [--every SECONDS]
    python -m lokseva.applications.scheduled [--every SECONDS]

Once (from cron) the job's result is printed and the exit code says whether it
failed. With `--every` (how `make run` starts them, lokseva/devtools/processes.py)
a failed run is logged and tried again next time, since the database or the
gateway may be down for a while; SIGTERM stops the loop between runs.

Several instances of a job (one per replica, or cron on two machines) are safe: of
those that start a run at the same time one does it, the others skip it
(lokseva.db.advisory, a PostgreSQL advisory lock named after the job).
"""

from __future__ import annotations

import argparse
import logging
import signal
import time
from typing import Callable, List, Optional

from lokseva.db import get_engine
from lokseva.db.advisory import only_one

log = logging.getLogger(__name__)


def run_alone(job: Callable[[], object], name: str) -> object:
    """Runs `job` unless another instance of it is running: then returns SKIPPED."""
    with only_one(get_engine(), name) as won:
        return job() if won else SKIPPED


SKIPPED = "skipped: another instance of this job is running"


def main(job: Callable[[], object], description: str, argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--every", type=float, default=0, help="run again every this many seconds")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    while True:
        started = time.monotonic()
        try:
            result = run_alone(job, f"{job.__module__}.{job.__qualname__}")
        except Exception:
            log.exception("%s failed", description)
            if not args.every:
                return 1
        else:
            if not args.every:
                print(result)
                return 0
        while not stopping and time.monotonic() - started < args.every:
            time.sleep(0.5)
        if stopping:
            return 0
