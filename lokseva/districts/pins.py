"""A PIN code's district, from the offline India Post directory of the
`indian-pincode` package (no network).

Measured against known PINs (tests/unit/test_district_pins.py), the directory
is right for the districts that existed before 2023, but it predates the three
newest districts (a Maihar, Mauganj or Pandhurna PIN is given under Satna,
Rewa or Chhindwara), uses old names (Hoshangabad, East Nimar) and gives some
PINs several districts (484001: Shahdol, Anuppur, Umaria). So a PIN names a
district only when the directory gives exactly one that was not split since;
otherwise the citizen is asked the district's name.
"""

from __future__ import annotations

from typing import Optional

import indian_pincode

from lokseva.districts import District, district_by_key

STATE = "MADHYA PRADESH"
# The directory's names that are not the registry's.
_RENAMED = {"HOSHANGABAD": "narmadapuram", "EAST NIMAR": "khandwa", "WEST NIMAR": "khargone"}
# Districts a newer district was cut from: their PINs may belong to either.
_SPLIT = {"satna", "rewa", "chhindwara"}


def district_of_pin(pin: str) -> Optional[District]:
    """The one district of this MP PIN code, or None when the directory does
    not say for sure."""
    details = indian_pincode.get_details(pin) if indian_pincode.is_well_formed(pin) else None
    if not details or details.get("state") != STATE:
        return None
    names = details.get("districts") or []
    if len(names) != 1:
        return None
    key = _RENAMED.get(names[0], names[0].lower().replace(" ", "_"))
    if key in _SPLIT:
        return None
    return district_by_key(key)
