"""The WhatsApp channel (Twilio) and its local tools.

- whatsapp.py: the Rasa input/output channel (credentials.yml:
  `lokseva.channels.whatsapp.WhatsAppInput`), webhook at /webhooks/whatsapp/webhook,
  delivery statuses at /webhooks/whatsapp/status.
- twilio_client.py: Twilio's REST API without blocking the event loop, with retries.
- inbox.py: acknowledge at once, run each citizen's turns in order, recover after a crash.
- media.py: photos and PDFs citizens send; documents.py: hands them to
  lokseva.applications.flows.attach_document (the domain decides where they go).
- text.py: normalising citizen text, splitting long answers, numbered buttons.
- identity.py: conversation ids that are not phone numbers, masked numbers in logs.
- service.py / models.py: the channel's records (contacts, inbox, delivery statuses).
- notify.py / notifications.py / notifications.yml: one proactive message through
  Rasa, and the templates.
- proactive.py: sends the domain's notification outbox (lokseva.notifications) with
  retries, in order per citizen; scheduled.py: the outbox job running it and the
  WhatsApp outbox.
- simulator/: the WhatsApp simulator page of the web app (/simulator).
"""
