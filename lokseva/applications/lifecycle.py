"""The application lifecycle: one explicit state machine.

    draft ──> submitted ──> fee_pending ──> paid ──> under_review ──> approved ──> certificate_issued ──> delivered
                  │                                    │    ↑   │
                  └──(no fee due)──> under_review      │    │   └──> rejected
                                                       v    │
                                                 more_info_needed

Re-issue: a certificate the office revoked (a spelling mistake, say) is
replaced by a new one. Revocation is a state of the certificate, not of the
application, so the application moves from certificate_issued (or delivered)
to certificate_issued again, and the history line says which certificate
replaced which. That the old one is revoked is checked where certificates are
(lokseva.certificates.service.reissue_certificate; the database allows one
certificate in force per application).

Every status change goes through `transition()`: an invalid change is refused
here and nowhere else, and each valid one produces the status-history entry
(who, when, why) that the caller must store with it. Plain Python, no database.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Dict, FrozenSet, Optional, Protocol


class Status(str, enum.Enum):
    DRAFT = "draft"  # being filled in the chat (अधूरा)
    SUBMITTED = "submitted"  # received, numbered; receipt (पावती) sent
    FEE_PENDING = "fee_pending"  # waiting for the fee (फीस बाकी)
    PAID = "paid"  # fee received
    UNDER_REVIEW = "under_review"  # with the designated officer (जाँच)
    MORE_INFO_NEEDED = "more_info_needed"  # the officer asked the citizen for something
    APPROVED = "approved"  # granted; certificate being prepared
    CERTIFICATE_ISSUED = "certificate_issued"
    DELIVERED = "delivered"  # printed copy handed over / delivered home
    REJECTED = "rejected"  # refused, with a reason (appealable)

    def __str__(self) -> str:
        return self.value


S = Status
TRANSITIONS: Dict[Status, FrozenSet[Status]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.FEE_PENDING, S.UNDER_REVIEW, S.REJECTED}),
    S.FEE_PENDING: frozenset({S.PAID, S.REJECTED}),
    S.PAID: frozenset({S.UNDER_REVIEW}),
    S.UNDER_REVIEW: frozenset({S.MORE_INFO_NEEDED, S.APPROVED, S.REJECTED}),
    S.MORE_INFO_NEEDED: frozenset({S.UNDER_REVIEW, S.REJECTED}),
    S.APPROVED: frozenset({S.CERTIFICATE_ISSUED}),
    S.CERTIFICATE_ISSUED: frozenset({S.DELIVERED, S.CERTIFICATE_ISSUED}),  # itself: re-issue
    S.DELIVERED: frozenset({S.CERTIFICATE_ISSUED}),  # re-issue
    S.REJECTED: frozenset(),
}

# The office is working on it: the guaranteed time limit applies (appeal when late).
OFFICE_IS_RESPONSIBLE = frozenset({S.SUBMITTED, S.PAID, S.UNDER_REVIEW})
# Nothing more will happen.
FINAL = frozenset(s for s, nexts in TRANSITIONS.items() if not nexts)
# A revoked certificate can be replaced (re-issued) from these; the application
# ends in certificate_issued with the new certificate.
REISSUABLE = frozenset({S.CERTIFICATE_ISSUED, S.DELIVERED})
# The service was delivered on time or late, but delivered.
SERVED = frozenset({S.APPROVED, S.CERTIFICATE_ISSUED, S.DELIVERED})


class InvalidTransition(ValueError):
    """A status change the lifecycle does not allow."""

    def __init__(self, current: Optional[Status], target: Status, reference: str = ""):
        allowed = ", ".join(sorted(str(s) for s in TRANSITIONS.get(current, ()))) if current else "draft"
        what = f"application {reference}" if reference else "application"
        super().__init__(
            f"{what} cannot go from {current or 'nothing'} to {target}; allowed next: {allowed or 'none (final)'}"
        )
        self.current = current
        self.target = target


@dataclass(frozen=True)
class StatusChange:
    """One line of the status history (who, when, why)."""

    from_status: Optional[Status]
    to_status: Status
    changed_at: dt.datetime
    changed_by: str
    reason: str = ""


class HasStatus(Protocol):
    status: str


def can_transition(current: Optional[Status], target: Status) -> bool:
    if current is None:
        return target == S.DRAFT
    return target in TRANSITIONS[current]


def transition(
    application: HasStatus,
    target: Status,
    by: str,
    reason: str = "",
    at: Optional[dt.datetime] = None,
    reference: str = "",
) -> StatusChange:
    """Moves `application` to `target`, or raises InvalidTransition.

    Returns the history entry to store; the caller stores it in the same unit
    of work as the status, so the two never disagree.
    """
    if not by:
        raise ValueError("a status change needs to say who made it")
    current = Status(application.status) if application.status else None
    target = Status(target)
    if not can_transition(current, target):
        raise InvalidTransition(current, target, reference)
    application.status = target.value
    return StatusChange(
        from_status=current,
        to_status=target,
        changed_at=at or dt.datetime.now(dt.timezone.utc),
        changed_by=by,
        reason=reason,
    )
