"""The postage fee of a home delivery, in the one payments ledger.

The fee is a payment of purpose "postage" whose subject is the delivery
(reference JBA-2026-000123-D01); payments records the money for it as for any
fee (its one webhook handler and its one reconciliation, lokseva.payments.settle).
The delivery owns only its own state: importing this module registers what a
captured fee or a closed link means for it (lokseva.payments.purposes.FeeOwner),
each step inside the ledger's unit of work, so the fee and the delivery change
together and once:

- captured: payment_pending -> requested, and the citizen is told (a delivery
  no longer waiting for its fee does not take the money: refund due);
- link expired or cancelled unpaid: payment_pending -> cancelled;
- link made late (by the reconciliation, the chat having said it would follow):
  the citizen gets it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Optional

from sqlalchemy.orm import Session

from lokseva.db import session_scope
from lokseva.delivery import messaging, service
from lokseva.delivery.lifecycle import DeliveryAddress, DeliveryStatus
from lokseva.delivery.models import Delivery
from lokseva.money import format_rupees
from lokseva.payments import lifecycle as payment_lifecycle
from lokseva.payments import purposes
from lokseva.payments import service as ledger
from lokseva.payments.common import CHAT_POLICY, engine, gateway, link_lifetime
from lokseva.payments.links import ensure_link
from lokseva.payments.models import Payment

log = logging.getLogger(__name__)

CALLBACK_PATH = "/delivery/paid"


@dataclass(frozen=True)
class FeeLink:
    """The postage fee's link while it can be paid."""

    url: str
    expires_at: dt.datetime


def ask_for_fee(session: Session, application, delivery: Delivery) -> int:
    """The postage payment of a new delivery, written in the same unit of work
    (no delivery waits for a fee the ledger does not know). Returns its id."""
    payment = ledger.new_postage(
        session,
        application,
        delivery.id,
        delivery.fee_paise,
        gateway().name,
        service.now_utc() + link_lifetime(),
        source="chat",
    )
    return payment.id


def make_link(payment_id: int) -> Optional[str]:
    """The fee's link, made at the gateway now (the chat waits at most ~12 s);
    None if it could not be made yet (the reconciliation makes it and the
    citizen gets it then: on_link)."""
    outcome = ensure_link(payment_id, source="chat", policy=CHAT_POLICY, notify=False)
    if outcome.status != "open":
        return None
    with session_scope(engine()) as session:
        return session.get(Payment, payment_id).link_url


def open_link(session: Session, delivery: Delivery) -> Optional[FeeLink]:
    """The link of the delivery's fee if it can still be paid."""
    payment = ledger.unsettled_for(session, purposes.POSTAGE, delivery.id)
    if payment is None or payment.status != payment_lifecycle.OPEN or not payment.link_url:
        return None
    expires = service.aware(payment.expires_at)
    if expires <= service.now_utc():
        return None
    return FeeLink(payment.link_url, expires)


# ------------------------------------------------------------ the ledger's calls


def _captured(session: Session, payment: Payment, source: str) -> bool:
    delivery = service.lock(session, payment.subject_id)
    if delivery.status != DeliveryStatus.PAYMENT_PENDING.value:
        log.error(
            "postage %s on %s must be refunded: delivery is %s",
            payment.gateway_payment_id,
            payment.reference,
            delivery.status,
        )
        return False
    service.move(
        session,
        delivery,
        DeliveryStatus.REQUESTED,
        by="payments",
        note=f"fee {format_rupees(payment.amount_paise)} paid ({payment.gateway_payment_id}, {source})",
    )
    citizen = delivery.application.citizen
    language = citizen.language
    text = messaging.text(
        "requested",
        language,
        paid=messaging.text("paid", language, fee=format_rupees(payment.amount_paise)),
        number=delivery.certificate.number,
    )
    messaging.delivery_step(session, citizen, delivery.application.reference, text, language)
    return True


def _closed(session: Session, payment: Payment, status: str, source: str) -> None:
    delivery = service.lock(session, payment.subject_id)
    if delivery.status != DeliveryStatus.PAYMENT_PENDING.value:
        return
    service.move(session, delivery, DeliveryStatus.CANCELLED, by=source, note=f"payment link {status}")
    citizen = delivery.application.citizen
    messaging.delivery_step(
        session,
        citizen,
        delivery.application.reference,
        messaging.text("cancelled_unpaid", citizen.language),
        citizen.language,
    )


def _link_text(session: Session, payment: Payment) -> purposes.LinkText:
    delivery = session.get(Delivery, payment.subject_id)
    return purposes.LinkText(
        description=f"प्रमाण पत्र की डाक फीस / Postage for certificate {delivery.certificate.number}",
        callback_path=CALLBACK_PATH,
        notes={
            "purpose": "home_delivery",
            "application": delivery.application.reference,
            "certificate": delivery.certificate.number,
        },
    )


def _link_made_late(session: Session, payment: Payment) -> None:
    delivery = session.get(Delivery, payment.subject_id)
    if delivery is None or delivery.status != DeliveryStatus.PAYMENT_PENDING.value:
        return
    citizen = delivery.application.citizen
    address = DeliveryAddress(delivery.village, delivery.tehsil, delivery.pin, delivery.landmark)
    text = messaging.text(
        "payment_pending",
        citizen.language,
        address=address.one_line(),
        fee=format_rupees(payment.amount_paise),
        link=payment.link_url,
    )
    messaging.delivery_step(session, citizen, delivery.application.reference, text, citizen.language)


purposes.register(
    purposes.FeeOwner(
        purpose=purposes.POSTAGE,
        on_captured=_captured,
        on_closed=_closed,
        link_text=_link_text,
        on_link=_link_made_late,
    )
)
