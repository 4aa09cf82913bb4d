"""Paying from the chat: "fees bharni hai", with or without an application id,
questions on how to pay, and the link right after the receipt (पावती).

Each database step is one unit of work; the gateway is called between them,
never while a row is locked. The payment row (status pending) is committed
before the gateway is asked for its link, so that a link whose answer was lost
is found again by its reference (by the chat's retries or by the
reconciliation job) and never made twice; an application has at most one link
that can still be paid, so a citizen never holds two.
"""

from __future__ import annotations

import logging
from typing import List, Optional

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokseva.applications import service as applications
from lokseva.applications.lifecycle import Status
from lokseva.db import session_scope
from lokseva.payments import faq, lifecycle, messaging, service
from lokseva.payments.common import (
    CHAT_POLICY,
    RESEND_MIN_LEFT,
    PaymentView,
    engine,
    gateway,
    link_lifetime,
    service_name,
)
from lokseva.payments.gateway import GatewayError, GatewayRejected
from lokseva.payments.links import ensure_link
from lokseva.payments.messaging import Reply
from lokseva.payments.notices import link_reply
from lokseva.payments.settle import close_link, sync_payment

log = logging.getLogger(__name__)


# =============================================================== the chat


def pay_from_chat(channel_user_id: str, reference: Optional[str], language: str, text: str = "") -> List[Reply]:
    """The answer to "I want to pay" (intent pay_fee), with or without an
    application id, and to questions on how to pay."""
    topic = faq.payment_question(text)
    replies: List[Reply] = [Reply(faq.answer(topic, language))] if topic else []
    if topic == "deducted":
        # "Money was taken but…": ask the gateway now instead of waiting for the job.
        for payment_id in _open_payments_of(channel_user_id):
            sync_payment(payment_id, source="chat", replace=False, policy=CHAT_POLICY)
    if reference:
        return replies + offer_payment(channel_user_id, reference, language)
    with session_scope(engine()) as session:
        waiting = [
            (a.reference, service_name(a.service_id, language), a.fee_due_paise)
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
    with session_scope(engine()) as session:
        application = applications.find_for_citizen(session, reference, channel_user_id)
        if application is None or application.status != Status.FEE_PENDING.value:
            return []
    return offer_payment(channel_user_id, reference, language)


def offer_payment(channel_user_id: str, reference: str, language: str) -> List[Reply]:
    """Sends the payment link of the citizen's application `reference`: the open
    one if still good, else a new one; or says why there is nothing to pay."""
    for _ in range(4):  # each round settles one thing (a stale link, a race) and looks again
        now = service.now_utc()
        with session_scope(engine()) as session:
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
                        session, application, fee, gateway().name, now + link_lifetime(), source="chat"
                    )
                except IntegrityError:
                    continue  # another process created one a moment ago: use that one
            view = PaymentView.of(current)
            stale = view.amount_paise != fee.total_paise or view.expires_at - now < RESEND_MIN_LEFT

        if view.status == lifecycle.OPEN:
            outcome = sync_payment(view.id, source="chat", replace=False, policy=CHAT_POLICY)
            if outcome.status in ("paid", "duplicate", "refund_due"):
                continue  # the next round answers "already paid" (the receipt follows from the outbox)
            if outcome.status in ("expired", "cancelled"):
                continue  # the next round makes a new link
            if not stale:
                return [link_reply(view.id, language)]
            _cancel_stale(view)
            continue

        outcome = ensure_link(view.id, source="chat", policy=CHAT_POLICY, notify=False)
        if outcome.status == "open":
            return [link_reply(view.id, language)]
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
        log.error(
            "application %s: fee lines %d != fee due %d paise; no link made",
            application.reference,
            fee.total_paise,
            application.fee_due_paise,
        )
        return messaging.gateway_down(language)
    return None


def _open_payments_of(channel_user_id: str) -> List[int]:
    with session_scope(engine()) as session:
        ids = []
        for application in service.awaiting_fee(session, channel_user_id):
            current = service.unsettled_payment(session, application.id)
            if current is not None and current.status == lifecycle.OPEN:
                ids.append(current.id)
        return ids


def _cancel_stale(view: PaymentView) -> None:
    """Cancels an open link before a new one is made, so that the citizen never
    holds two payable links for one application."""
    if view.link_id is None:
        return
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
