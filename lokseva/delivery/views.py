"""Web routes of home delivery (registered in lokseva/web/app.py).

GET /delivery/paid   where the citizen's browser lands after paying the postage
                     fee: the gateway's signed redirect makes us ask the gateway
                     (authenticated) about the link, then says what happened.
A background task of the web app asks the gateway about every fee still awaited
every DELIVERY_PAYMENT_SYNC_SECONDS, so a citizen who closes the browser is
still served.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging

from sanic import Blueprint, response
from sanic.request import Request

from lokseva.delivery import flows

log = logging.getLogger(__name__)

bp = Blueprint("delivery")

_PAGE = """<!doctype html><html lang="hi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font-family:"Noto Sans Devanagari","Noto Sans",sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
.en{{color:#555}}</style></head><body><h1>{title}</h1><p>{hi}</p><p class="en">{en}</p></body></html>"""


@bp.get(flows.CALLBACK_PATH)
async def paid(request: Request):
    params = {key: request.args.get(key) for key in request.args}
    outcome = "unverified"
    if flows.gateway().verify_callback(params) and params.get("razorpay_payment_link_id"):
        outcome = await asyncio.to_thread(flows.sync_by_link, params["razorpay_payment_link_id"], "callback")
    elif params:
        log.warning("delivery payment redirect with a bad signature (%s)", request.ip)
    if outcome in ("paid", "duplicate"):
        page = _PAGE.format(title="डाक की फीस जमा हो गई ✅",
                            hi="आपका प्रमाण पत्र छपकर स्पीड पोस्ट से आएगा। हर कदम की जानकारी WhatsApp पर मिलेगी।",
                            en="The postage fee is paid. Your certificate will be printed and sent by speed post; "
                               "you will hear about every step on WhatsApp.")
    else:
        page = _PAGE.format(title="भुगतान की जाँच हो रही है",
                            hi="अगर पैसा कटा है तो कुछ ही मिनट में WhatsApp पर संदेश आएगा। दोबारा भुगतान न करें।",
                            en="If money was taken, a WhatsApp message follows within minutes. Please do not pay again.")
    return response.html(page, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


async def _sync_forever(every: float) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            counts = await asyncio.to_thread(flows.sync_open_payments)
            if counts.get("paid"):
                log.info("delivery fees recorded by the periodic check: %d", counts["paid"])
        except Exception:  # the next round tries again
            log.exception("delivery fee check failed")


@bp.listener("after_server_start")
async def start_fee_checks(app, loop):
    every = app.ctx.settings.delivery_payment_sync_seconds
    app.ctx.delivery_fee_checks = loop.create_task(_sync_forever(every)) if every > 0 else None


@bp.listener("before_server_stop")
async def stop_fee_checks(app, loop):
    task = getattr(app.ctx, "delivery_fee_checks", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
