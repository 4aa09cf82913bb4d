"""Web routes of the certificates capability (registered in lokseva/web/app.py).

GET /verify/<number>?s=<signature>   the public page a QR code opens: valid,
                                     revoked, or invalid (altered link or no such
                                     certificate: the same answer, so numbers cannot be counted);
                                     JSON for `Accept: application/json`.
GET /media/<token>[/<filename>]      the PDF for WhatsApp to fetch: a signed
                                     token, minutes long, one file, one conversation.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, Dict

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, response
from sanic.request import Request

from lokseva.certificates import media as media_links
from lokseva.certificates import verification
from lokseva.clock import IST
from lokseva.districts import district_by_code, registry

logger = logging.getLogger(__name__)

bp = Blueprint("certificates")
_templates = Environment(
    loader=FileSystemLoader(str(Path(__file__).with_name("templates"))),
    autoescape=select_autoescape(["html"]),
)
# Pages that carry names must not be cached by shared caches or indexed.
_PRIVATE = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
_STATUS_CODES = {verification.VALID: 200, verification.REVOKED: 200, verification.INVALID: 400}


def _settings(request: Request):
    return request.app.ctx.settings


@bp.get("/verify/<number:str>")
async def verify(request: Request, number: str):
    signature = request.args.get("s")
    result = await asyncio.to_thread(verification.verify, number, signature, settings=_settings(request))
    code = _STATUS_CODES[result.status]
    if "application/json" in (request.headers.get("accept") or ""):
        body: Dict[str, Any] = {"status": result.status, "number": result.number}
        if result.status in (verification.VALID, verification.REVOKED) and result.issue_date is not None:
            body.update(
                service=result.service_name.en if result.service_name else None,
                applicant_name=result.applicant_name,
                subject_name=result.subject_name,
                issue_date=result.issue_date.isoformat(),
                valid_until=result.valid_until.isoformat() if result.valid_until else None,
                revoked_at=result.revoked_at.isoformat() if result.revoked_at else None,
                revocation_reason=result.revocation_reason,
                superseded=result.superseded,
            )
        return response.json(body, status=code, headers=_PRIVATE)
    revoked_on = result.revoked_at.astimezone(IST).strftime("%d/%m/%Y") if result.revoked_at else None
    # the issuing district is the number's code (JBA-C-2026-000123); none for a malformed number
    district = district_by_code(result.number[:3])
    page = _templates.get_template("verify.html").render(
        v=result, district=district, state=registry().state.name, revoked_on=revoked_on
    )
    return response.html(page, status=code, headers=_PRIVATE)


@bp.get("/media/<token:str>")
async def media(request: Request, token: str):
    return await _media(request, token)


@bp.get("/media/<token:str>/<filename:str>")
async def media_named(request: Request, token: str, filename: str):
    # The file name is for the citizen's phone; the token alone decides what is served.
    return await _media(request, token)


async def _media(request: Request, token: str):
    try:
        found = await asyncio.to_thread(media_links.open_media, token, settings=_settings(request))
    except media_links.MediaRefused as refused:
        logger.info("media link refused (%s): %s", refused.status, refused)
        return response.text(str(refused), status=refused.status, headers=_PRIVATE)
    return await response.file(
        str(found.path),
        mime_type="application/pdf",
        headers={
            **_PRIVATE,
            "Content-Disposition": f'inline; filename="{found.filename}"',
            "ETag": f'"{found.sha256}"',
        },
    )
