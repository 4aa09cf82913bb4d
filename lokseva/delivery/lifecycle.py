"""The delivery's state machine and the values it checks, without a database.

    payment_pending ──paid──> requested ──> printed ──> dispatched ──> delivered
          │                      │                       │    ^
          └──> cancelled <───────┘                       v    │ (sent again)
                                                      returned

A delivery whose fee is zero starts at `requested`. `dispatched` needs a speed
post tracking number; a returned letter may be dispatched again with a new one.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, Optional

from lokseva.text import ascii_digits


class DeliveryStatus(str, enum.Enum):
    PAYMENT_PENDING = "payment_pending"  # फीस बाकी
    REQUESTED = "requested"  # फीस मिली, छपाई बाकी
    PRINTED = "printed"  # छप गया
    DISPATCHED = "dispatched"  # स्पीड पोस्ट से भेजा
    DELIVERED = "delivered"  # पहुँच गया
    RETURNED = "returned"  # वापस आया
    CANCELLED = "cancelled"  # रद्द


S = DeliveryStatus
TRANSITIONS: Dict[DeliveryStatus, FrozenSet[DeliveryStatus]] = {
    S.PAYMENT_PENDING: frozenset({S.REQUESTED, S.CANCELLED}),
    S.REQUESTED: frozenset({S.PRINTED, S.CANCELLED}),
    S.PRINTED: frozenset({S.DISPATCHED}),
    S.DISPATCHED: frozenset({S.DELIVERED, S.RETURNED}),
    S.RETURNED: frozenset({S.DISPATCHED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
}
# A citizen has at most one delivery of a certificate in these states.
OPEN_STATES = frozenset({S.PAYMENT_PENDING, S.REQUESTED, S.PRINTED, S.DISPATCHED, S.RETURNED})


class InvalidTransition(ValueError):
    """The delivery cannot move from its state to the one asked for."""


class InvalidDeliveryValue(ValueError):
    """An address, PIN or tracking number that cannot be right."""


def check_transition(
    current: DeliveryStatus, target: DeliveryStatus, tracking_number: Optional[str] = None
) -> Optional[str]:
    """Raises InvalidTransition unless current -> target is allowed; returns the
    normalised tracking number when the target is `dispatched`."""
    current, target = DeliveryStatus(current), DeliveryStatus(target)
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "nothing (final state)"
        raise InvalidTransition(f"a delivery cannot go from {current.value} to {target.value}; allowed: {allowed}")
    if target is S.DISPATCHED:
        if not tracking_number:
            raise InvalidTransition("dispatching needs the speed post tracking number")
        return normalise_tracking_number(tracking_number)
    if tracking_number:
        raise InvalidTransition(f"a tracking number belongs to dispatched, not {target.value}")
    return None


# --- speed post tracking numbers ----------------------------------------------------------

_S10 = re.compile(r"^([A-Z]{2})(\d{8})(\d)(IN)$")
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check_digit(serial: str) -> int:
    """UPU S10 check digit of the 8-digit serial of a postal item id."""
    remainder = sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS)) % 11
    check = 11 - remainder
    return 0 if check == 10 else 5 if check == 11 else check


def normalise_tracking_number(text: str) -> str:
    """India Post speed post ids follow UPU S10: two letters, 8 digits, a check
    digit, IN (e.g. EE123456785IN). Spaces and case are forgiven; a wrong check
    digit (a typo) is not."""
    value = re.sub(r"[\s-]", "", text).upper()
    match = _S10.match(value)
    if not match:
        raise InvalidDeliveryValue(f"{text!r} is not a speed post tracking number like EE123456785IN")
    if s10_check_digit(match.group(2)) != int(match.group(3)):
        raise InvalidDeliveryValue(f"{text!r} has a wrong check digit (typing mistake?)")
    return value


# --- addresses -----------------------------------------------------------------------------


def normalise_pin(text: str) -> str:
    """An Indian PIN code: six digits, not starting with 0 (Devanagari digits accepted)."""
    value = ascii_digits(re.sub(r"\s", "", str(text)))
    if not re.fullmatch(r"[1-9]\d{5}", value):
        raise InvalidDeliveryValue(f"{text!r} is not a six-digit PIN code")
    return value


@dataclass(frozen=True)
class DeliveryAddress:
    """Where the printed certificate goes. A WhatsApp location pin adds
    coordinates (and the postman a landmark) but the post still needs village,
    tehsil and PIN."""

    village: str
    tehsil: str
    pin: str
    landmark: str = ""
    latitude: Optional[float] = None
    longitude: Optional[float] = None

    @classmethod
    def create(
        cls,
        village: str,
        tehsil: str,
        pin: str,
        landmark: str = "",
        latitude: Optional[float] = None,
        longitude: Optional[float] = None,
    ) -> "DeliveryAddress":
        village = " ".join(str(village or "").split())
        tehsil = " ".join(str(tehsil or "").split())
        if not (2 <= len(village) <= 200):
            raise InvalidDeliveryValue("the village or ward is missing")
        if not (2 <= len(tehsil) <= 100):
            raise InvalidDeliveryValue("the tehsil is missing")
        if (latitude is None) != (longitude is None):
            raise InvalidDeliveryValue("a location needs both latitude and longitude")
        if latitude is not None and longitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise InvalidDeliveryValue("the location's coordinates are out of range")
        return cls(
            village, tehsil, normalise_pin(pin), " ".join(str(landmark or "").split())[:200], latitude, longitude
        )

    def one_line(self) -> str:
        parts = [self.landmark, self.village, self.tehsil, self.pin]
        return ", ".join(p for p in parts if p)
