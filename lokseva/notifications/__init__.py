"""What the assistant tells a citizen on its own (सूचना): payment received,
decision, documents asked for, certificate ready, each step of a home delivery.

One durable outbox for all of them. A capability writes a notification with
`outbox.enqueue(session, ...)` inside the unit of work of the state change that
calls for it, so the change and the message are committed together or not at
all. Sending is not the domain's business: the channel's job
(lokseva.channels.proactive, run by `python -m lokseva.channels.scheduled`)
takes the pending ones under a lease, oldest first per citizen, and retries
until the channel takes them or gives up (then staff see it in the portal).

This package knows nothing of WhatsApp, Rasa or Twilio: a notification is a
message key (lokseva/channels/notifications.yml), its variables, a language
and, for files, what to attach (e.g. a certificate number), from which the
channel makes a fresh link at the moment it sends.

models.py holds the table; outbox.py writes, leases and lists its rows.
"""
