"""Reconciliation: the one job that asks the gateway about every unpaid link
of the ledger, whatever the fee is for (application fees, the postage of home
deliveries, …), so that a lost webhook never leaves a paying citizen unpaid;
it also creates the links the gateway could not make earlier. The messages
these changes owe the citizen are written in the notification outbox, which
the channel's outbox job sends. Safe to run while webhooks arrive and next to
another reconciliation.

Its process is `python -m lokseva.jobs.reconcile [--every SECONDS]`, which
loads the capabilities that own the other purposes first (purposes.py); once
by default, `--every 60` keeps running (lokseva.periodic; how `make run`
starts it). Counts: application fees by outcome ("paid", "still_open", …),
other purposes prefixed with their name ("postage_paid").
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Dict

from lokseva.db import session_scope
from lokseva.payments import purposes, service
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
    for payment_id, purpose in open_ids:
        try:
            outcome = sync_payment(payment_id, source="reconcile")
            count(outcome.status if purpose == purposes.APPLICATION_FEE else f"{purpose}_{outcome.status}")
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
    return counts


def reconcile_and_log() -> Dict[str, int]:
    counts = reconcile()
    if any(v for k, v in counts.items() if not k.endswith("still_open")):
        log.info("reconciled: %s", counts)
    return counts
