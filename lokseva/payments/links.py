"""Creating a payment's link at the gateway (pending -> open), for any purpose:
an application fee's page names the service; another purpose's owner says
what its page shows (purposes.FeeOwner.link_text)."""

from __future__ import annotations

import datetime as dt
import logging

from lokseva.db import session_scope
from lokseva.payments import lifecycle, notices, purposes, service
from lokseva.payments.common import JOB_POLICY, Outcome, engine, gateway, link_lifetime, owner_of, service_name
from lokseva.payments.fees import CURRENCY
from lokseva.payments.gateway import CALLBACK_PATH, GatewayRejected, GatewayUnavailable, LinkRequest
from lokseva.payments.http import RetryPolicy
from lokseva.payments.models import Payment
from lokseva.settings import get_settings

log = logging.getLogger(__name__)


def ensure_link(payment_id: int, source: str, policy: RetryPolicy = JOB_POLICY, notify: bool = True) -> Outcome:
    """Creates the gateway link of a pending payment (pending -> open).

    "open": the link exists (with notify, its message is written for the citizen);
    "unavailable": the gateway did not answer, the payment stays pending;
    "rejected": the gateway refused it, the payment is cancelled;
    "settled": the payment is no longer pending (someone else handled it);
    "no_owner": a purpose no capability of this process owns (left pending)."""
    settings = get_settings()
    with session_scope(engine()) as session:
        payment = session.get(Payment, payment_id)
        if payment is None or payment.status != lifecycle.PENDING:
            return Outcome("settled", payment_id)
        try:
            owner = owner_of(payment)
        except purposes.NoOwner:
            return Outcome("no_owner", payment_id)
        application = payment.application
        expire_by = service.aware(payment.expires_at)
        if expire_by - service.now_utc() < dt.timedelta(minutes=16):
            # Razorpay wants at least 15 minutes; a long-delayed pending link gets a new deadline.
            expire_by = service.now_utc() + link_lifetime()
            payment.expires_at = expire_by
        if owner is None:
            text = purposes.LinkText(
                description=f"{service_name(application.service_id, 'en')} {application.reference} / "
                f"{service_name(application.service_id, 'hi')}",
                callback_path=CALLBACK_PATH,
                notes={"application_id": application.reference, "service": application.service_id},
            )
        else:
            text = owner.link_text(session, payment)
        request = LinkRequest(
            reference_id=payment.reference,
            amount_paise=payment.amount_paise,
            description=text.description,
            expire_by=int(expire_by.timestamp()),
            callback_url=settings.public_url.rstrip("/") + text.callback_path,
            notes=text.notes,
        )
    try:
        link = gateway().create_link(request, policy=policy)
    except GatewayUnavailable as error:
        log.warning("payment %s: no link yet (%s); the reconciliation will retry", request.reference_id, error)
        return Outcome("unavailable", payment_id, str(error))
    except GatewayRejected as error:
        log.error("payment %s: the gateway refused the link: %s", request.reference_id, error)
        with session_scope(engine()) as session:
            payment = session.get(Payment, payment_id)
            service.lock_application(session, payment.application_id)
            payment = service.relock(session, payment)
            if payment.status == lifecycle.PENDING:
                service.move(session, payment, lifecycle.CANCELLED, source, note=f"gateway refused: {error}")
                if owner is not None:
                    owner.on_closed(session, payment, "cancelled", source)
        return Outcome("rejected", payment_id, str(error))

    with session_scope(engine()) as session:
        payment = session.get(Payment, payment_id)
        service.lock_application(session, payment.application_id)
        payment = service.relock(session, payment)
        if payment.status != lifecycle.PENDING:
            return Outcome("settled", payment_id)
        if link.amount_paise != payment.amount_paise or link.currency != CURRENCY:
            log.error(
                "payment %s: the gateway made a link for %s %s", payment.reference, link.amount_paise, link.currency
            )
            service.move(session, payment, lifecycle.CANCELLED, source, note="link amount differs")
            if owner is not None:
                owner.on_closed(session, payment, "cancelled", source)
            return Outcome("rejected", payment_id, "link amount differs")
        payment.gateway_link_id = link.id
        payment.gateway_order_id = link.order_id
        payment.link_url = link.short_url
        if link.expire_by:
            payment.expires_at = dt.datetime.fromtimestamp(link.expire_by, dt.timezone.utc)
        service.move(session, payment, lifecycle.OPEN, source, note=f"link {link.id}", gateway_ref=link.id)
        if notify and owner is None:
            notices.owe(session, payment, "link")
        elif notify and owner is not None and owner.on_link is not None:
            owner.on_link(session, payment)
    return Outcome("open", payment_id)
