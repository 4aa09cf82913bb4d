"""The amount a citizen pays for an application, in paise (1 rupee = 100 paise).

Plain Python, no database: the fee lines come from the application (which took
them from the service catalogue when it was filed), and the total is their sum.
Amounts are `int` everywhere; a float, a bool, a string or a negative number is
refused loudly (lokseva.money.require_paise), because a fee silently rounded is
money lost or overcharged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

from lokseva.money import PAISE_PER_RUPEE, require_paise

CURRENCY = "INR"

# The kinds of fee line, in the order they are shown on the receipt.
STATUTORY = "statutory"  # सेवा शुल्क fixed by the department (often 0)
PROCESSING = "processing"  # लोक सेवा केंद्र प्रोसेसिंग शुल्क (₹20 since 20 Sep 2023)
HOME_DELIVERY = "home_delivery"  # घर पर डाक से प्रमाण पत्र (only when the citizen chose it)
FEE_KINDS = (STATUTORY, PROCESSING, HOME_DELIVERY)


@dataclass(frozen=True)
class FeeLine:
    kind: str
    paise: int


@dataclass(frozen=True)
class FeeBreakdown:
    lines: Tuple[FeeLine, ...]

    @property
    def total_paise(self) -> int:
        return sum(line.paise for line in self.lines)

    @property
    def payable(self) -> bool:
        return self.total_paise > 0


def fee_breakdown(
    statutory_paise: int,
    processing_paise: int,
    home_delivery_paise: int = 0,
    home_delivery: bool = False,
) -> FeeBreakdown:
    """The lines of the fee and their total; lines of zero are left out.

    The home delivery fee counts only when the citizen chose home delivery.
    """
    statutory = require_paise(statutory_paise, "statutory fee")
    processing = require_paise(processing_paise, "processing fee")
    delivery = require_paise(home_delivery_paise, "home delivery fee")
    candidates = [
        FeeLine(STATUTORY, statutory),
        FeeLine(PROCESSING, processing),
        FeeLine(HOME_DELIVERY, delivery if home_delivery else 0),
    ]
    return FeeBreakdown(tuple(line for line in candidates if line.paise > 0))


def rupees_to_paise(rupees: int) -> int:
    """Whole rupees (as the catalogue writes them) to paise."""
    return require_paise(rupees, "rupees") * PAISE_PER_RUPEE
