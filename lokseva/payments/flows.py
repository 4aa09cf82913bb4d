"""Multi-step payment work: send a link, record what the gateway says, tell the
citizen. Each database step is one unit of work; gateway calls happen between
them, never while a row is locked.

Money is recorded only from the gateway's word: a signed webhook or an
authenticated fetch of the link (reconciliation, the page after paying, a chat
message). The browser's redirect alone never marks anything paid.

How nothing is lost or counted twice:
- the payment row (status pending) is committed before the gateway is asked
  for a link, with a reference unique per link; a link created at the gateway
  whose answer was lost is found again by that reference;
- capture is recorded under a lock on the application row, the gateway's
  payment id is unique, and an application has at most one paid payment
  (partial unique index): the same webhook twice, or a webhook racing the
  reconciliation, records one payment and one receipt;
- what the citizen must be told is written as a notice in the same transaction
  as the change, then sent; unsent notices are retried by the reconciliation.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokseva.applications import service as applications
from lokseva.applications.lifecycle import Status
from lokseva.db import session_scope
from lokseva.payments import faq, lifecycle, messaging, service, signatures
from lokseva.payments.fees import CURRENCY, rupees_text
from lokseva.payments.gateway import (
    CALLBACK_PATH, GatewayError, GatewayRejected, GatewayUnavailable, LinkRequest, RazorpayPaymentLinks,
    WebhookEvent, gateway_from_settings,
)
from lokseva.payments.http import RetryPolicy
from lokseva.payments.messaging import Reply
from lokseva.payments.models import Payment, PaymentNotice
from lokseva.settings import get_settings

log = logging.getLogger(__name__)

# A citizen waits for the answer in the chat: a few quick tries, then "we'll send it".
CHAT_POLICY = RetryPolicy(max_attempts=3, base_delay=0.5, max_delay=2.0, deadline=12.0, read_timeout=5.0)
# Jobs and webhooks can be more patient.
JOB_POLICY = RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=8.0, deadline=30.0, read_timeout=10.0)
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


def _engine():
    # The applications capability brings the database to the newest migration
    # on first use in a process; payments use the same engine.
    return applications.engine()


@dataclass(frozen=True)
class Outcome:
    """What happened; `status` is one short word the webhook answers with."""

    status: str
    payment_id: Optional[int] = None
    detail: str = ""


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
        return cls(payment.id, payment.reference, payment.status, payment.amount_paise,
                   payment.gateway_link_id, payment.link_url, service.aware(payment.expires_at))


# =============================================================== the chat

def pay_from_chat(channel_user_id: str, reference: Optional[str], language: str, text: str = "") -> List[Reply]:
    """The answer to "I want to pay" (intent pay_fee), with or without an
    application id, and to questions on how to pay."""
    topic = faq.payment_question(text)
    replies: List[Reply] = [Reply(faq.answer(topic, language))] if topic else []
    if topic == "deducted":
        # "Money was taken but…": ask the gateway now instead of waiting for the job.
        for payment_id in _open_payments_of(channel_user_id):
            sync_payment(payment_id, source="chat")
    if reference:
        return replies + offer_payment(channel_user_id, reference, language)
    with session_scope(_engine()) as session:
        waiting = [
            (a.reference, _service_name(a.service_id, language), a.fee_due_paise)
            for a in service.awaiting_fee(session, channel_user_id)
        ]
    if not waiting:
        return replies + [messaging.nothing_to_pay(language)]
    if len(waiting) > 1:
        return replies + [messaging.choose_application(waiting, language)]
    return replies + offer_payment(channel_user_id, waiting[0][0], language)


def offer_after_submission(channel_user_id: str, reference: Optional[str], language: str) -> List[Reply]:
    """The payment link right after the receipt (पावती); nothing if no fee is due."""
    if not reference:
        return []
    with session_scope(_engine()) as session:
        application = applications.find_for_citizen(session, reference, channel_user_id)
        if application is None or application.status != Status.FEE_PENDING.value:
            return []
    return offer_payment(channel_user_id, reference, language)


def offer_payment(channel_user_id: str, reference: str, language: str) -> List[Reply]:
    """Sends the payment link of the citizen's application `reference`: the open
    one if still good, else a new one; or says why there is nothing to pay."""
    for _ in range(4):   # each round settles one thing (a stale link, a race) and looks again
        now = service.now_utc()
        with session_scope(_engine()) as session:
            application = applications.find_for_citizen(session, reference, channel_user_id)
            if application is None:
                return [messaging.not_found(reference, language)]
            application = service.lock_application(session, application.id)
            refusal = _not_payable(session, application, language)
            if refusal is not None:
                return [refusal]
            fee = service.application_fee(application)
            current = service.unsettled_payment(session, application.id, lock=True)
            if current is None:
                try:
                    current = service.new_payment(
                        session, application, fee, gateway().name, now + _expiry(), source="chat"
                    )
                except IntegrityError:
                    continue   # another process created one a moment ago: use that one
            view = PaymentView.of(current)
            stale = view.amount_paise != fee.total_paise or view.expires_at - now < RESEND_MIN_LEFT

        if view.status == lifecycle.OPEN:
            outcome = sync_payment(view.id, source="chat", replace=False, policy=CHAT_POLICY)
            if outcome.status in ("paid", "duplicate", "refund_due"):
                deliver_notices(view.id)
                continue   # the next round answers "already paid"
            if outcome.status in ("expired", "cancelled"):
                continue   # the next round makes a new link
            if not stale:
                return [_link_reply(view.id, language)]
            _cancel_stale(view)
            continue

        outcome = ensure_link(view.id, source="chat", policy=CHAT_POLICY, notify=False)
        if outcome.status == "open":
            return [_link_reply(view.id, language)]
        if outcome.status == "unavailable":
            return [messaging.link_delayed(reference, language)]
        if outcome.status != "settled":
            return [messaging.gateway_down(language)]
    return [messaging.gateway_down(language)]


def _not_payable(session: Session, application, language: str) -> Optional[Reply]:
    paid = service.paid_payment(session, application.id)
    if paid is not None:
        return messaging.already_paid(application.reference, paid.amount_paise, service.aware(paid.paid_at), language)
    status = application.status
    if status == Status.DRAFT.value:
        return messaging.not_payable(application.reference or "", "draft", language)
    if status == Status.REJECTED.value:
        return messaging.not_payable(application.reference, "closed", language)
    if status not in (Status.FEE_PENDING.value, Status.SUBMITTED.value):
        if application.fee_due_paise:
            # Paid another way (at the Kendra): the office moved it on.
            return messaging.already_paid(application.reference, application.fee_due_paise, None, language)
        return messaging.not_payable(application.reference, "free", language)
    fee = service.application_fee(application)
    if not fee.payable:
        return messaging.not_payable(application.reference, "free", language)
    if fee.total_paise != application.fee_due_paise:
        # Never charge an amount we cannot explain line by line.
        log.error("application %s: fee lines %d != fee due %d paise; no link made",
                  application.reference, fee.total_paise, application.fee_due_paise)
        return messaging.gateway_down(language)
    return None


def _open_payments_of(channel_user_id: str) -> List[int]:
    with session_scope(_engine()) as session:
        ids = []
        for application in service.awaiting_fee(session, channel_user_id):
            current = service.unsettled_payment(session, application.id)
            if current is not None and current.status == lifecycle.OPEN:
                ids.append(current.id)
        return ids


def _cancel_stale(view: PaymentView) -> None:
    """Cancels an open link before a new one is made, so that the citizen never
    holds two payable links for one application."""
    try:
        gateway().cancel_link(view.link_id, policy=CHAT_POLICY)
    except GatewayRejected:
        # Not cancellable: it was paid or expired meanwhile; the sync records which.
        sync_payment(view.id, source="chat", replace=False, policy=CHAT_POLICY)
        return
    except GatewayError:
        log.warning("could not cancel stale link %s", view.link_id)
        return
    close_link(view.link_id, "cancelled", source="chat", replace=False, note="replaced by a new link")


def _expiry() -> dt.timedelta:
    return dt.timedelta(minutes=get_settings().payment_link_expiry_minutes)


# =============================================================== links at the gateway

def ensure_link(payment_id: int, source: str, policy: RetryPolicy = JOB_POLICY, notify: bool = True) -> Outcome:
    """Creates the gateway link of a pending payment (pending -> open).

    "open": the link exists (a notice "link" was added if notify);
    "unavailable": the gateway did not answer, the payment stays pending;
    "rejected": the gateway refused it, the payment is cancelled;
    "settled": the payment is no longer pending (someone else handled it)."""
    settings = get_settings()
    with session_scope(_engine()) as session:
        payment = session.get(Payment, payment_id)
        if payment is None or payment.status != lifecycle.PENDING:
            return Outcome("settled", payment_id)
        application = payment.application
        expire_by = service.aware(payment.expires_at)
        if expire_by - service.now_utc() < dt.timedelta(minutes=16):
            # Razorpay wants at least 15 minutes; a long-delayed pending link gets a new deadline.
            expire_by = service.now_utc() + _expiry()
            payment.expires_at = expire_by
        request = LinkRequest(
            reference_id=payment.reference,
            amount_paise=payment.amount_paise,
            description=f"{_service_name(application.service_id, 'en')} {application.reference} / "
                        f"{_service_name(application.service_id, 'hi')}",
            expire_by=int(expire_by.timestamp()),
            callback_url=settings.public_url.rstrip("/") + CALLBACK_PATH,
            notes={"application_id": application.reference, "service": application.service_id},
        )
    try:
        link = gateway().create_link(request, policy=policy)
    except GatewayUnavailable as error:
        log.warning("payment %s: no link yet (%s); the reconciliation will retry", request.reference_id, error)
        return Outcome("unavailable", payment_id, str(error))
    except GatewayRejected as error:
        log.error("payment %s: the gateway refused the link: %s", request.reference_id, error)
        with session_scope(_engine()) as session:
            payment = session.get(Payment, payment_id)
            service.lock_application(session, payment.application_id)
            payment = service.relock(session, payment)
            if payment.status == lifecycle.PENDING:
                service.move(session, payment, lifecycle.CANCELLED, source, note=f"gateway refused: {error}")
        return Outcome("rejected", payment_id, str(error))

    with session_scope(_engine()) as session:
        payment = session.get(Payment, payment_id)
        service.lock_application(session, payment.application_id)
        payment = service.relock(session, payment)
        if payment.status != lifecycle.PENDING:
            return Outcome("settled", payment_id)
        if link.amount_paise != payment.amount_paise or link.currency != CURRENCY:
            log.error("payment %s: the gateway made a link for %s %s", payment.reference, link.amount_paise, link.currency)
            service.move(session, payment, lifecycle.CANCELLED, source, note="link amount differs")
            return Outcome("rejected", payment_id, "link amount differs")
        payment.gateway_link_id = link.id
        payment.gateway_order_id = link.order_id
        payment.link_url = link.short_url
        if link.expire_by:
            payment.expires_at = dt.datetime.fromtimestamp(link.expire_by, dt.timezone.utc)
        service.move(session, payment, lifecycle.OPEN, source, note=f"link {link.id}", gateway_ref=link.id)
        if notify:
            service.add_notice(session, payment, "link")
    if notify:
        deliver_notices(payment_id)
    return Outcome("open", payment_id)


def sync_payment(payment_id: int, source: str, replace: bool = True, policy: RetryPolicy = JOB_POLICY) -> Outcome:
    """Asks the gateway about an open link and records what it says."""
    with session_scope(_engine()) as session:
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
            link_id=link.id, reference=link.reference_id, link_amount=link.amount_paise,
            payment_id=captured.payment_id, amount=captured.amount_paise, currency=captured.currency,
            method=captured.method, source=source,
        )
    if link.status in ("expired", "cancelled"):
        return close_link(link.id, link.status, source=source, replace=replace)
    return Outcome("still_open", payment_id)


def sync_link(link_id: str, source: str) -> Outcome:
    with session_scope(_engine()) as session:
        payment = service.find_payment(session, link_id=link_id)
        if payment is None:
            return Outcome("unknown")
        payment_id = payment.id
    outcome = sync_payment(payment_id, source=source)
    deliver_notices(payment_id)
    return outcome


# =============================================================== what the gateway tells us

def handle_webhook(event: WebhookEvent) -> Outcome:
    """A webhook whose signature was verified. Unknown events are acknowledged."""
    link, payment = event.link or {}, event.payment or {}
    if event.event == "payment_link.paid":
        if payment.get("status") != "captured":
            log.warning("payment_link.paid with payment status %r; left to the reconciliation", payment.get("status"))
            return Outcome("ignored")
        return record_capture(
            link_id=link.get("id"), reference=link.get("reference_id"), link_amount=link.get("amount"),
            payment_id=payment.get("id"), amount=payment.get("amount"), currency=payment.get("currency"),
            method=payment.get("method"), source="webhook", amount_paid=link.get("amount_paid"),
            event_id=event.event_id,
        )
    if event.event in ("payment_link.expired", "payment_link.cancelled"):
        return close_link(link.get("id"), event.event.split(".")[1], source="webhook", replace=True)
    if event.event == "payment.failed":
        return record_failed_attempt(
            payment.get("order_id"), payment.get("id"), payment.get("error_description") or "", payment.get("method"),
        )
    return Outcome("ignored")


def _whole(value) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def record_capture(
    link_id: Optional[str], reference: Optional[str], link_amount, payment_id: Optional[str], amount,
    currency: Optional[str], method: Optional[str], source: str, amount_paid=None, event_id: Optional[str] = None,
) -> Outcome:
    """Records money the gateway captured on one of our links, exactly once."""
    if not payment_id or not (link_id or reference):
        return Outcome("malformed")
    with session_scope(_engine()) as session:
        payment = service.find_payment(session, link_id=link_id, reference=reference)
        if payment is None:
            log.warning("captured payment %s for a link we do not know (%s, %s)", payment_id, link_id, reference)
            return Outcome("unknown")
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
            service.add_event(session, payment, "refused", source, note=note,
                              gateway_ref=event_id or f"{payment_id}:{source}")
            return Outcome("refused", payment.id, note)

        if payment.status == lifecycle.PENDING:
            # The answer to our create was lost but the citizen paid: the link is ours.
            payment.gateway_link_id = payment.gateway_link_id or link_id
            service.move(session, payment, lifecycle.OPEN, source, note="link found by its payment")
        payment.gateway_payment_id = payment_id
        payment.method = method
        payment.paid_at = service.now_utc()
        already = service.paid_payment(session, application.id)
        payable = application.status in (Status.FEE_PENDING.value, Status.SUBMITTED.value)
        if already is not None or not payable:
            why = f"application already paid by {already.reference}" if already else f"application is {application.status}"
            service.move(session, payment, lifecycle.REFUND_DUE, source, note=why, gateway_ref=payment_id)
            service.add_notice(session, payment, "refund_due")
            log.error("payment %s on %s must be refunded: %s", payment_id, payment.reference, why)
            outcome = Outcome("refund_due", payment.id, why)
        else:
            service.move(session, payment, lifecycle.PAID, source,
                         note=f"{rupees_text(payment.amount_paise)} by {method or '?'}", gateway_ref=payment_id)
            if application.status == Status.SUBMITTED.value:
                applications.change_status(session, application, Status.FEE_PENDING, by="payments", reason="fee due")
            applications.change_status(
                session, application, Status.PAID, by="payments",
                reason=f"fee {rupees_text(payment.amount_paise)} paid ({payment.reference}, {payment_id})",
            )
            service.add_notice(session, payment, "receipt")
            log.info("payment %s recorded for %s (%s)", payment_id, application.reference, source)
            outcome = Outcome("paid", payment.id)
    return outcome


def close_link(link_id: Optional[str], status: str, source: str, replace: bool, note: str = "") -> Outcome:
    """A link expired or was cancelled. With `replace`, an application still
    waiting for its fee gets a new link (up to MAX_AUTOMATIC_LINKS)."""
    target = lifecycle.EXPIRED if status == "expired" else lifecycle.CANCELLED
    new_payment_id = None
    with session_scope(_engine()) as session:
        payment = service.find_payment(session, link_id=link_id)
        if payment is None:
            return Outcome("unknown")
        application = service.lock_application(session, payment.application_id)
        payment = service.relock(session, payment)
        if payment.status != lifecycle.OPEN:
            return Outcome("duplicate" if payment.status == target else payment.status, payment.id)
        service.move(session, payment, target, source, note=note, gateway_ref=f"{link_id}:{target}")
        outcome = Outcome(target, payment.id)
        if (
            replace and target == lifecycle.EXPIRED
            and application.status == Status.FEE_PENDING.value
            and service.paid_payment(session, application.id) is None
            and service.unsettled_payment(session, application.id) is None
        ):
            if payment.attempt >= MAX_AUTOMATIC_LINKS:
                service.add_notice(session, payment, "expired_final")
            else:
                fee = service.application_fee(application)
                if fee.payable and fee.total_paise == application.fee_due_paise:
                    new = service.new_payment(session, application, fee, gateway().name,
                                              service.now_utc() + _expiry(), source, note=f"replaces {payment.reference}")
                    new_payment_id = new.id
    if new_payment_id is not None:
        ensure_link(new_payment_id, source)     # sends the new link (or the job will)
    else:
        deliver_notices(outcome.payment_id)
    return outcome


def record_failed_attempt(order_id: Optional[str], gateway_payment_id: Optional[str], description: str,
                          method: Optional[str]) -> Outcome:
    """A payment attempt failed (the link stays payable): tell the citizen once."""
    if not order_id or not gateway_payment_id:
        return Outcome("malformed")
    with session_scope(_engine()) as session:
        payment = service.find_payment(session, order_id=order_id)
        if payment is None:
            return Outcome("unknown")
        service.lock_application(session, payment.application_id)
        payment = service.relock(session, payment)
        first = service.add_event(session, payment, "attempt_failed", "webhook",
                                  note=f"{method or '?'}: {description}", gateway_ref=gateway_payment_id)
        if not first:
            return Outcome("duplicate", payment.id)
        if payment.status == lifecycle.OPEN:
            service.add_notice(session, payment, f"attempt_failed:{gateway_payment_id}"[:64])
        payment_id = payment.id
    deliver_notices(payment_id)
    return Outcome("attempt_failed", payment_id)


# =============================================================== telling the citizen

def deliver_notices(payment_id: Optional[int] = None) -> int:
    """Sends the notices not sent yet (of one payment, or all); returns how many went."""
    with session_scope(_engine()) as session:
        ids = service.unsent_notice_ids(session, payment_id)
    sent = 0
    for notice_id in ids:
        now = service.now_utc()
        with session_scope(_engine()) as session:
            if not service.claim_notice(session, notice_id, now, NOTICE_LEASE):
                continue
            notice = session.get(PaymentNotice, notice_id)
            message = _notice_message(session, notice)
            if message is None:   # no longer true (e.g. a link paid before its notice went)
                notice.sent_at = now
                notice.last_error = "obsolete"
                continue
        conversation_id, reply, language = message
        try:
            ok = messaging.notify_citizen(conversation_id, reply, language)
            error = None if ok else "the channel did not take it"
        except Exception as exc:  # the channel is down: the job tries again
            log.exception("notice %s not sent", notice_id)
            ok, error = False, f"{type(exc).__name__}: {exc}"
        with session_scope(_engine()) as session:
            notice = session.get(PaymentNotice, notice_id)
            if ok:
                notice.sent_at = service.now_utc()
                notice.last_error = None
                service.add_event(session, notice.payment, "notified", "system", note=notice.kind)
                sent += 1
            else:
                notice.last_error = error
                # Let the next run retry, a little later each time.
                notice.claimed_until = service.now_utc() + min(NOTICE_LEASE * notice.attempts, dt.timedelta(minutes=30))
    return sent


def _notice_message(session: Session, notice: PaymentNotice) -> Optional[Tuple[str, Reply, str]]:
    payment = notice.payment
    application = payment.application
    citizen = application.citizen
    language = citizen.language or application.language or "hi"
    kind = notice.kind
    if kind == "receipt":
        reply = messaging.paid_receipt(application.reference, payment.amount_paise, receipt_url(payment.reference), language)
    elif kind == "refund_due":
        reply = messaging.refund_due(application.reference, payment.amount_paise, language)
    elif kind == "link":
        if payment.status != lifecycle.OPEN:
            return None
        replaced = _replaced_expired(session, payment)
        reply = messaging.payment_link(
            application.reference, _service_name(application.service_id, language), service.fee_of_payment(payment),
            payment.link_url, service.aware(payment.expires_at), language, replacing_expired=replaced,
        )
    elif kind.startswith("attempt_failed:"):
        if payment.status != lifecycle.OPEN:
            return None
        reply = messaging.payment_failed(application.reference, payment.link_url, language)
    elif kind == "expired_final":
        if application.status != Status.FEE_PENDING.value:
            return None
        reply = messaging.link_expired_final(application.reference, language)
    else:
        log.error("unknown notice kind %r", kind)
        return None
    return citizen.channel_user_id, reply, language


def _replaced_expired(session: Session, payment: Payment) -> bool:
    earlier = [p for p in service.payments_of(session, payment.application_id) if p.attempt < payment.attempt]
    return bool(earlier) and earlier[-1].status == lifecycle.EXPIRED


def _link_reply(payment_id: int, language: str) -> Reply:
    with session_scope(_engine()) as session:
        payment = session.get(Payment, payment_id)
        application = payment.application
        return messaging.payment_link(
            application.reference, _service_name(application.service_id, language), service.fee_of_payment(payment),
            payment.link_url, service.aware(payment.expires_at), language,
            replacing_expired=_replaced_expired(session, payment),
        )


def receipt_url(reference: str) -> str:
    settings = get_settings()
    expires = int(time.time() + RECEIPT_URL_LIFETIME.total_seconds())
    token = signatures.receipt_token(reference, expires, settings.signing_key)
    return f"{settings.public_url.rstrip('/')}/payments/receipts/{reference}.pdf?exp={expires}&sig={token}"


def receipt_pdf(reference: str) -> Optional[bytes]:
    """The receipt PDF of a paid payment (made on request: a few hundred ms)."""
    from lokseva.districts import current_district
    from lokseva.payments.messaging import FEE_LABELS
    from lokseva.payments.receipt_pdf import ReceiptData, render_receipt

    with session_scope(_engine()) as session:
        payment = service.find_payment(session, reference=reference)
        if payment is None or payment.status != lifecycle.PAID:
            return None
        application = payment.application
        district = current_district()
        data = ReceiptData(
            receipt_number=payment.reference,
            application_id=application.reference,
            service_name_hi=_service_name(application.service_id, "hi"),
            service_name_en=_service_name(application.service_id, "en"),
            applicant_name=application.applicant_name or "",
            lines=[(*FEE_LABELS[line.kind], line.paise) for line in service.fee_of_payment(payment).lines],
            total_paise=payment.amount_paise,
            method=payment.method or "",
            gateway_payment_id=payment.gateway_payment_id or "",
            paid_at=service.aware(payment.paid_at),
            office_hi=district.lok_seva_kendra["hi"],
            office_en=district.lok_seva_kendra["en"],
        )
    return render_receipt(data)


@functools.lru_cache(maxsize=None)
def _catalogue():
    from lokseva.catalogue import load_catalogue

    return load_catalogue()


def _service_name(service_id: str, language: str) -> str:
    found = _catalogue().get(service_id)
    if found is None:
        return service_id
    return found.name.get(language) or found.name["hi"]


# =============================================================== reconciliation

def reconcile(pending_grace: dt.timedelta = PENDING_GRACE) -> Dict[str, int]:
    """Asks the gateway about every open link and records what it says, makes the
    links that could not be made, and sends the notices not sent. Safe to run
    at the same time as webhooks and as another reconciliation."""
    counts: Dict[str, int] = {}

    def count(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    with session_scope(_engine()) as session:
        open_ids = service.open_payment_ids(session)
        pending_ids = service.pending_payment_ids(session, service.now_utc() - pending_grace)
    for payment_id in open_ids:
        try:
            count(sync_payment(payment_id, source="reconcile").status)
        except Exception:
            log.exception("reconciliation of payment %s failed", payment_id)
            count("error")
    for payment_id in pending_ids:
        try:
            count("link_" + ensure_link(payment_id, source="reconcile").status)
        except Exception:
            log.exception("link for payment %s failed", payment_id)
            count("error")
    counts["notices_sent"] = deliver_notices()
    return counts
