"""Multi-step home-delivery work: find the certificate, take the address,
ask for the postage fee, follow the letter, and tell the citizen at each step (through the notification outbox,
lokseva.notifications, written with each step).

The postage fee is a payment in the one payments ledger (purpose "postage",
reference JBA-2026-000123-D01), asked for in the same unit of work as the
delivery and recorded by payments like any fee: on the gateway's word only (its
signed webhook, or an authenticated fetch of the link when the citizen's
browser comes back and by the reconciliation), once. What the fee means for
the delivery is in fees.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from sqlalchemy.exc import IntegrityError

from lokseva.applications import service as applications
from lokseva.catalogue import load_catalogue
from lokseva.certificates import messaging as certificate_texts
from lokseva.certificates.document import load_layouts
from lokseva.db import session_scope
from lokseva.delivery import fees, messaging, service
from lokseva.delivery.lifecycle import DeliveryAddress, DeliveryStatus
from lokseva.money import format_rupees

log = logging.getLogger(__name__)


def _engine():
    return applications.engine()  # migrated on first use


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: Tuple[Tuple[str, str], ...] = ()  # (title, payload)


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


def _already_open(session, delivery, number: str, language: str) -> List[Reply]:
    replies = [
        Reply(
            messaging.text(
                "already_open",
                language,
                number=number,
                state=messaging.state_name(delivery.status, language, delivery.tracking_number),
            )
        )
    ]
    link = fees.open_link(session, delivery) if delivery.status == DeliveryStatus.PAYMENT_PENDING.value else None
    if link is not None:
        replies.append(Reply(messaging.text("payment_link_again", language, link=link.url)))
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
            return Preparation(
                [
                    Reply(
                        messaging.text(
                            "not_issued",
                            language,
                            service_name=_service_name(newest.service_id, language),
                            application_id=newest.reference,
                        )
                    )
                ]
            )
        if len(issued) > 1:
            buttons = tuple(
                (
                    f"{_service_name(a.service_id, language)} · {a.reference}",
                    f'/request_home_delivery{{"application_id":"{a.reference}"}}',
                )
                for a, _ in issued
            )
            return Preparation([Reply(messaging.text("choose", language), buttons)])
        application, certificate = issued[0]
        current = service.open_delivery(session, certificate.id)
        if current is not None:
            return Preparation(_already_open(session, current, certificate.number, language))
        return Preparation(reference=application.reference, saved_address=_saved_address(application))


def delivery_state(channel_user_id: str, reference: str, language: str) -> Optional[str]:
    """How the home delivery of this application's certificate stands ("छपाई बाकी है"),
    for the application's status; None when no delivery is under way."""
    with session_scope(_engine()) as session:
        application = applications.find_for_citizen(session, reference, channel_user_id)
        certificate = service.certificate_in_force(session, application.id) if application else None
        current = service.open_delivery(session, certificate.id) if certificate else None
        if current is None:
            return None
        return messaging.state_name(current.status, language, current.tracking_number)


def submit(
    channel_user_id: str, reference: str, address: DeliveryAddress, address_source: str, language: str
) -> List[Reply]:
    """Registers the delivery and sends the fee's payment link (or, without a
    fee, says it is registered)."""

    with session_scope(_engine()) as session:
        application = applications.find_for_citizen(session, reference, channel_user_id)
        if application is None:
            return [Reply(certificate_texts.text("not_yours", language, application_id=reference))]
        certificate = service.certificate_in_force(session, application.id)
        if certificate is None:
            return [
                Reply(
                    messaging.text(
                        "not_issued",
                        language,
                        service_name=_service_name(application.service_id, language),
                        application_id=application.reference,
                    )
                )
            ]
        current = service.open_delivery(session, certificate.id)
        if current is not None:
            return _already_open(session, current, certificate.number, language)
        fee = load_catalogue()[application.service_id].fees.home_delivery
        try:
            delivery = service.new_delivery(session, application, certificate, address, address_source, fee, "citizen")
        except IntegrityError:  # the same request a moment ago, from another turn
            current = service.open_delivery(session, certificate.id)
            return _already_open(session, current, certificate.number, language)
        payment_id = fees.ask_for_fee(session, application, delivery) if fee > 0 else None
        delivery_id, number = delivery.id, certificate.number
    log.info("delivery %s requested for %s (fee %s paise)", delivery_id, reference, fee)
    if payment_id is None:
        return [Reply(messaging.text("requested", language, paid="", number=number))]
    link = fees.make_link(payment_id)
    if link is None:
        return [Reply(messaging.text("link_delayed", language))]
    return [
        Reply(
            messaging.text("payment_pending", language, address=address.one_line(), fee=format_rupees(fee), link=link)
        )
    ]


# =========================================================================== staff


@dataclass(frozen=True)
class StepNotice:
    """The citizen's message for one step, written in the step's unit of work
    (the notification outbox sends it once the step is committed)."""

    citizen_id: int
    reference: str
    text: str
    language: str
    notification_id: Optional[int]  # None: the citizen has no WhatsApp number


def take_step(
    session,
    delivery_id: int,
    target: DeliveryStatus,
    by: str,
    tracking_number: Optional[str] = None,
    note: str = "",
    at: Optional[dt.datetime] = None,
) -> StepNotice:
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
    text = messaging.step_text(
        target.value, language, number=delivery.certificate.number, tracking=delivery.tracking_number or ""
    )
    log.info("delivery %s of %s is %s (by %s)", delivery_id, application.reference, target.value, by)
    citizen = application.citizen
    notification_id = messaging.delivery_step(session, citizen, application.reference, text, language)
    return StepNotice(citizen.id, application.reference, text, language, notification_id)


def advance(
    delivery_id: int, target: DeliveryStatus, by: str, tracking_number: Optional[str] = None, note: str = ""
) -> str:
    """take_step in a unit of work of its own; the citizen is told by the notification outbox."""
    with session_scope(_engine()) as session:
        take_step(session, delivery_id, target, by, tracking_number=tracking_number, note=note)
    return DeliveryStatus(target).value
