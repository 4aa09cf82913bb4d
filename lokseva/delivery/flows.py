"""Multi-step home-delivery work: find the certificate, take the address,
charge the postage fee, follow the letter, and tell the citizen at each step (through the notification outbox,
lokseva.notifications, written with each step).

The fee is paid on its own payment link at the payment gateway of the payments
capability (lokseva.payments.gateway: Razorpay Payment Links, or the local
sandbox), with our reference JBA-2026-000123-D01. As for application fees,
money is recorded only on the gateway's word: its signed webhook (which
lokseva.payments.settle hands over by the -Dnn reference), or an authenticated
fetch of the link (when the citizen's browser comes back, when they write
again, by the web app's periodic check and by the payments reconciliation),
never the browser's redirect alone. A gateway payment id is recorded once
(unique column); a capture on a delivery that is no longer waiting for its fee
is logged as a refund to make, not counted.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

from sqlalchemy.exc import IntegrityError

from lokseva.applications import service as applications
from lokseva.catalogue import load_catalogue
from lokseva.certificates import messaging as certificate_texts
from lokseva.certificates.document import load_layouts
from lokseva.db import session_scope
from lokseva.delivery import messaging, service
from lokseva.delivery.lifecycle import DeliveryAddress, DeliveryStatus
from lokseva.money import format_rupees
from lokseva.payments.fees import CURRENCY
from lokseva.payments.gateway import GatewayError, LinkPayment, LinkRequest, PaymentLink, gateway_from_settings
from lokseva.payments.http import CHAT_POLICY, JOB_POLICY, RetryPolicy
from lokseva.settings import get_settings

log = logging.getLogger(__name__)

CALLBACK_PATH = "/delivery/paid"


def _engine():
    return applications.engine()  # migrated on first use


@functools.lru_cache(maxsize=1)
def gateway():
    """The payment gateway client of the payments capability (Razorpay Payment
    Links, or the local sandbox), configured from the settings."""

    return gateway_from_settings(get_settings(), JOB_POLICY)


def _gateway():
    return gateway()


def _policy(kind: str) -> RetryPolicy:
    return CHAT_POLICY if kind == "chat" else JOB_POLICY


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: Tuple[Tuple[str, str], ...] = ()   # (title, payload)


@dataclass(frozen=True)
class Preparation:
    """Before asking for the address: either an answer (nothing to ask) or the
    application whose certificate goes home, with its saved address if complete."""

    replies: List[Reply] = field(default_factory=list)
    reference: Optional[str] = None
    saved_address: Optional[DeliveryAddress] = None

    @property
    def ask_address(self) -> bool:
        return self.reference is not None


def _service_name(service_id: str, language: str) -> str:
    try:
        title = load_layouts().for_service(service_id).title
        return title.en if language == "en" else title.hi
    except ValueError:
        return service_id


def _saved_address(application) -> Optional[DeliveryAddress]:
    try:
        return DeliveryAddress.create(application.address_village, application.address_tehsil, application.address_pin)
    except ValueError:
        return None


def _already_open(delivery, number: str, language: str) -> List[Reply]:
    replies = [Reply(messaging.text(
        "already_open", language, number=number,
        state=messaging.state_name(delivery.status, language, delivery.tracking_number)))]
    expires = service.aware(delivery.payment_expires_at)
    if (delivery.status == DeliveryStatus.PAYMENT_PENDING.value and delivery.payment_link_url
            and expires and expires > service.now_utc()):
        replies.append(Reply(messaging.text("payment_link_again", language, link=delivery.payment_link_url)))
    return replies


# =========================================================================== the chat


def prepare(channel_user_id: str, reference: Optional[str], language: str) -> Preparation:
    """The answer to "send it to my home" before any address is asked."""

    with session_scope(_engine()) as session:
        if reference:
            application = applications.find_for_citizen(session, reference, channel_user_id)
            if application is None:
                return Preparation([Reply(certificate_texts.text("not_yours", language, application_id=reference))])
            found = [application]
        else:
            citizen = applications.find_citizen(session, channel_user_id)
            found = applications.applications_of(session, citizen) if citizen else []
        if not found:
            return Preparation([Reply(certificate_texts.text("no_applications", language))])
        issued = [(a, c) for a in found if (c := service.certificate_in_force(session, a.id)) is not None]
        if not issued:
            newest = found[0]
            return Preparation([Reply(messaging.text(
                "not_issued", language, service_name=_service_name(newest.service_id, language),
                application_id=newest.reference))])
        if len(issued) > 1:
            buttons = tuple(
                (f"{_service_name(a.service_id, language)} · {a.reference}",
                 f'/request_home_delivery{{"application_id":"{a.reference}"}}')
                for a, _ in issued
            )
            return Preparation([Reply(messaging.text("choose", language), buttons)])
        application, certificate = issued[0]
        current = service.open_delivery(session, certificate.id)
        if current is not None:
            return Preparation(_already_open(current, certificate.number, language))
        return Preparation(reference=application.reference, saved_address=_saved_address(application))


def delivery_state(channel_user_id: str, reference: str, language: str) -> Optional[str]:
    """How the home delivery of this application's certificate stands ("छपाई बाकी है"),
    for the application's status; None when no delivery is under way."""
    from lokseva.applications import service as applications

    with session_scope(_engine()) as session:
        application = applications.find_for_citizen(session, reference, channel_user_id)
        certificate = service.certificate_in_force(session, application.id) if application else None
        current = service.open_delivery(session, certificate.id) if certificate else None
        if current is None:
            return None
        return messaging.state_name(current.status, language, current.tracking_number)


def submit(channel_user_id: str, reference: str, address: DeliveryAddress, address_source: str,
           language: str) -> List[Reply]:
    """Registers the delivery and sends the fee's payment link (or, without a
    fee, says it is registered)."""

    with session_scope(_engine()) as session:
        application = applications.find_for_citizen(session, reference, channel_user_id)
        if application is None:
            return [Reply(certificate_texts.text("not_yours", language, application_id=reference))]
        certificate = service.certificate_in_force(session, application.id)
        if certificate is None:
            return [Reply(messaging.text("not_issued", language, service_name=_service_name(application.service_id, language),
                                         application_id=application.reference))]
        current = service.open_delivery(session, certificate.id)
        if current is not None:
            return _already_open(current, certificate.number, language)
        fee = load_catalogue()[application.service_id].fees.home_delivery
        try:
            delivery = service.new_delivery(session, application, certificate, address, address_source, fee, "citizen")
        except IntegrityError:  # the same request a moment ago, from another turn
            current = service.open_delivery(session, certificate.id)
            return _already_open(current, certificate.number, language)
        delivery_id, number = delivery.id, certificate.number
    log.info("delivery %s requested for %s (fee %s paise)", delivery_id, reference, fee)
    if fee == 0:
        return [Reply(messaging.text("requested", language, paid="", number=number))]
    link = ensure_link(delivery_id, "chat")
    if link is None:
        return [Reply(messaging.text("link_delayed", language))]
    return [Reply(messaging.text("payment_pending", language, address=address.one_line(),
                                 fee=format_rupees(fee), link=link))]


# =========================================================================== the fee


def ensure_link(delivery_id: int, policy: str = "job") -> Optional[str]:
    """The fee's payment link (made at the gateway if there is none yet), or None
    if the gateway cannot be reached. Safe to repeat: the gateway finds a link
    already made for our reference instead of making a second one."""

    settings = get_settings()
    with session_scope(_engine()) as session:
        delivery = service.lock(session, delivery_id)
        if delivery.payment_link_url or delivery.status != DeliveryStatus.PAYMENT_PENDING.value:
            return delivery.payment_link_url
        expires = service.now_utc() + dt.timedelta(minutes=settings.payment_link_expiry_minutes)
        request = LinkRequest(
            reference_id=delivery.payment_reference,
            amount_paise=delivery.fee_paise,
            description=f"प्रमाण पत्र की डाक फीस / Postage for certificate {delivery.certificate.number}",
            expire_by=int(expires.timestamp()),
            callback_url=f"{settings.public_url.rstrip('/')}{CALLBACK_PATH}",
            notes={"purpose": "home_delivery", "application": delivery.application.reference,
                   "certificate": delivery.certificate.number},
        )
    try:
        link = _gateway().create_link(request, policy=_policy(policy))
    except GatewayError as error:
        log.error("delivery %s: no payment link yet: %s", delivery_id, error)
        return None
    with session_scope(_engine()) as session:
        delivery = service.lock(session, delivery_id)
        delivery.gateway_link_id = link.id
        delivery.payment_link_url = link.short_url
        delivery.payment_expires_at = (dt.datetime.fromtimestamp(link.expire_by, dt.timezone.utc)
                                       if link.expire_by else expires)
        return link.short_url


def sync_payment(delivery_id: int, source: str) -> str:
    """Asks the gateway about the fee's link and records what it says:
    paid, expired (the delivery is cancelled), open, or unavailable."""

    with session_scope(_engine()) as session:
        delivery = service.lock(session, delivery_id)
        link_id, status = delivery.gateway_link_id, delivery.status
    if link_id is None:
        return "open" if ensure_link(delivery_id) else "unavailable"
    try:
        link = _gateway().fetch_link(link_id, policy=_policy("job"))
    except GatewayError as error:
        log.warning("delivery %s: gateway unavailable: %s", delivery_id, error)
        return "unavailable"
    captured = link.captured_payment
    if captured is not None:
        return _record_capture(delivery_id, link, captured, source)
    if link.status in ("expired", "cancelled") and status == DeliveryStatus.PAYMENT_PENDING.value:
        return _close(delivery_id, f"payment link {link.status}", source)
    return "open"


def _record_capture(delivery_id: int, link, captured, source: str) -> str:
    """Records the fee the gateway captured on the delivery's link, exactly once
    (under the delivery's lock; gateway_payment_id is unique)."""
    with session_scope(_engine()) as session:
        delivery = service.lock(session, delivery_id)
        if delivery.gateway_payment_id == captured.payment_id:
            return "duplicate"
        problems = []
        if captured.amount_paise != delivery.fee_paise or link.amount_paise != delivery.fee_paise:
            problems.append(f"amount {captured.amount_paise}/{link.amount_paise} != {delivery.fee_paise}")
        if captured.currency != CURRENCY:
            problems.append(f"currency {captured.currency!r}")
        if link.reference_id != delivery.payment_reference:
            problems.append(f"reference {link.reference_id!r} != {delivery.payment_reference!r}")
        if delivery.gateway_link_id and link.id != delivery.gateway_link_id:
            problems.append(f"link {link.id!r} != {delivery.gateway_link_id!r}")
        if problems:
            log.error("REFUSED delivery fee %s on %s (%s): %s", captured.payment_id, delivery.payment_reference,
                      source, "; ".join(problems))
            return "refused"
        if delivery.status != DeliveryStatus.PAYMENT_PENDING.value or delivery.gateway_payment_id:
            log.error("delivery fee %s on %s must be refunded: delivery is %s", captured.payment_id,
                      delivery.payment_reference, delivery.status)
            return "refund_due"
        delivery.gateway_link_id = delivery.gateway_link_id or link.id   # our create's answer was lost
        delivery.gateway_payment_id = captured.payment_id
        delivery.paid_at = service.now_utc()
        service.move(session, delivery, DeliveryStatus.REQUESTED, by="payments",
                     note=f"fee {format_rupees(delivery.fee_paise)} paid ({captured.payment_id}, {source})")
        citizen = delivery.application.citizen
        reference, language = delivery.application.reference, citizen.language
        text = messaging.text("requested", language,
                              paid=messaging.text("paid", language, fee=format_rupees(delivery.fee_paise)),
                              number=delivery.certificate.number)
        messaging.delivery_step(session, citizen, reference, text, language)
    log.info("delivery fee %s recorded for %s (%s)", captured.payment_id, reference, source)
    return "paid"


def _close(delivery_id: int, why: str, by: str) -> str:
    with session_scope(_engine()) as session:
        delivery = service.lock(session, delivery_id)
        if delivery.status != DeliveryStatus.PAYMENT_PENDING.value:
            return delivery.status
        service.move(session, delivery, DeliveryStatus.CANCELLED, by=by, note=why)
        citizen = delivery.application.citizen
        messaging.delivery_step(session, citizen, delivery.application.reference,
                                messaging.text("cancelled_unpaid", citizen.language), citizen.language)
    return "expired"


def sync_by_link(link_id: str, source: str) -> str:
    with session_scope(_engine()) as session:
        delivery = service.by_link(session, link_id)
        if delivery is None:
            return "unknown"
        delivery_id = delivery.id
    return sync_payment(delivery_id, source)


def sync_open_payments(source: str = "job") -> Dict[str, int]:
    """Asks the gateway about every fee still awaited; counts what it said
    ("paid", "open", "expired", "error", …)."""
    with session_scope(_engine()) as session:
        waiting = service.awaiting_payment(session)
    counts: Counter = Counter()
    for delivery_id in waiting:
        try:
            counts[sync_payment(delivery_id, source)] += 1
        except Exception:   # one broken delivery must not stop the others
            log.exception("delivery %s: fee check failed", delivery_id)
            counts["error"] += 1
    return dict(counts)


def handle_webhook(event: str, link: Mapping[str, Any], payment: Optional[Mapping[str, Any]]) -> str:
    """A signed webhook about a postage-fee link, which lokseva.payments.settle
    hands over by its reference (…-D01). Recorded as a fetched link is: once,
    under the delivery's lock, only if amount, currency, reference and link match."""

    with session_scope(_engine()) as session:
        delivery = service.by_link_or_reference(session, link.get("id"), link.get("reference_id"))
        if delivery is None:
            log.warning("webhook %s for a fee link we do not know (%s, %s)", event, link.get("id"),
                        link.get("reference_id"))
            return "unknown"
        delivery_id = delivery.id
    try:
        fee_link = PaymentLink.from_api(link)
    except (GatewayError, KeyError, TypeError, ValueError) as error:
        log.error("webhook %s for delivery %s: unreadable link: %s", event, delivery_id, error)
        return "malformed"
    if event == "payment_link.paid":
        captured = LinkPayment.from_api(payment or {}, fee_link.currency)
        if not captured.payment_id:
            return "malformed"
        if captured.status != "captured":
            log.warning("delivery %s: paid link with payment status %r; left to the periodic check",
                        delivery_id, captured.status)
            return "ignored"
        return _record_capture(delivery_id, fee_link, captured, "webhook")
    if event in ("payment_link.expired", "payment_link.cancelled"):
        return _close(delivery_id, f"payment link {event.split('.')[1]}", "webhook")
    return "ignored"


# =========================================================================== staff


@dataclass(frozen=True)
class StepNotice:
    """The citizen's message for one step, written in the step's unit of work
    (the notification outbox sends it once the step is committed)."""

    citizen_id: int
    reference: str
    text: str
    language: str
    notification_id: Optional[int]   # None: the citizen has no WhatsApp number


def take_step(session, delivery_id: int, target: DeliveryStatus, by: str, tracking_number: Optional[str] = None,
              note: str = "", at: Optional[dt.datetime] = None) -> StepNotice:
    """A staff step (printed, dispatched with its tracking number, delivered,
    returned, cancelled) inside the caller's unit of work, e.g. the staff
    portal's with its audit entry: lifecycle-checked, with history (delivered
    also closes the application). Raises the lifecycle's InvalidTransition /
    InvalidDeliveryValue when it cannot be. Returns the citizen's message."""
    target = DeliveryStatus(target)
    delivery = service.lock(session, delivery_id)
    service.move(session, delivery, target, by=by, tracking_number=tracking_number, note=note, at=at)
    application = delivery.application
    language = application.language or application.citizen.language or "hi"
    text = messaging.step_text(target.value, language, number=delivery.certificate.number,
                               tracking=delivery.tracking_number or "")
    log.info("delivery %s of %s is %s (by %s)", delivery_id, application.reference, target.value, by)
    citizen = application.citizen
    notification_id = messaging.delivery_step(session, citizen, application.reference, text, language)
    return StepNotice(citizen.id, application.reference, text, language, notification_id)


def advance(delivery_id: int, target: DeliveryStatus, by: str, tracking_number: Optional[str] = None,
            note: str = "") -> str:
    """take_step in a unit of work of its own; the citizen is told by the notification outbox."""
    with session_scope(_engine()) as session:
        take_step(session, delivery_id, target, by, tracking_number=tracking_number, note=note)
    return DeliveryStatus(target).value
