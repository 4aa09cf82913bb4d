"""Rasa custom actions: a thin layer that translates between Rasa and the
`lokseva` package. One module per capability; no business logic here."""
from lokseva.channels.proactive import send_when_committed

# What a chat turn writes for the citizen (a payment link made late, a receipt
# found when the citizen asks) goes out as soon as it is committed.
send_when_committed()
