"""The links WhatsApp fetches a certificate PDF from: /media/<token>/<file name>.

The token (signing.make_media_token) names the certificate, the start of its
PDF's sha256 and a keyed hash of the conversation, and expires after
MEDIA_URL_TTL_SECONDS. The web app serves the file only while the certificate
is in force and only if that conversation is the applicant's own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lokseva.certificates import messaging, signing
from lokseva.certificates.models import Certificate
from lokseva.certificates.service import CertificateError, certificates_dir, engine_of
from lokseva.db import session_scope
from lokseva.settings import Settings, get_settings

logger = logging.getLogger(__name__)


class MediaRefused(CertificateError):
    """A /media link that must not be served. `status` is the HTTP status to answer."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def media_url(
    number: str, sha256: str, channel_user_id: str, settings: Optional[Settings] = None, now: Optional[float] = None
) -> str:
    """A link to the PDF that works for a few minutes, for this file and this
    conversation only (WhatsApp's servers fetch it right after we send it)."""
    settings = settings or get_settings()
    token = signing.make_media_token(
        number,
        sha256,
        channel_user_id,
        settings.media_url_ttl_seconds,
        now=now,
        signing_key=settings.keyring("media"),
    )
    return f"{settings.public_url.rstrip('/')}/media/{token}/{messaging.certificate_filename(number)}"


@dataclass(frozen=True)
class MediaFile:
    path: Path
    filename: str
    sha256: str


def open_media(
    token: str, *, engine: Optional[Engine] = None, settings: Optional[Settings] = None, now: Optional[float] = None
) -> MediaFile:
    """The file a /media token grants, or MediaRefused with the HTTP status:
    403 altered or for another conversation, 410 expired or revoked, 404 gone."""
    settings = settings or get_settings()
    try:
        grant = signing.read_media_token(token, now=now, signing_key=settings.keyring("media"))
    except signing.MediaTokenError as error:
        raise MediaRefused(str(error), 410 if "expired" in str(error) else 403) from None
    with session_scope(engine_of(engine)) as session:
        certificate = session.execute(
            sa.select(Certificate).where(Certificate.number == grant.certificate_number)
        ).scalar_one_or_none()
        if certificate is None:
            raise MediaRefused("no such certificate", 404)
        owner = certificate.application.citizen.channel_user_id
        if not signing.signature_matches(
            signing.conversation_tag(owner, settings.keyring("media"), grant.kid), grant.conversation_tag
        ):
            raise MediaRefused("the link belongs to another conversation", 403)
        if not certificate.sha256.startswith(grant.file_sha256_prefix):
            raise MediaRefused("the link is for another version of the file", 403)
        if certificate.revoked_at is not None:
            raise MediaRefused("the certificate is revoked", 410)
        path = certificates_dir(settings) / certificate.file_path
        number, digest = certificate.number, certificate.sha256
    if not path.is_file():
        logger.error("certificate %s: file %s is missing", number, path)
        raise MediaRefused("file missing", 404)
    return MediaFile(path, messaging.certificate_filename(number), digest)
