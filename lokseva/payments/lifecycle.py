"""The states of one payment (one payment link) and the moves between them.

A citizen's application may need several links over time (one expired, a new
one sent), so an application has many payments but at most one open and at most
one paid (the database enforces both with partial unique indexes).

    pending ──> open ──> paid
       │         │ ├──> expired ──┐
       │         │ └──> cancelled ┤──> paid         (money arrived late: still counted)
       └──> cancelled  └─────────────> refund_due   (money for an already paid application)

- pending:    we decided to ask for the fee but the gateway did not answer yet;
              the reconciliation job creates the link later and sends it.
- open:       the link exists at the gateway and can be paid.
- paid:       the gateway captured the exact amount; the application is paid.
- expired:    the link's time ran out unpaid.
- cancelled:  we cancelled the link (replaced it), or the application no longer needs it.
- refund_due: money was captured that cannot be accepted (the application was
              already paid through another link); staff refund it.
"""

from __future__ import annotations

from typing import Dict, FrozenSet

PENDING = "pending"
OPEN = "open"
PAID = "paid"
EXPIRED = "expired"
CANCELLED = "cancelled"
REFUND_DUE = "refund_due"

STATUSES = (PENDING, OPEN, PAID, EXPIRED, CANCELLED, REFUND_DUE)
# A payment in one of these may still turn into money.
UNSETTLED = frozenset({PENDING, OPEN})
# Money arrived.
CAPTURED = frozenset({PAID, REFUND_DUE})

_ALLOWED: Dict[str, FrozenSet[str]] = {
    PENDING: frozenset({OPEN, CANCELLED}),
    OPEN: frozenset({PAID, EXPIRED, CANCELLED, REFUND_DUE}),
    # A link that expired or was cancelled on our side may still have been paid
    # at the gateway a moment before: that money must never be lost.
    EXPIRED: frozenset({PAID, REFUND_DUE}),
    CANCELLED: frozenset({PAID, REFUND_DUE}),
    PAID: frozenset(),
    REFUND_DUE: frozenset(),
}


class InvalidPaymentTransition(ValueError):
    def __init__(self, current: str, target: str):
        super().__init__(f"a payment cannot go from {current} to {target}")
        self.current = current
        self.target = target


def can_move(current: str, target: str) -> bool:
    return target in _ALLOWED.get(current, frozenset())


def check_move(current: str, target: str) -> None:
    if not can_move(current, target):
        raise InvalidPaymentTransition(current, target)
