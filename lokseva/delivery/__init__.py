"""Home delivery of printed certificates by speed post (डाक से घर पर प्रमाण पत्र).

lifecycle.py holds the rules (states, transitions, addresses, tracking numbers)
as plain Python; models.py the tables; service.py the state changes; flows.py
the chat and the staff steps; fees.py the postage fee, a payment in the payments
ledger (lokseva.payments; importing fees.py registers what a captured fee or a
closed link means for the delivery); messaging.py what the citizen is told at
each step. The delivery owns only its own state: payments knows nothing of it.
"""
