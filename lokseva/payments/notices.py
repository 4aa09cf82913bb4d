"""Telling the citizen: the messages owed because of a payment (receipt, link,
failed attempt, refund, last link expired), written in the notification outbox
(lokseva.notifications) in the same transaction as the change that calls for
them, at most once per payment and kind. The channel's outbox job sends them;
a later change that makes one untrue withdraws it while still pending (a link
paid or expired before its message went: service.move; the last-link message
once the application is paid: settle)."""

from __future__ import annotations

import logging
import time
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lokseva.applications.lifecycle import Status
from lokseva.db import session_scope
from lokseva.districts import district_by_code
from lokseva.notifications import outbox
from lokseva.payments import lifecycle, messaging, service, signatures
from lokseva.payments.common import RECEIPT_URL_LIFETIME, engine, service_name
from lokseva.payments.messaging import FEE_LABELS, Reply
from lokseva.payments.models import Payment, PaymentNotice
from lokseva.payments.receipt_pdf import ReceiptData, render_receipt
from lokseva.settings import get_settings

log = logging.getLogger(__name__)

# The message true only while the application waits for its fee (withdrawn by
# settle when it is paid; those true only while a link is open: service.WHILE_OPEN).
WHILE_FEE_PENDING = ("payment_link_expired",)


def subject(payment: Payment) -> str:
    return f"payment:{payment.id}"


def owe(session: Session, payment: Payment, kind: str) -> bool:
    """Writes the message `kind` ("receipt", "link", "attempt_failed:<id>",
    "refund_due", "expired_final") for the payment's citizen in the caller's unit
    of work; False if it was written before or is not true now."""
    application = payment.application
    language = application.citizen.language or application.language or "hi"
    reply = _message(session, payment, kind, language)
    if reply is None:
        return False
    variables, attachment = dict(reply.variables), None
    if reply.kind == "payment_receipt":
        del variables["receipt_url"]
        attachment = {"payment_receipt": payment.reference, "variable": "receipt_url"}
    written = outbox.enqueue(
        session,
        application.citizen_id,
        reply.kind,
        variables,
        language,
        subject=subject(payment),
        dedupe_key=f"{subject(payment)}:{kind}"[:120],
        attachment=attachment,
    )
    if written is not None:
        service.add_event(session, payment, "notice", "system", note=kind)
    return written is not None


def _message(session: Session, payment: Payment, kind: str, language: str) -> Optional[Reply]:
    application = payment.application
    if kind == "receipt":
        # The receipt's link is made when the message is sent (it expires): see owe.
        return messaging.paid_receipt(application.reference, payment.amount_paise, "", language)
    if kind == "refund_due":
        return messaging.refund_due(application.reference, payment.amount_paise, language)
    if kind == "link":
        if payment.status != lifecycle.OPEN:
            return None
        return messaging.payment_link(
            application.reference,
            service_name(application.service_id, language),
            service.fee_of_payment(payment),
            payment.link_url,
            service.aware(payment.expires_at),
            language,
            replacing_expired=_replaced_expired(session, payment),
        )
    if kind.startswith("attempt_failed:"):
        if payment.status != lifecycle.OPEN:
            return None
        return messaging.payment_failed(application.reference, payment.link_url, language)
    if kind == "expired_final":
        if application.status != Status.FEE_PENDING.value:
            return None
        return messaging.link_expired_final(application.reference, language)
    log.error("unknown notice kind %r", kind)
    return None


def withdraw_while_fee_pending(session: Session, application_id: int) -> None:
    """The application is paid: a "last link expired" message still pending is no longer true."""
    for payment in service.payments_of(session, application_id):
        outbox.withdraw(session, subject(payment), list(WHILE_FEE_PENDING), "the application was paid")


def carry_over_unsent() -> int:
    """Notices written in payment_notices before the notification outbox existed
    and not sent yet: written in the outbox now (once), so none is lost across
    the upgrade. The reconciliation job calls this; after its first run there is
    nothing left to do."""
    moved = 0
    with session_scope(engine()) as session:
        for notice in session.execute(
            sa.select(PaymentNotice).where(PaymentNotice.sent_at.is_(None)).order_by(PaymentNotice.id)
        ).scalars():
            moved += owe(session, notice.payment, notice.kind)
            notice.sent_at = service.now_utc()
            notice.last_error = "moved to the notification outbox"
    return moved


def _replaced_expired(session: Session, payment: Payment) -> bool:
    earlier = [p for p in service.payments_of(session, payment.application_id) if p.attempt < payment.attempt]
    return bool(earlier) and earlier[-1].status == lifecycle.EXPIRED


def link_reply(payment_id: int, language: str) -> Reply:
    with session_scope(engine()) as session:
        payment = session.get(Payment, payment_id)
        application = payment.application
        return messaging.payment_link(
            application.reference,
            service_name(application.service_id, language),
            service.fee_of_payment(payment),
            payment.link_url,
            service.aware(payment.expires_at),
            language,
            replacing_expired=_replaced_expired(session, payment),
        )


def receipt_url(reference: str) -> str:
    settings = get_settings()
    expires = int(time.time() + RECEIPT_URL_LIFETIME.total_seconds())
    token = signatures.receipt_token(reference, expires, settings.keyring("receipt"))
    return f"{settings.public_url.rstrip('/')}/payments/receipts/{reference}.pdf?exp={expires}&sig={token}"


def receipt_pdf(reference: str) -> Optional[bytes]:
    """The receipt PDF of a paid payment (made on request: a few hundred ms)."""
    with session_scope(engine()) as session:
        payment = service.find_payment(session, reference=reference)
        if payment is None or payment.status != lifecycle.PAID:
            return None
        application = payment.application
        district = district_by_code(application.district_code)
        office = district.lok_seva_kendra if district else {"hi": "लोक सेवा केंद्र", "en": "Lok Seva Kendra"}
        data = ReceiptData(
            receipt_number=payment.reference,
            application_id=application.reference,
            service_name_hi=service_name(application.service_id, "hi"),
            service_name_en=service_name(application.service_id, "en"),
            applicant_name=application.applicant_name or "",
            lines=[(*FEE_LABELS[line.kind], line.paise) for line in service.fee_of_payment(payment).lines],
            total_paise=payment.amount_paise,
            method=payment.method or "",
            gateway_payment_id=payment.gateway_payment_id or "",
            paid_at=service.aware(payment.paid_at),
            office_hi=office["hi"],
            office_en=office["en"],
        )
    return render_receipt(data)
