"""Rasa custom actions: a thin layer that translates between Rasa and the
`lokseva` package. One module per capability; no business logic here."""
