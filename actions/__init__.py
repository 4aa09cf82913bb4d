"""Rasa custom actions: a thin layer that translates between Rasa and the
`lokseva` package. One module per capability; no business logic here."""

from lokseva.messages import check_catalogue

# Start-up validation of the message catalogue (every key in every language, the
# same placeholders): the action server imports this package first, and refuses
# to start on a broken catalogue rather than fail in a citizen's conversation.
check_catalogue()
