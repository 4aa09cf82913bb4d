"""Reconciliation: `python -m lokseva.payments.reconcile [--every SECONDS]`.

Asks the gateway about every unpaid link (application fees, and the postage
fees of home deliveries), so that a lost webhook never leaves a paying citizen
unpaid; creates the links the gateway could not make earlier. The messages
these changes owe the citizen are written in the notification outbox, which
the channel's outbox job sends. Once by default; `--every 60` keeps running
(lokseva.periodic; this is how `make run` starts it). Safe to run while
webhooks arrive and next to another reconciliation.
"""
from __future__ import annotations

import datetime as dt
import logging
import sys
from typing import Dict, List, Optional

from lokseva import periodic
from lokseva.db import session_scope
from lokseva.delivery import flows as delivery_flows
from lokseva.payments import service
from lokseva.payments.common import PENDING_GRACE, engine
from lokseva.payments.links import ensure_link
from lokseva.payments.notices import carry_over_unsent
from lokseva.payments.settle import sync_payment

log = logging.getLogger("lokseva.payments.reconcile")


def reconcile(pending_grace: dt.timedelta = PENDING_GRACE) -> Dict[str, int]:
    """Asks the gateway about every open link and records what it says, makes the
    links that could not be made. Safe to run
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
    counts["notices_carried_over"] = carry_over_unsent()
    # The postage fees of home deliveries are links on the same gateway.
    for status, number in delivery_flows.sync_open_payments(source="reconcile").items():
        counts["delivery_" + status] = number
    return counts


def reconcile_and_log() -> Dict[str, int]:
    counts = reconcile()
    if any(v for k, v in counts.items() if k not in ("still_open", "delivery_open")):
        log.info("reconciled: %s", counts)
    return counts


def main(argv: Optional[List[str]] = None) -> int:
    return periodic.main(reconcile_and_log, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
