"""Web routes of payments (a Sanic blueprint, registered in lokseva/web/app.py).

- POST /payments/webhook: the gateway's webhooks. The signature is checked on
  the RAW body before anything is parsed; a bad or missing signature is answered
  400 and changes nothing. The answer says what happened in one word; the
  citizen's messages go out after the answer (the gateway waits only seconds).
- GET /payments/done: where the citizen's browser lands after paying. The
  redirect's own signature is checked, and the link is then fetched from the
  gateway (its word, not the browser's, records the payment).
- GET /payments/receipts/<reference>.pdf?exp=…&sig=…: the receipt PDF, behind a
  signed, expiring URL (WhatsApp's servers fetch it without logging in).

Database and gateway work is blocking, so it runs in threads, off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import time

from sanic import Blueprint, response
from sanic.request import Request

from lokseva.payments import notices, settle, signatures
from lokseva.payments.common import gateway
from lokseva.payments.gateway import CALLBACK_PATH, WEBHOOK_PATH, MalformedWebhook, parse_webhook

log = logging.getLogger(__name__)
bp = Blueprint("payments")

_DONE_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font-family:"Noto Sans Devanagari",system-ui,sans-serif;max-width:26rem;margin:2rem auto;padding:0 1rem;
font-size:1.15rem;line-height:1.5}}</style></head><body><h1>{title}</h1><p>{hi}</p><p lang="en">{en}</p></body></html>"""


async def _in_thread(function, *args, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(None, lambda: function(*args, **kwargs))


@bp.post(WEBHOOK_PATH)
async def webhook(request: Request):
    body = request.body or b""
    signature = request.headers.get(signatures.SIGNATURE_HEADER)
    if not gateway().verify_webhook(body, signature):
        log.warning("webhook refused: bad or missing signature (%d bytes from %s)", len(body), request.ip)
        return response.json({"error": "invalid signature"}, status=400)
    try:
        event = parse_webhook(body, request.headers.get(signatures.EVENT_ID_HEADER))
    except MalformedWebhook as error:
        log.warning("signed webhook that we cannot read: %s", error)
        return response.json({"error": "malformed"}, status=400)
    outcome = await _in_thread(settle.handle_webhook, event)
    log.info("webhook %s %s: %s", event.event, event.event_id, outcome.status)
    # A new link, messages to the citizen: after the answer (the gateway waits
    # only seconds); the reconciliation job does whatever fails here.
    request.app.add_task(_in_thread(settle.follow_up, outcome))
    # A fee whose owner this process lacks is not recorded: the gateway sends it again.
    return response.json({"status": outcome.status}, status=500 if outcome.status == "no_owner" else 200)


@bp.get(CALLBACK_PATH)
async def payment_done(request: Request):
    params = {key: request.args.get(key) for key in request.args}
    lang = "hi"
    verified = gateway().verify_callback(params)
    if verified and params.get("razorpay_payment_link_id"):
        outcome = await _in_thread(settle.sync_link, params["razorpay_payment_link_id"], "callback")
        paid = outcome.status in ("paid", "duplicate")
    else:
        if params:
            log.warning("payment redirect with a bad signature (%s)", request.ip)
        paid = False
    if paid:
        page = _DONE_PAGE.format(
            lang=lang,
            title="भुगतान हो गया ✅",
            hi="फीस जमा हो गई। रसीद WhatsApp पर भेज दी है। अब यह पेज बंद करके WhatsApp पर लौटें।",
            en="The fee is paid. The receipt has been sent on WhatsApp. You can close this page.",
        )
    else:
        page = _DONE_PAGE.format(
            lang=lang,
            title="भुगतान की जाँच हो रही है",
            hi="अगर पैसा कटा है तो कुछ ही मिनट में रसीद WhatsApp पर आएगी। दोबारा भुगतान न करें।",
            en="If money was taken, the receipt comes on WhatsApp within minutes. Please do not pay again.",
        )
    return response.html(page)


@bp.get("/payments/receipts/<reference:str>")
async def receipt(request: Request, reference: str):
    if not reference.endswith(".pdf"):
        return response.text("not found", status=404)
    reference = reference[: -len(".pdf")]
    try:
        expires = int(request.args.get("exp", "0"))
    except ValueError:
        expires = 0
    settings = request.app.ctx.settings
    if not signatures.verify_receipt_token(
        reference, expires, request.args.get("sig"), settings.keyring("receipt"), int(time.time())
    ):
        return response.text("this link is not valid (or has expired)", status=403)
    pdf = await _in_thread(notices.receipt_pdf, reference)
    if pdf is None:
        return response.text("not found", status=404)
    return response.raw(
        pdf,
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="receipt-{reference}.pdf"',
            "Cache-Control": "private, max-age=3600",
        },
    )
