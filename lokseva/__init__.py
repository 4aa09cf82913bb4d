"""Lok Seva WhatsApp assistant: the domain logic behind the Rasa project.

One sub-package per capability; `actions/` (Rasa custom actions) and the web app
are thin entry points that call into these.
"""

from lokseva.privacy.logs import install as _redact_logs

_redact_logs()  # no process that runs this code logs an Aadhaar number (lokseva/privacy/logs.py)
