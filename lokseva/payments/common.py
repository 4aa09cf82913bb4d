"""What the payment flows share: the gateway client, the database, retry
policies, and the small result types they return."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass
from typing import Optional

from lokseva.applications import service as applications
from lokseva.catalogue import load_catalogue
from lokseva.payments import purposes, service
from lokseva.payments.gateway import RazorpayPaymentLinks, gateway_from_settings
from lokseva.payments.http import CHAT_POLICY, JOB_POLICY  # noqa: F401 - the payment flows import them from here
from lokseva.payments.models import Payment
from lokseva.settings import get_settings

# A pending payment younger than this belongs to the chat turn creating its link.
PENDING_GRACE = dt.timedelta(seconds=60)
# An open link is sent again only if it stays payable at least this long.
RESEND_MIN_LEFT = dt.timedelta(minutes=30)
# After this many links for one application, an expired link is not replaced
# automatically (the citizen asks again when ready).
MAX_AUTOMATIC_LINKS = 3
NOTICE_LEASE = dt.timedelta(seconds=60)
RECEIPT_URL_LIFETIME = dt.timedelta(days=7)


@functools.lru_cache(maxsize=1)
def gateway() -> RazorpayPaymentLinks:
    return gateway_from_settings(get_settings(), JOB_POLICY)


def engine():
    # The applications capability brings the database to the newest migration
    # on first use in a process; payments use the same engine.
    return applications.engine()


@dataclass(frozen=True)
class Outcome:
    """What happened; `status` is one short word the webhook answers with."""

    status: str
    payment_id: Optional[int] = None
    detail: str = ""
    follow_up: Optional[int] = None  # a new pending payment whose link is still to be made


@dataclass(frozen=True)
class PaymentView:
    """A payment's plain values, usable after its session closed."""

    id: int
    reference: str
    status: str
    amount_paise: int
    link_id: Optional[str]
    link_url: Optional[str]
    expires_at: dt.datetime

    @classmethod
    def of(cls, payment: Payment) -> "PaymentView":
        return cls(
            payment.id,
            payment.reference,
            payment.status,
            payment.amount_paise,
            payment.gateway_link_id,
            payment.link_url,
            service.aware(payment.expires_at),
        )


def owner_of(payment: Payment) -> Optional[purposes.FeeOwner]:
    """None for an application fee (payments' own), else the FeeOwner of the
    payment's purpose. Raises purposes.NoOwner (logged) when no capability of
    this process owns it: the payment is left as it is, for a process that has."""
    if payment.purpose == purposes.APPLICATION_FEE:
        return None
    try:
        return purposes.owner(payment.purpose)
    except purposes.NoOwner as error:
        logging.getLogger(__name__).error("payment %s left as it is: %s", payment.reference, error)
        raise


def link_lifetime() -> dt.timedelta:
    return dt.timedelta(minutes=get_settings().payment_link_expiry_minutes)


@functools.lru_cache(maxsize=None)
def _catalogue():
    return load_catalogue()


def service_name(service_id: str, language: str) -> str:
    found = _catalogue().get(service_id)
    if found is None:
        return service_id
    return found.name.get(language) or found.name["hi"]
