"""What a payment is for: one ledger (the payments table) for every fee.

Each payment row has a purpose and a subject, the thing it pays for:

- application_fee: the fee of an application (subject: the application's id),
  reference JBA-2026-000123-P01; payments itself moves the application to paid.
- postage: the speed post fee of a home delivery (subject: the delivery's id),
  reference JBA-2026-000123-D01; the delivery capability owns what follows.

Payments records the money for every purpose the same way (link, webhook,
reconciliation, refusals, history); what a captured fee or a closed link means
for its subject belongs to the capability that owns the purpose, which
registers a FeeOwner here when it is imported (lokseva.delivery.fees for
postage). Payments never imports its owners: a process that settles payments
of a purpose must have imported its owner (the web app, the action server and
the reconciliation job do, see lokseva.jobs); without one, the capture is
left unrecorded, logged, and recorded by a process that has it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Dict, Optional

from sqlalchemy.orm import Session

if TYPE_CHECKING:  # the model imports nothing of this module at run time
    from lokseva.payments.models import Payment

APPLICATION_FEE = "application_fee"
POSTAGE = "postage"

# The letter of each purpose in its payment references (JBA-2026-000123-D01).
LETTERS: Dict[str, str] = {APPLICATION_FEE: "P", POSTAGE: "D"}


def reference(application_reference: str, purpose: str, number: int) -> str:
    """JBA-2026-000123-P01 (the application fee's first link), …-D02 (the second
    postage fee of that application); Razorpay allows 40 characters."""
    return f"{application_reference}-{LETTERS[purpose]}{number:02d}"


@dataclass(frozen=True)
class LinkText:
    """What the gateway's page shows and where the browser goes after paying."""

    description: str
    callback_path: str
    notes: Dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FeeOwner:
    """What a purpose's capability does when its fee moves, each inside the
    ledger's unit of work (its locks held: application, then payment), so that
    the fee and its subject change together or not at all.

    on_captured(session, payment, source) -> bool: the money for the subject
        arrived; True if the subject took it, False if it no longer needs it
        (the payment is then marked refund_due for staff).
    on_closed(session, payment, status, source): the unpaid link expired or
        was cancelled ("expired" | "cancelled").
    link_text(session, payment) -> LinkText: for making the link.
    on_link(session, payment): a link made later than the citizen asked (by the
        reconciliation job): the owner tells the citizen.
    """

    purpose: str
    on_captured: Callable[[Session, "Payment", str], bool]
    on_closed: Callable[[Session, "Payment", str, str], None]
    link_text: Callable[[Session, "Payment"], LinkText]
    on_link: Optional[Callable[[Session, "Payment"], None]] = None


class NoOwner(LookupError):
    """No capability registered the purpose in this process."""


_owners: Dict[str, FeeOwner] = {}


def register(owner: FeeOwner) -> None:
    if owner.purpose not in LETTERS or owner.purpose == APPLICATION_FEE:
        raise ValueError(f"not a purpose another capability can own: {owner.purpose!r}")
    _owners[owner.purpose] = owner


def owner(purpose: str) -> FeeOwner:
    found = _owners.get(purpose)
    if found is None:
        raise NoOwner(f"no capability in this process owns payments for {purpose!r}")
    return found
