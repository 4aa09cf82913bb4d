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

from lokseva.payments import flows

log = logging.getLogger("lokseva.payments.reconcile")


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
            counts = flows.reconcile()
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
