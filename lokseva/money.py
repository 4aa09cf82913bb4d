"""Money as citizens and staff read it: whole paise in, "₹1,20,000" out.

Amounts are `int` paise everywhere (1 rupee = 100 paise). A float, a bool, a
string or a negative number is refused loudly, because an amount silently
rounded is money lost or overcharged, on a receipt or on a certificate.
"""

from __future__ import annotations

from babel.numbers import format_decimal

PAISE_PER_RUPEE = 100


class InvalidAmount(ValueError):
    """An amount that is not a whole, non-negative number of paise."""


def require_paise(value: object, what: str = "amount") -> int:
    """`value` if it is a whole number of paise >= 0, else InvalidAmount."""
    # bool is an int subclass: True must not become one paisa.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAmount(f"{what} must be a whole number of paise, not {value!r}")
    if value < 0:
        raise InvalidAmount(f"{what} must not be negative, not {value}")
    return value


def _indian_grouping(whole: int) -> str:
    """1234567 -> "12,34,567": the last three digits, then groups of two (lakh, crore).
    Babel's pattern with the Indian grouping, in Western digits whatever the
    language: receipts, certificates and WhatsApp texts all write ₹1,20,000."""
    return format_decimal(whole, format="#,##,##0", locale="en_IN")


def rupees_figure(paise: int) -> str:
    """ "1,20,000" or "20.50": the amount without the ₹ sign (for templates that
    write the sign themselves); paise only when there are some."""
    rupees, rest = divmod(require_paise(paise), PAISE_PER_RUPEE)
    return _indian_grouping(rupees) + (f".{rest:02d}" if rest else "")


def format_rupees(paise: int) -> str:
    """₹20, ₹1,250, ₹2,00,000 or ₹20.50: Indian digit grouping, paise only when there are some."""
    return "₹" + rupees_figure(paise)
