"""Telling the citizen: the notices owed because of a payment (receipt, link,
failed attempt, refund), written in the same transaction as the change that
calls for them, sent after it, and sent again by the reconciliation job until
the channel takes them. A notice is claimed before sending (a lease), so two
processes never send the same one at once."""
from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Optional, Tuple

from sqlalchemy.orm import Session

from lokseva.applications.lifecycle import Status
from lokseva.db import session_scope
from lokseva.payments import lifecycle, messaging, service, signatures
from lokseva.payments.common import NOTICE_LEASE, RECEIPT_URL_LIFETIME, engine, service_name
from lokseva.payments.messaging import Reply
from lokseva.payments.models import Payment, PaymentNotice
from lokseva.settings import get_settings

log = logging.getLogger(__name__)


def deliver_notices(payment_id: Optional[int] = None) -> int:
    """Sends the notices not sent yet (of one payment, or all); returns how many went."""
    with session_scope(engine()) as session:
        ids = service.unsent_notice_ids(session, payment_id)
    sent = 0
    for notice_id in ids:
        now = service.now_utc()
        with session_scope(engine()) as session:
            if not service.claim_notice(session, notice_id, now, NOTICE_LEASE):
                continue
            notice = session.get(PaymentNotice, notice_id)
            message = _notice_message(session, notice)
            if message is None:   # no longer true (e.g. a link paid before its notice went)
                notice.sent_at = now
                notice.last_error = "obsolete"
                continue
        conversation_id, reply, language = message
        undeliverable = False
        try:
            messaging.notify_citizen(conversation_id, reply, language)
            ok, error = True, None
        except messaging.Undeliverable as exc:
            # Nothing will ever reach them this way; the chat shows it when they ask.
            log.warning("notice %s (%s): %s", notice_id, reply.kind, exc)
            ok, error, undeliverable = True, f"undeliverable: {exc}", True
        except Exception as exc:  # the channel or Rasa is down: the job tries again
            log.warning("notice %s (%s) not sent: %s: %s", notice_id, reply.kind, type(exc).__name__, exc)
            ok, error = False, f"{type(exc).__name__}: {exc}"
        with session_scope(engine()) as session:
            notice = session.get(PaymentNotice, notice_id)
            if ok:
                notice.sent_at = service.now_utc()
                notice.last_error = error
                service.add_event(session, notice.payment, "notified", "system",
                                  note=notice.kind + (" (undeliverable)" if undeliverable else ""))
                sent += 0 if undeliverable else 1
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
            application.reference, service_name(application.service_id, language), service.fee_of_payment(payment),
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


def link_reply(payment_id: int, language: str) -> Reply:
    with session_scope(engine()) as session:
        payment = session.get(Payment, payment_id)
        application = payment.application
        return messaging.payment_link(
            application.reference, service_name(application.service_id, language), service.fee_of_payment(payment),
            payment.link_url, service.aware(payment.expires_at), language,
            replacing_expired=_replaced_expired(session, payment),
        )


def receipt_url(reference: str) -> str:
    settings = get_settings()
    expires = int(time.time() + RECEIPT_URL_LIFETIME.total_seconds())
    token = signatures.receipt_token(reference, expires, settings.keyring("receipt"))
    return f"{settings.public_url.rstrip('/')}/payments/receipts/{reference}.pdf?exp={expires}&sig={token}"


def receipt_pdf(reference: str) -> Optional[bytes]:
    """The receipt PDF of a paid payment (made on request: a few hundred ms)."""
    from lokseva.districts import current_district
    from lokseva.payments.messaging import FEE_LABELS
    from lokseva.payments.receipt_pdf import ReceiptData, render_receipt

    with session_scope(engine()) as session:
        payment = service.find_payment(session, reference=reference)
        if payment is None or payment.status != lifecycle.PAID:
            return None
        application = payment.application
        district = current_district()
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
            office_hi=district.lok_seva_kendra["hi"],
            office_en=district.lok_seva_kendra["en"],
        )
    return render_receipt(data)

