"""Paying an application's fee from WhatsApp (issue #5).

The citizen gets a payment link for the exact fee, pays by UPI or card on the
gateway's page, and receives a receipt (पावती / रसीद) on WhatsApp. Money is an
integer number of paise everywhere; no float ever holds an amount.

- fees.py        the amount of an application (domain rules, no database)
- lifecycle.py   the states of one payment link and their allowed moves
- signatures.py  HMAC signatures of webhooks and callbacks
- http.py        the retrying HTTP client (timeouts, backoff on 429/5xx only)
- gateway.py     the gateway interface: Razorpay Payment Links or the local sandbox
- models.py      the payments table and its status history
- service.py     queries and state changes (one unit of work each)
- flows.py       multi-step work: send a link, record a webhook, reconcile
- views.py       the webhook, the receipt PDF and the page after paying
- messaging.py   what the citizen is told, Hindi first
- receipt_pdf.py the receipt PDF
- reconcile.py   `python -m lokseva.payments.reconcile` (also run by `make run`)
"""
