"""Reconciliation: `python -m lokseva.payments.reconcile [--every SECONDS]`.

Asks the gateway about every unpaid link, so that a lost webhook never leaves a
paying citizen unpaid; creates the links the gateway could not make earlier;
sends the messages not sent. Once by default; `--every 60` keeps running (this
is how `make run` starts it, lokseva/devtools/processes.py). Safe to run while
webhooks arrive and next to another reconciliation.
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from typing import List, Optional

import datetime as dt
from typing import Dict

from lokseva.db import session_scope
from lokseva.payments import service
from lokseva.payments.common import PENDING_GRACE, engine
from lokseva.payments.links import ensure_link
from lokseva.payments.notices import deliver_notices
from lokseva.payments.settle import sync_payment

log = logging.getLogger("lokseva.payments.reconcile")


def reconcile(pending_grace: dt.timedelta = PENDING_GRACE) -> Dict[str, int]:
    """Asks the gateway about every open link and records what it says, makes the
    links that could not be made, and sends the notices not sent. Safe to run
    at the same time as webhooks and as another reconciliation."""
    counts: Dict[str, int] = {}

    def count(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    with session_scope(engine()) as session:
        open_ids = service.open_payment_ids(session)
        pending_ids = service.pending_payment_ids(session, service.now_utc() - pending_grace)
    for payment_id in open_ids:
        try:
            outcome = sync_payment(payment_id, source="reconcile")
            count(outcome.status)
            if outcome.follow_up is not None:
                count("link_" + ensure_link(outcome.follow_up, source="reconcile").status)
        except Exception:
            log.exception("reconciliation of payment %s failed", payment_id)
            count("error")
    for payment_id in pending_ids:
        try:
            count("link_" + ensure_link(payment_id, source="reconcile").status)
        except Exception:
            log.exception("link for payment %s failed", payment_id)
            count("error")
    counts["notices_sent"] = deliver_notices()
    return counts



def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=0, help="run again every this many seconds")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    while True:
        started = time.monotonic()
        try:
            counts = reconcile()
            if any(v for k, v in counts.items() if k != "still_open"):
                log.info("reconciled: %s", counts)
        except Exception:
            # The database or the gateway may be down for a while: try again next time.
            log.exception("reconciliation failed")
            if not args.every:
                return 1
        if not args.every:
            print(counts)
            return 0
        while not stopping and time.monotonic() - started < args.every:
            time.sleep(0.5)
        if stopping:
            return 0


if __name__ == "__main__":
    sys.exit(main())
