"""The one place that reads the environment.

Every process of the assistant (Rasa server, action server, web app, the local
fakes) takes its configuration from environment variables; a `.env` file at the
repository root is honoured, and `.env.example` documents every variable.

`Settings` is a frozen pydantic dataclass: each field is the environment variable
of its name in capitals (`env` is `LOKSEVA_ENV`), converted and checked by
pydantic; an empty variable counts as unset. A value that does not fit stops
start-up with a ConfigurationError naming the variable.

Secrets never live in the repository. In development, a secret that is not set is
generated once and kept in `var/dev-secrets.env` (git-ignored), so `make run`
works on a fresh clone; in production a missing secret stops start-up, and
the production entry point (lokseva/serve.py) refuses every unsafe setting.

`python -m lokseva.settings --export` prints the variables that `endpoints.yml`
and `credentials.yml` refer to as `${VAR}`, as shell `export` lines.
"""

from __future__ import annotations

import argparse
import fcntl
import functools
import os
import secrets
import shlex
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Mapping, Optional, get_args

from cryptography.fernet import Fernet
from dotenv import dotenv_values
from pydantic import Extra, ValidationError, confloat, conint, root_validator
from pydantic.dataclasses import dataclass

from lokseva.signing import PURPOSES, Keyring, keyring_from

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var"
DEV_SECRETS_FILE = VAR_DIR / "dev-secrets.env"

# Secrets: generated for development, required in production.
SECRET_NAMES = ("AADHAAR_ENCRYPTION_KEY", "SIGNING_KEY", "SESSION_SECRET", "TWILIO_AUTH_TOKEN", "RASA_API_TOKEN")
BHASHINI_CONFIG_URL = "https://meity-auth.ulcacontrib.org/ulca/apis/v0/model/getModelsPipeline"

if TYPE_CHECKING:  # mypy reads pydantic's constrained types as what they hold
    Port = int
    Interval = int
    AtLeastOne = int
    Count = int
    LinkMinutes = int
    MediaSeconds = int
    Confidence = float
else:
    Port = conint(ge=0, le=65535)
    Interval = conint(ge=5)  # seconds between two runs of a periodic job
    AtLeastOne = conint(ge=1)
    Count = conint(ge=0)
    LinkMinutes = conint(ge=16, le=180 * 24 * 60)  # Razorpay: at least 15 minutes ahead, at most six months
    MediaSeconds = conint(ge=30, le=3600)  # a few minutes: the provider fetches a link at once
    Confidence = confloat(gt=0, le=1)
Mode = Literal["development", "test", "production"]
MODES = get_args(Mode)


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable assistant."""


class _Config:
    extra = Extra.forbid


@dataclass(frozen=True, config=_Config)
class Settings:
    # Secrets (SECRET_NAMES): from the environment, or generated for development.
    twilio_auth_token: str
    aadhaar_encryption_key: str
    signing_key: str
    session_secret: str
    # Rasa's HTTP API (trackers, trigger_intent) is started with this as its JWT
    # secret: it answers only requests with a token signed by it in the
    # Authorization header (lokseva.rasa_api), never one in the URL.
    rasa_api_token: str
    env: Mode = "development"
    host: str = "127.0.0.1"
    rasa_port: Port = 5005
    action_port: Port = 5055
    web_port: Port = 8000
    # Addresses derived from the host and ports when not set (_derived_defaults).
    rasa_url: str = ""
    action_server_url: str = ""
    public_url: str = ""
    database_url: str = f"sqlite:///{VAR_DIR / 'lokseva.db'}"
    tracker_store_url: str = f"sqlite:///{VAR_DIR / 'tracker.db'}"
    lock_store_type: Literal["in_memory", "redis"] = "in_memory"
    redis_host: str = "127.0.0.1"
    redis_port: Port = 6379
    redis_lock_db: Count = 1
    twilio_account_sid: str = "ACdevelopment0000000000000000000000"
    twilio_whatsapp_number: str = "whatsapp:+14155238886"
    twilio_api_base: str = ""
    fake_twilio_port: Port = 8101
    uploads_dir: str = str(VAR_DIR / "uploads")
    payment_gateway: Literal["sandbox", "razorpay"] = "sandbox"
    sandbox_gateway_port: Port = 8102
    sandbox_gateway_url: str = ""
    razorpay_key_id: str = ""
    razorpay_key_secret: str = ""
    razorpay_webhook_secret: str = ""
    payment_link_expiry_minutes: LinkMinutes = 24 * 60
    payment_reconcile_interval_s: Interval = 60
    # Issued certificate PDFs (lokseva.certificates); one file per certificate.
    certificates_dir: str = str(VAR_DIR / "certificates")
    # Lifetime of a signed /media/<token> link sent on WhatsApp (the provider fetches it at once).
    media_url_ttl_seconds: MediaSeconds = 600
    # Staff portal: idle minutes before a session ends; where the trainer inbox
    # exports labelled examples; the NLU bench's figures; the confidence below
    # which a message goes to the trainer inbox.
    portal_session_minutes: AtLeastOne = 30
    nlu_data_dir: str = str(ROOT / "data" / "nlu")
    nlu_eval_results: str = str(ROOT / "bench" / "results" / "nlu_eval.json")
    trainer_confidence_threshold: Confidence = 0.7
    # How often `make run` purges abandoned application drafts (lokseva.applications.scheduled).
    draft_purge_interval_s: Interval = 3600
    # WhatsApp outbox (lokseva.channels.scheduled): how often `make run` re-sends the
    # replies Twilio did not take, and after how many attempts one is given up.
    whatsapp_outbox_interval_s: Interval = 60
    whatsapp_outbox_max_attempts: AtLeastOne = 20
    # Signing keys per purpose (lokseva.signing): "kid:secret kid:secret", newest
    # first; empty: one key derived from SIGNING_KEY (SESSION_SECRET for cookies).
    conversation_keys: str = ""
    certificate_keys: str = ""
    media_keys: str = ""
    receipt_keys: str = ""
    cookie_keys: str = ""
    # The reverse proxy in front of the web app (Sanic's settings of the same names):
    # how many proxies to trust, and the header that carries the client's address.
    proxies_count: Count = 0
    real_ip_header: str = ""
    # Days a conversation (and the channel's records of it) is kept before the
    # retention job deletes it (lokseva.data_rights.retention).
    conversation_retention_days: AtLeastOne = 180
    # WhatsApp: choices as reply buttons and lists (Twilio's Content API), else numbered text.
    whatsapp_interactive: bool = True
    # Speech (lokseva.speech): voice notes in (bhashini | local | off), spoken answers
    # out (bhashini | espeak | off); Bhashini's pipeline API (ULCA user id, API key,
    # pipeline id, config URL); SPEECH_MODEL_DIR for the local engine; where spoken
    # answers wait until WhatsApp fetched them. Development defaults: the fake Bhashini.
    speech_to_text: Literal["bhashini", "local", "off"] = "bhashini"
    text_to_speech: Literal["bhashini", "espeak", "off"] = "espeak"
    bhashini_config_url: str = BHASHINI_CONFIG_URL
    bhashini_user_id: str = ""
    bhashini_api_key: str = ""
    bhashini_pipeline_id: str = "64392f96daac500b55c543cd"
    fake_bhashini_port: Port = 8103
    speech_model_dir: str = ""
    voice_dir: str = str(VAR_DIR / "voice")
    # Rasa's events to RabbitMQ (amqp://user:password@host:5672/), and the database
    # of the compact table the portal then reads (lokseva.portal.stream); empty: none,
    # the portal reads the conversation store.
    event_broker_url: str = ""
    event_broker_queue: str = "lokseva_conversation_events"
    conversation_stream_url: str = ""

    @root_validator(skip_on_failure=True)
    def _consistent(cls, values: Dict[str, Any]) -> Dict[str, Any]:  # noqa: N805 - pydantic validators take the class
        for purpose, (_variable, master) in PURPOSES.items():
            # KeyConfigurationError is a ValueError that names the variable.
            _keyring(purpose, values[_variable.lower()], values[master.lower()])
        if values["speech_to_text"] == "local" and not values["speech_model_dir"]:
            raise ValueError("SPEECH_TO_TEXT=local needs SPEECH_MODEL_DIR (a speech model directory)")
        if values["payment_gateway"] == "razorpay" and not (
            values["razorpay_key_id"] and values["razorpay_key_secret"] and values["razorpay_webhook_secret"]
        ):
            raise ValueError(
                "PAYMENT_GATEWAY=razorpay needs RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET and RAZORPAY_WEBHOOK_SECRET"
            )
        return values

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    def keyring(self, purpose: str) -> Keyring:
        """The signing keys of `purpose` (lokseva.signing.PURPOSES)."""
        variable, master = PURPOSES[purpose]
        return _keyring(purpose, getattr(self, variable.lower()), getattr(self, master.lower()))

    def as_env(self) -> Dict[str, str]:
        """The settings as environment variables, for child processes and Rasa's ${VAR}."""
        return {f.name.upper(): str(getattr(self, f.name)) for f in fields(self)} | {
            "LOKSEVA_ENV": self.env,
            # Rasa would otherwise try to send telemetry to the internet.
            "RASA_TELEMETRY_ENABLED": "false",
        }


def variable(field_name: str) -> str:
    """The environment variable of a Settings field."""
    return "LOKSEVA_ENV" if field_name == "env" else field_name.upper()


@functools.lru_cache(maxsize=32)
def _keyring(purpose: str, configured: str, master: str) -> Keyring:
    return keyring_from(purpose, configured, master)


def _read_env_file(path: Path) -> Dict[str, str]:
    if not path.exists():
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def _dev_secrets() -> Dict[str, str]:
    """Development secrets, generated once per checkout and never committed.

    Several processes start at once (make run, pytest workers): a lock makes one
    of them generate the missing secrets and the others read what it wrote, and
    the file is replaced whole, so nobody reads half of it."""
    existing = _read_env_file(DEV_SECRETS_FILE)
    if all(name in existing for name in SECRET_NAMES):
        return existing
    VAR_DIR.mkdir(exist_ok=True)
    with open(VAR_DIR / ".dev-secrets.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        existing = _read_env_file(DEV_SECRETS_FILE)
        missing = [name for name in SECRET_NAMES if name not in existing]
        if missing:
            for name in missing:
                existing[name] = (
                    Fernet.generate_key().decode()
                    if name == "AADHAAR_ENCRYPTION_KEY"
                    else secrets.token_hex(16)
                    if name == "TWILIO_AUTH_TOKEN"
                    else secrets.token_urlsafe(32)
                )
            partial = DEV_SECRETS_FILE.with_suffix(".tmp")
            partial.write_text(
                "# Generated development secrets. Never use in production.\n"
                + "".join(f"{k}={v}\n" for k, v in existing.items())
            )
            partial.chmod(0o600)
            os.replace(partial, DEV_SECRETS_FILE)
    return existing


def _derived_defaults(values: Mapping[str, Any], production: bool) -> Dict[str, Any]:
    """Defaults that follow other settings: addresses from the host and ports, and
    the development stand-ins (fake Twilio, sandbox gateway, fake Bhashini)."""
    defaults = {f.name: f.default for f in fields(Settings)}

    def get(name: str) -> str:
        return values.get(name) or str(defaults[name])

    host = get("host")
    derived = {
        "rasa_url": f"http://{host}:{get('rasa_port')}",
        "action_server_url": f"http://{host}:{get('action_port')}/webhook",
        "public_url": f"http://{host}:{get('web_port')}",
        "twilio_api_base": f"http://{host}:{get('fake_twilio_port')}",
        "sandbox_gateway_url": f"http://{host}:{get('sandbox_gateway_port')}",
    }
    if production:
        derived["text_to_speech"] = "bhashini"
    else:
        derived |= {
            "bhashini_config_url": f"http://{host}:{get('fake_bhashini_port')}/ulca/apis/v0/model/getModelsPipeline",
            "bhashini_user_id": "development-user",
            "bhashini_api_key": "development-ulca-key",
        }
    return derived


def _named(error: ValidationError, given: Mapping[str, str]) -> str:
    """pydantic's errors, each naming the environment variable."""
    problems: List[str] = []
    for item in error.errors():
        name = str(item["loc"][0])
        if name == "__root__":
            problems.append(item["msg"])
            continue
        kind, context = item["type"], item.get("ctx") or {}
        if kind == "value_error.missing":
            problem = "is not set"
        elif kind == "type_error.integer":
            problem = "must be a whole number"
        elif kind == "type_error.float":
            problem = "must be a number"
        elif kind == "type_error.bool":
            problem = "must be true or false"
        elif kind == "value_error.const":
            *others, last = (str(p) for p in context["permitted"])
            problem = f"must be {', '.join(others)} or {last}"
        elif kind == "value_error.number.not_ge":
            problem = f"must be at least {context['limit_value']}"
        elif kind == "value_error.number.not_gt":
            problem = f"must be more than {context['limit_value']}"
        elif kind == "value_error.number.not_le":
            problem = f"must be at most {context['limit_value']}"
        else:
            problem = item["msg"]
        problems.append(f"{variable(name)} {problem}, not {given.get(name)!r}")
    return "; ".join(problems)


def load_settings(environ: Optional[Mapping[str, str]] = None) -> Settings:
    """Builds the settings from `environ` (default: os.environ, then .env)."""
    env: Dict[str, str] = _read_env_file(ROOT / ".env")
    env.update(os.environ if environ is None else environ)
    mode = env.get("LOKSEVA_ENV") or "development"
    if mode not in MODES:
        # Before the secrets: a misspelt mode must not generate development secrets.
        raise ConfigurationError(f"LOKSEVA_ENV must be development, test or production, not {mode!r}")
    if mode == "production":
        missing = [n for n in SECRET_NAMES if not env.get(n)]
        if missing:
            raise ConfigurationError(f"production needs these secrets set: {', '.join(missing)}")
    else:
        for name, value in _dev_secrets().items():
            env.setdefault(name, value)
    given: Dict[str, Any] = {f.name: env[variable(f.name)] for f in fields(Settings) if env.get(variable(f.name))}
    given["env"] = mode
    values = _derived_defaults(given, mode == "production") | given
    VAR_DIR.mkdir(exist_ok=True)
    try:
        return Settings(**values)
    except ValidationError as error:
        raise ConfigurationError(_named(error, values)) from None


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", action="store_true", help="print shell export lines")
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.export:
        for key, value in sorted(settings.as_env().items()):
            print(f"export {key}={shlex.quote(value)}")
    else:
        for key, value in sorted(settings.as_env().items()):
            shown = "(set)" if any(s in key for s in ("SECRET", "KEY", "TOKEN")) and value else value
            print(f"{key}={shown}")


if __name__ == "__main__":
    main()
