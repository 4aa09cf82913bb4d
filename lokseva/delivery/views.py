"""Web routes of home delivery (registered in lokseva/web/app.py).

GET /delivery/paid   where the citizen's browser lands after paying the postage
                     fee: the gateway's signed redirect makes payments ask the
                     gateway (authenticated) about the link and record what it
                     says (lokseva.payments.settle), then the page says what happened.
A citizen who closes the browser is served by the payments webhook and the
payments reconciliation, as for any fee.
"""

from __future__ import annotations

import asyncio
import logging

from sanic import Blueprint, response
from sanic.request import Request

from lokseva.delivery import fees
from lokseva.payments import settle
from lokseva.payments.common import gateway

log = logging.getLogger(__name__)

bp = Blueprint("delivery")

_PAGE = """<!doctype html><html lang="hi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font-family:"Noto Sans Devanagari","Noto Sans",sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
.en{{color:#555}}</style></head><body><h1>{title}</h1><p>{hi}</p><p class="en">{en}</p></body></html>"""


@bp.get(fees.CALLBACK_PATH)
async def paid(request: Request):
    params = {key: request.args.get(key) for key in request.args}
    outcome = "unverified"
    if gateway().verify_callback(params) and params.get("razorpay_payment_link_id"):
        recorded = await asyncio.to_thread(settle.sync_link, params["razorpay_payment_link_id"], "callback")
        outcome = recorded.status
    elif params:
        log.warning("delivery payment redirect with a bad signature (%s)", request.ip)
    if outcome in ("paid", "duplicate"):
        page = _PAGE.format(
            title="डाक की फीस जमा हो गई ✅",
            hi="आपका प्रमाण पत्र छपकर स्पीड पोस्ट से आएगा। हर कदम की जानकारी WhatsApp पर मिलेगी।",
            en="The postage fee is paid. Your certificate will be printed and sent by speed post; "
            "you will hear about every step on WhatsApp.",
        )
    else:
        page = _PAGE.format(
            title="भुगतान की जाँच हो रही है",
            hi="अगर पैसा कटा है तो कुछ ही मिनट में WhatsApp पर संदेश आएगा। दोबारा भुगतान न करें।",
            en="If money was taken, a WhatsApp message follows within minutes. Please do not pay again.",
        )
    return response.html(page, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
