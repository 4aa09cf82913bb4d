"""Lok Seva WhatsApp assistant: the domain logic behind the Rasa project.

One sub-package per capability; `actions/` (Rasa custom actions) and the web app
are thin entry points that call into these.
"""
