"""The payment reconciliation job: `python -m lokseva.jobs.reconcile [--every SECONDS]`.

It reconciles the whole ledger (lokseva.payments.reconcile), so every
capability that owns a fee purpose is loaded first and registers its owner
(lokseva.payments.purposes): the home delivery's postage (lokseva.delivery.fees).
A later fee's capability adds its import here.
"""

from __future__ import annotations

import sys
from typing import List, Optional

from lokseva import periodic
from lokseva.delivery import fees as postage  # noqa: F401 - registers the postage fee's owner
from lokseva.payments.reconcile import reconcile_and_log


def main(argv: Optional[List[str]] = None) -> int:
    return periodic.main(reconcile_and_log, "Payment reconciliation: every unpaid link of the ledger", argv)


if __name__ == "__main__":
    sys.exit(main())
