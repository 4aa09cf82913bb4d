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
- service.py     queries and state changes (in the caller's unit of work)
- common.py      what the flows share: gateway client, database, retry policies
- flows.py       paying from the chat (the Rasa actions call this)
- links.py       creating a payment's link at the gateway
- settle.py      recording what the gateway says (webhooks, fetched links)
- notices.py     what the citizen is owed (receipt with its PDF, new link, …), written
                 in the notification outbox (lokseva.notifications); the receipt PDF
- views.py       the webhook, the receipt PDF and the page after paying
- messaging.py   what the citizen is told, Hindi first; faq.py: "UPI chalega?"
- receipt_pdf.py the receipt PDF
- purposes.py    what a payment is for (application fee, postage, …) and the
                 capabilities that own the other purposes (one ledger for every fee)
- reconcile.py   the reconciliation of the whole ledger (its process:
                 `python -m lokseva.jobs.reconcile`, also run by `make run`)
"""
