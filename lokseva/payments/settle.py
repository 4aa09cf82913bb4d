"""Recording what the gateway says: a signed webhook, or its answer when we ask
about a link (reconciliation, the page after paying, the chat). Money is
recorded only from the gateway's word, exactly once:

- capture happens under a lock on the application row (lock order everywhere:
  application, then payment), so a webhook delivered twice, or racing the
  reconciliation, finds the payment already recorded and does nothing;
- the gateway payment id is unique and an application has at most one paid
  payment (database constraints), whatever the code does;
- anything that does not match what we asked for (amount, currency, reference,
  link) is refused, logged and kept in the payment's history for staff;
- money for an application (or another subject) that no longer needs it is
  marked refund_due.

Every fee is recorded here, whatever it is for (purposes.py): an application
fee moves its application to paid; for another purpose (the postage of a home
delivery) the capability that owns it reacts in the same unit of work
(purposes.FeeOwner), so the fee and its subject change together, once.
"""

from __future__ import annotations

import logging
from typing import Optional

from lokseva.applications import service as applications
from lokseva.applications.lifecycle import Status
from lokseva.db import session_scope
from lokseva.money import format_rupees
from lokseva.payments import lifecycle, purposes, service
from lokseva.payments.common import JOB_POLICY, MAX_AUTOMATIC_LINKS, Outcome, engine, gateway, link_lifetime, owner_of
from lokseva.payments.fees import CURRENCY
from lokseva.payments.gateway import GatewayError, WebhookEvent
from lokseva.payments.http import RetryPolicy
from lokseva.payments.links import ensure_link
from lokseva.payments.models import Payment
from lokseva.payments import notices

log = logging.getLogger(__name__)


def handle_webhook(event: WebhookEvent) -> Outcome:
    """A webhook whose signature was verified. Unknown events are acknowledged."""
    link, payment = event.link or {}, event.payment or {}
    if event.event == "payment_link.paid":
        if payment.get("status") != "captured":
            log.warning("payment_link.paid with payment status %r; left to the reconciliation", payment.get("status"))
            return Outcome("ignored")
        return record_capture(
            link_id=link.get("id"),
            reference=link.get("reference_id"),
            link_amount=link.get("amount"),
            payment_id=payment.get("id"),
            amount=payment.get("amount"),
            currency=payment.get("currency"),
            method=payment.get("method"),
            source="webhook",
            amount_paid=link.get("amount_paid"),
            event_id=event.event_id,
        )
    if event.event in ("payment_link.expired", "payment_link.cancelled"):
        return close_link(link.get("id"), event.event.split(".")[1], source="webhook", replace=True)
    if event.event == "payment.failed":
        return record_failed_attempt(
            payment.get("order_id"),
            payment.get("id"),
            payment.get("error_description") or "",
            payment.get("method"),
        )
    return Outcome("ignored")


def _whole(value) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def record_capture(
    link_id: Optional[str],
    reference: Optional[str],
    link_amount,
    payment_id: Optional[str],
    amount,
    currency: Optional[str],
    method: Optional[str],
    source: str,
    amount_paid=None,
    event_id: Optional[str] = None,
) -> Outcome:
    """Records money the gateway captured on one of our links, exactly once."""
    if not payment_id or not (link_id or reference):
        return Outcome("malformed")
    with session_scope(engine()) as session:
        payment = service.find_payment(session, link_id=link_id, reference=reference)
        if payment is None:
            log.warning("captured payment %s for a link we do not know (%s, %s)", payment_id, link_id, reference)
            return Outcome("unknown")
        try:
            owner = owner_of(payment)
        except purposes.NoOwner:
            return Outcome("no_owner", payment.id)
        application = service.lock_application(session, payment.application_id)
        payment = service.relock(session, payment)
        if payment.gateway_payment_id == payment_id:
            return Outcome("duplicate", payment.id)
        problems = []
        if _whole(amount) != payment.amount_paise:
            problems.append(f"payment amount {amount!r} != {payment.amount_paise}")
        if link_amount is not None and _whole(link_amount) != payment.amount_paise:
            problems.append(f"link amount {link_amount!r} != {payment.amount_paise}")
        if amount_paid is not None and _whole(amount_paid) != payment.amount_paise:
            problems.append(f"amount paid {amount_paid!r} != {payment.amount_paise}")
        if currency != CURRENCY:
            problems.append(f"currency {currency!r}")
        if reference and reference != payment.reference:
            problems.append(f"reference {reference!r} != {payment.reference}")
        if link_id and payment.gateway_link_id and link_id != payment.gateway_link_id:
            problems.append(f"link {link_id!r} != {payment.gateway_link_id}")
        if payment.status in lifecycle.CAPTURED:
            problems.append(f"already captured as {payment.gateway_payment_id}")
        if problems:
            note = "; ".join(problems)
            log.error("REFUSED capture %s on %s (%s): %s", payment_id, payment.reference, source, note)
            service.add_event(
                session, payment, "refused", source, note=note, gateway_ref=event_id or f"{payment_id}:{source}"
            )
            return Outcome("refused", payment.id, note)

        if payment.status == lifecycle.PENDING:
            # The answer to our create was lost but the citizen paid: the link is ours.
            payment.gateway_link_id = payment.gateway_link_id or link_id
            service.move(session, payment, lifecycle.OPEN, source, note="link found by its payment")
        payment.gateway_payment_id = payment_id
        payment.method = method
        payment.paid_at = service.now_utc()
        if owner is not None:
            return _settle_owned(session, owner, payment, source)
        already = service.paid_payment(session, application.id)
        payable = application.status in (Status.FEE_PENDING.value, Status.SUBMITTED.value)
        if already is not None or not payable:
            why = (
                f"application already paid by {already.reference}"
                if already
                else f"application is {application.status}"
            )
            service.move(session, payment, lifecycle.REFUND_DUE, source, note=why, gateway_ref=payment_id)
            notices.owe(session, payment, "refund_due")
            log.error("payment %s on %s must be refunded: %s", payment_id, payment.reference, why)
            outcome = Outcome("refund_due", payment.id, why)
        else:
            service.move(
                session,
                payment,
                lifecycle.PAID,
                source,
                note=f"{format_rupees(payment.amount_paise)} by {method or '?'}",
                gateway_ref=payment_id,
            )
            if application.status == Status.SUBMITTED.value:
                applications.change_status(session, application, Status.FEE_PENDING, by="payments", reason="fee due")
            applications.change_status(
                session,
                application,
                Status.PAID,
                by="payments",
                reason=f"fee {format_rupees(payment.amount_paise)} paid ({payment.reference}, {payment_id})",
            )
            notices.owe(session, payment, "receipt")
            notices.withdraw_while_fee_pending(session, application.id)
            log.info("payment %s recorded for %s (%s)", payment_id, application.reference, source)
            outcome = Outcome("paid", payment.id)
    return outcome


def _settle_owned(session, owner: purposes.FeeOwner, payment: Payment, source: str) -> Outcome:
    """Captured money for a subject of another capability (a home delivery's
    postage): paid if the owner takes it, else refund_due for staff."""
    gateway_payment_id = payment.gateway_payment_id
    if owner.on_captured(session, payment, source):
        service.move(
            session,
            payment,
            lifecycle.PAID,
            source,
            note=f"{format_rupees(payment.amount_paise)} by {payment.method or '?'}",
            gateway_ref=gateway_payment_id,
        )
        log.info("%s payment %s recorded for %s (%s)", payment.purpose, gateway_payment_id, payment.reference, source)
        return Outcome("paid", payment.id)
    why = f"the {payment.purpose} is no longer wanted"
    service.move(session, payment, lifecycle.REFUND_DUE, source, note=why, gateway_ref=gateway_payment_id)
    log.error("payment %s on %s must be refunded: %s", gateway_payment_id, payment.reference, why)
    return Outcome("refund_due", payment.id, why)


def close_link(link_id: Optional[str], status: str, source: str, replace: bool, note: str = "") -> Outcome:
    """A link expired or was cancelled. With `replace`, an application still
    waiting for its fee gets a new link (up to MAX_AUTOMATIC_LINKS)."""
    target = lifecycle.EXPIRED if status == "expired" else lifecycle.CANCELLED
    new_payment_id = None
    with session_scope(engine()) as session:
        payment = service.find_payment(session, link_id=link_id)
        if payment is None:
            return Outcome("unknown")
        try:
            owner = owner_of(payment)
        except purposes.NoOwner:
            return Outcome("no_owner", payment.id)
        application = service.lock_application(session, payment.application_id)
        payment = service.relock(session, payment)
        if payment.status != lifecycle.OPEN:
            return Outcome("duplicate" if payment.status == target else payment.status, payment.id)
        service.move(session, payment, target, source, note=note, gateway_ref=f"{link_id}:{target}")
        if owner is not None:
            owner.on_closed(session, payment, status, source)
        elif (
            replace
            and target == lifecycle.EXPIRED
            and application.status == Status.FEE_PENDING.value
            and service.paid_payment(session, application.id) is None
            and service.unsettled_payment(session, application.id) is None
        ):
            if payment.attempt >= MAX_AUTOMATIC_LINKS:
                notices.owe(session, payment, "expired_final")
            else:
                fee = service.application_fee(application)
                if fee.payable and fee.total_paise == application.fee_due_paise:
                    new = service.new_payment(
                        session,
                        application,
                        fee,
                        gateway().name,
                        service.now_utc() + link_lifetime(),
                        source,
                        note=f"replaces {payment.reference}",
                    )
                    new_payment_id = new.id
    # The new link is made by the caller (after answering a webhook; the job
    # makes it if nobody does): Outcome.follow_up.
    return Outcome(target, payment.id, follow_up=new_payment_id)


def record_failed_attempt(
    order_id: Optional[str], gateway_payment_id: Optional[str], description: str, method: Optional[str]
) -> Outcome:
    """A payment attempt failed (the link stays payable): tell the citizen once."""
    if not order_id or not gateway_payment_id:
        return Outcome("malformed")
    with session_scope(engine()) as session:
        payment = service.find_payment(session, order_id=order_id)
        if payment is None:
            return Outcome("unknown")
        service.lock_application(session, payment.application_id)
        payment = service.relock(session, payment)
        first = service.add_event(
            session,
            payment,
            "attempt_failed",
            "webhook",
            note=f"{method or '?'}: {description}",
            gateway_ref=gateway_payment_id,
        )
        if not first:
            return Outcome("duplicate", payment.id)
        if payment.status == lifecycle.OPEN and payment.purpose == purposes.APPLICATION_FEE:
            notices.owe(session, payment, f"attempt_failed:{gateway_payment_id}"[:64])
        payment_id = payment.id
    return Outcome("attempt_failed", payment_id)


def sync_payment(payment_id: int, source: str, replace: bool = True, policy: RetryPolicy = JOB_POLICY) -> Outcome:
    """Asks the gateway about an open link and records what it says."""
    with session_scope(engine()) as session:
        payment = session.get(Payment, payment_id)
        if payment is None or payment.status != lifecycle.OPEN or not payment.gateway_link_id:
            return Outcome(payment.status if payment else "unknown", payment_id)
        link_id = payment.gateway_link_id
    try:
        link = gateway().fetch_link(link_id, policy=policy)
    except GatewayError as error:
        log.warning("could not fetch link %s: %s", link_id, error)
        return Outcome("unavailable", payment_id, str(error))
    captured = link.captured_payment
    if captured is not None:
        return record_capture(
            link_id=link.id,
            reference=link.reference_id,
            link_amount=link.amount_paise,
            payment_id=captured.payment_id,
            amount=captured.amount_paise,
            currency=captured.currency,
            method=captured.method,
            source=source,
        )
    if link.order_id:
        _learn_order_id(payment_id, link.order_id)
    if link.status in ("expired", "cancelled"):
        return close_link(link.id, link.status, source=source, replace=replace)
    return Outcome("still_open", payment_id)


def _learn_order_id(payment_id: int, order_id: str) -> None:
    """Razorpay may make a link's order only when it is first opened; failed
    attempts (payment.failed) name the order, so we keep it once we see it."""
    with session_scope(engine()) as session:
        payment = session.get(Payment, payment_id)
        if payment is not None and payment.gateway_order_id != order_id:
            payment.gateway_order_id = order_id


def follow_up(outcome: Outcome) -> None:
    """What an outcome leaves to do: make the replacement link (which writes its
    message). The messages it wrote are sent by the notification outbox."""
    if outcome.follow_up is not None:
        ensure_link(outcome.follow_up, source="system")


def sync_link(link_id: str, source: str) -> Outcome:
    with session_scope(engine()) as session:
        payment = service.find_payment(session, link_id=link_id)
        if payment is None:
            return Outcome("unknown")
        payment_id = payment.id
    outcome = sync_payment(payment_id, source=source)
    follow_up(outcome)
    return outcome
