"""The WhatsApp inbox and outbox keep no Aadhaar number in clear (issue: the
inbox kept every raw Twilio field, Body included, for 7 days). A waiting
message keeps its clear text sealed with the vault's keys until it is
processed, so that the bot can still read the number."""

import json
import logging

import sqlalchemy as sa

from lokseva.channels.outbox import Outbox
from lokseva.privacy.logs import install, redact_record

PHONE = "+919812300042"
AADHAAR_TYPED = "2345 – 6789 – 0124"
SID = "SM" + "c" * 32


def stored_params(store):
    with store.engine.connect() as conn:
        return json.loads(conn.execute(sa.text("SELECT params FROM whatsapp_inbound_messages")).scalar())


def test_the_inbox_stores_the_body_masked_and_the_clear_text_only_sealed(store):
    fields = {"MessageSid": SID, "From": f"whatsapp:{PHONE}", "WaId": PHONE[1:], "Body": f"aadhar {AADHAAR_TYPED}"}
    assert store.record_inbound(SID, PHONE, fields, owner="gone")
    row = stored_params(store)
    assert row["Body"] == "aadhar XXXX – XXXX – 0124" and "6789" not in json.dumps(row)
    assert row["WaId"] == PHONE[1:] and row["From"] == f"whatsapp:{PHONE}", "who wrote is kept as it is"
    # The process died before answering: another one takes the message over and reads it in clear.
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE whatsapp_inbound_messages SET lease_until = '2000-01-01 00:00:00'")
    [pending] = store.claim_abandoned("next")
    assert pending.params["Body"] == f"aadhar {AADHAAR_TYPED}"
    store.finish(SID, "done")
    assert "_sealed" not in stored_params(store), "once answered, the clear text is gone"
    assert stored_params(store)["Body"] == "aadhar XXXX – XXXX – 0124"


def test_the_outbox_stores_no_clear_number(store):
    Outbox(store.engine).add("wa-x", "text", {"To": f"whatsapp:{PHONE}", "Body": "आपने 2345/6789/0124 लिखा"}, "me")
    with store.engine.connect() as conn:
        params = json.loads(conn.execute(sa.text("SELECT params FROM whatsapp_outbox")).scalar())
    assert params == {"To": f"whatsapp:{PHONE}", "Body": "आपने XXXX/XXXX/0124 लिखा"}


def test_every_logger_is_redacted_message_extras_and_traceback(caplog):
    install()
    install()  # once is enough; twice does no harm
    caplog.set_level(logging.INFO)
    logging.getLogger("sanic.access").info("", extra={"request": "GET /q?t=2345%206789%200124 2345-6789-0124"})
    logging.getLogger("rasa.core.processor").info("Received user message '%s'", "aadhar २३४५ ६७८९ ०१२४")
    try:
        raise ValueError("'2345.6789.0124' is not valid")
    except ValueError:
        logging.getLogger("lokseva").exception("could not read")
    text = caplog.text + "".join(getattr(r, "request", "") for r in caplog.records)
    assert "6789" not in text and "६७८९" not in text, text
    assert "XXXX-XXXX-0124" in text and "XXXX XXXX ०१२४" in text


def test_a_record_with_a_broken_format_is_left_to_the_handler():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d", ("not a number",), None)
    assert redact_record(record) is record
