"""The production profile: what a production process checks before it starts.

`python -m lokseva.serve` (lokseva/serve.py) runs these checks and refuses to
start while any fails; each refusal names the setting to fix. They fail closed:
a setting left out is refused, never replaced by a development default.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import urlsplit

import requests
import yaml

from lokseva.channels.notifications import load_templates
from lokseva.settings import DEV_SECRETS_FILE, ROOT, SECRET_NAMES, Settings, _read_env_file

TWILIO_API = "https://api.twilio.com"
TWILIO_CONTENT_API = "https://content.twilio.com"
MIN_SECRET_LENGTH = 32
# Citizens' channels only: Rasa's REST, socket.io and callback channels take any
# sender id from the caller, so anyone could speak as any citizen.
UNSIGNED_CHANNELS = ("rest", "socketio", "callback")
# The development SIDs of notifications.yml: HX followed by zeros and a small number.
_PLACEHOLDER_SID = re.compile(r"^HX0{20,}\d*$")
_CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")


@dataclass(frozen=True)
class Refusal:
    setting: str
    reason: str

    def __str__(self) -> str:
        return f"{self.setting}: {self.reason}"


class ProductionRefused(RuntimeError):
    def __init__(self, refusals: List[Refusal]):
        self.refusals = refusals
        super().__init__("refusing to start in production:\n" + "\n".join(f"  - {r}" for r in refusals))

    @property
    def settings_named(self) -> List[str]:
        return [r.setting for r in self.refusals]


def _weak(value: str, development: Optional[str]) -> Optional[str]:
    if not value:
        return "is not set"
    if len(value) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    if len(set(value)) < 10:
        return "repeats too few characters to be random"
    if development and value == development:
        return "is the generated development secret (var/dev-secrets.env)"
    return None


def check_environment(environ: Mapping[str, str], settings: Settings) -> List[Refusal]:
    """Every check that needs no network: the settings and the environment they came from."""
    refusals: List[Refusal] = []

    def refuse(setting: str, reason: str) -> None:
        refusals.append(Refusal(setting, reason))

    if environ.get("LOKSEVA_ENV") != "production":
        refuse("LOKSEVA_ENV", "must be set to production explicitly (unset means development)")
    development = _read_env_file(DEV_SECRETS_FILE)
    for name in SECRET_NAMES:
        problem = _weak(environ.get(name, ""), development.get(name))
        if problem:
            refuse(name, problem)
    if settings.payment_gateway != "razorpay":
        refuse("PAYMENT_GATEWAY", f"is {settings.payment_gateway!r}: production takes payments through razorpay")
    else:
        for name in ("RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET"):
            problem = _weak(environ.get(name, ""), None)
            if problem:
                refuse(name, problem)
    if settings.twilio_api_base.rstrip("/") != TWILIO_API:
        refuse("TWILIO_API_BASE", f"must be Twilio's API, {TWILIO_API}")
    if not re.fullmatch(r"AC[0-9a-f]{32}", settings.twilio_account_sid) or "development" in settings.twilio_account_sid:
        refuse("TWILIO_ACCOUNT_SID", "must be the production Twilio account (AC followed by 32 hex digits)")
    public = urlsplit(settings.public_url)
    if public.scheme != "https" or not public.hostname or _is_local(public.hostname):
        refuse("PUBLIC_URL", "must be the public https address citizens and Twilio reach")
    for name, url in (("DATABASE_URL", settings.database_url), ("TRACKER_STORE_URL", settings.tracker_store_url)):
        if not environ.get(name):
            refuse(name, "is not set (the default is a SQLite file)")
        elif url.lower().startswith("sqlite"):
            refuse(name, "is SQLite: production keeps its data in PostgreSQL")
    if settings.proxies_count < 1 and not settings.real_ip_header:
        refuse(
            "PROXIES_COUNT",
            "is not set: say how many reverse proxies to trust (or set REAL_IP_HEADER), "
            "or every sign-in seems to come from the proxy's address",
        )
    if not _is_internal(settings.host):
        refuse("HOST", f"is {settings.host!r}: bind the servers to the internal network (the proxy reaches them)")
    return refusals


def _is_local(hostname: str) -> bool:
    if hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def _is_internal(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost"
    return not address.is_unspecified and (address.is_loopback or address.is_private)


def check_credentials(path: Path) -> List[Refusal]:
    """The Rasa credentials file: the WhatsApp channel only."""
    try:
        channels = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        return [Refusal("RASA_CREDENTIALS", f"cannot read {path.name}: {error}")]
    unsigned = [name for name in channels if name in UNSIGNED_CHANNELS]
    if unsigned:
        return [
            Refusal(
                "RASA_CREDENTIALS",
                f"{path.name} configures the {', '.join(unsigned)} channel: it lets anyone speak as any citizen",
            )
        ]
    return []


def content_api_base(settings: Settings) -> str:
    """Twilio's Content API, or the local fake's when TWILIO_API_BASE is the fake."""
    base = settings.twilio_api_base.rstrip("/")
    return TWILIO_CONTENT_API if base == TWILIO_API else base


def check_content_sids(
    settings: Settings, base_url: Optional[str] = None, templates: Optional[Mapping[str, Any]] = None
) -> List[Refusal]:
    """Every notification template's Content SID exists in the Twilio account
    (GET /v1/Content/{sid}): otherwise a message outside the 24-hour window fails."""
    base = (base_url or content_api_base(settings)).rstrip("/")
    refusals: List[Refusal] = []
    for template in (templates or load_templates()).values():
        for language in template.text:
            setting = f"notifications.yml {template.key}.content_sid.{language}"
            sid = template.content_sid.get(language) or ""
            if not _CONTENT_SID.match(sid):
                refusals.append(Refusal(setting, "is missing or not a Content SID (HX + 32 hex digits)"))
                continue
            if _PLACEHOLDER_SID.match(sid):
                refusals.append(Refusal(setting, f"{sid} is a development placeholder"))
                continue
            try:
                reply = requests.get(
                    f"{base}/v1/Content/{sid}",
                    auth=(settings.twilio_account_sid, settings.twilio_auth_token),
                    timeout=15,
                )
            except requests.RequestException as error:
                refusals.append(Refusal(setting, f"could not ask Twilio's Content API about {sid}: {error}"))
                continue
            if reply.status_code == 404:
                refusals.append(Refusal(setting, f"{sid} is not a template of this Twilio account (404)"))
            elif reply.status_code != 200:
                refusals.append(Refusal(setting, f"Twilio's Content API answered {reply.status_code} for {sid}"))
    return refusals


def check_all(environ: Mapping[str, str], settings: Settings, credentials: Path, check_content: bool = True) -> None:
    """Raises ProductionRefused naming every unsafe setting."""
    refusals = check_environment(environ, settings) + check_credentials(credentials)
    if check_content and not any(r.setting in ("TWILIO_API_BASE", "TWILIO_AUTH_TOKEN") for r in refusals):
        refusals += check_content_sids(settings)
    if refusals:
        raise ProductionRefused(refusals)


def production_environ(environ: Mapping[str, str]) -> Dict[str, str]:
    """`environ` with the repository's .env under it, as load_settings reads it."""
    merged = _read_env_file(ROOT / ".env")
    merged.update(environ)
    return merged
