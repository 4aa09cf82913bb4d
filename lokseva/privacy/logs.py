"""Log records without Aadhaar numbers, whoever writes them.

Rasa, Sanic (access and error logs), SQLAlchemy, our own modules: every
logger's records pass through `logging.Logger.makeRecord`, so `install`
wraps it once per process. The message (after %-formatting), the string
extras a logger passes (Sanic's access log puts the request line there) and
the text of an exception's traceback are redacted before any handler sees
them. Importing the `lokseva` package installs it (lokseva/__init__.py), so
every process that runs this project's code is covered.
"""

from __future__ import annotations

import logging
import traceback

from lokseva.privacy.redaction import redact_text

# The attributes every LogRecord has; anything else on a record is an extra.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: the handler reports it as it would
        return record
    redacted = redact_text(message)
    if redacted != message:
        record.msg, record.args = redacted, None
    for key, value in list(vars(record).items()):
        if key not in _STANDARD and isinstance(value, str):
            setattr(record, key, redact_text(value))
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        record.exc_text = redact_text("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    return record


def install() -> None:
    """Every log record of this process redacted (idempotent)."""
    if getattr(logging.Logger.makeRecord, "redacts_aadhaar", False):
        return
    make_record = logging.Logger.makeRecord

    def redacting_make_record(self, *args, **kwargs):
        return redact_record(make_record(self, *args, **kwargs))

    redacting_make_record.redacts_aadhaar = True  # type: ignore[attr-defined]
    logging.Logger.makeRecord = redacting_make_record  # type: ignore[method-assign]
