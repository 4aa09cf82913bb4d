"""The one place that reads the environment.

Every process of the assistant (Rasa server, action server, web app, the local
fakes) takes its configuration from environment variables; a `.env` file at the
repository root is honoured, and `.env.example` documents every variable.

Secrets never live in the repository. In development, a secret that is not set is
generated once and kept in `var/dev-secrets.env` (git-ignored), so `make run`
works on a fresh clone; in production a missing secret stops start-up, and
the production entry point (lokseva/serve.py) refuses every unsafe setting.

`python -m lokseva.settings --export` prints the variables that `endpoints.yml`
and `credentials.yml` refer to as `${VAR}`, as shell `export` lines.
"""
from __future__ import annotations

import argparse
import functools
import os
import secrets
import shlex
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Dict, Mapping, Optional

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var"
DEV_SECRETS_FILE = VAR_DIR / "dev-secrets.env"

# Secrets: generated for development, required in production.
SECRET_NAMES = ("AADHAAR_ENCRYPTION_KEY", "SIGNING_KEY", "SESSION_SECRET", "TWILIO_AUTH_TOKEN", "RASA_API_TOKEN")


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable assistant."""


@dataclass(frozen=True)
class Settings:
    env: str
    host: str
    rasa_port: int
    action_port: int
    web_port: int
    rasa_url: str
    # Rasa's HTTP API (trackers, trigger_intent) is started with this as its JWT
    # secret: it answers only requests with a token signed by it in the
    # Authorization header (lokseva.rasa_api), never one in the URL.
    rasa_api_token: str
    action_server_url: str
    public_url: str
    database_url: str
    tracker_store_url: str
    lock_store_type: str
    redis_host: str
    redis_port: int
    redis_lock_db: int
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_whatsapp_number: str
    twilio_api_base: str
    fake_twilio_port: int
    uploads_dir: str
    payment_gateway: str
    sandbox_gateway_port: int
    sandbox_gateway_url: str
    razorpay_key_id: str
    razorpay_key_secret: str
    razorpay_webhook_secret: str
    payment_link_expiry_minutes: int
    payment_reconcile_interval_s: int
    aadhaar_encryption_key: str
    signing_key: str
    session_secret: str
    # Issued certificate PDFs (lokseva.certificates); one file per certificate.
    certificates_dir: str = str(VAR_DIR / "certificates")
    # Lifetime of a signed /media/<token> link sent on WhatsApp (the provider fetches it at once).
    media_url_ttl_seconds: int = 600
    # Staff portal: idle minutes before a session ends; where the trainer inbox
    # exports labelled examples; the NLU bench's figures; the confidence below
    # which a message goes to the trainer inbox.
    portal_session_minutes: int = 30
    nlu_data_dir: str = str(ROOT / "data" / "nlu")
    nlu_eval_results: str = str(ROOT / "bench" / "results" / "nlu_eval.json")
    trainer_confidence_threshold: float = 0.7
    # How often `make run` purges abandoned application drafts (lokseva.applications.scheduled).
    draft_purge_interval_s: int = 3600
    # WhatsApp outbox (lokseva.channels.scheduled): how often `make run` re-sends the
    # replies Twilio did not take, and after how many attempts one is given up.
    whatsapp_outbox_interval_s: int = 60
    whatsapp_outbox_max_attempts: int = 20
    # Signing keys per purpose (lokseva.signing): "kid:secret kid:secret", newest
    # first; empty: one key derived from SIGNING_KEY (SESSION_SECRET for cookies).
    conversation_keys: str = ""
    certificate_keys: str = ""
    media_keys: str = ""
    receipt_keys: str = ""
    cookie_keys: str = ""
    # The reverse proxy in front of the web app (Sanic's settings of the same names):
    # how many proxies to trust, and the header that carries the client's address.
    proxies_count: int = 0
    real_ip_header: str = ""
    # Days a conversation (and the channel's records of it) is kept before the
    # retention job deletes it (lokseva.data_rights.retention).
    conversation_retention_days: int = 180
    # WhatsApp: choices as reply buttons and lists (Twilio's Content API), else numbered text.
    whatsapp_interactive: bool = True
    # Speech (lokseva.speech): voice notes in (bhashini | local | off), spoken answers
    # out (bhashini | espeak | off); Bhashini's pipeline API (ULCA user id, API key,
    # pipeline id, config URL); SPEECH_MODEL_DIR for the local engine; where spoken
    # answers wait until WhatsApp fetched them.
    speech_to_text: str = "bhashini"
    text_to_speech: str = "espeak"
    bhashini_config_url: str = "https://meity-auth.ulcacontrib.org/ulca/apis/v0/model/getModelsPipeline"
    bhashini_user_id: str = ""
    bhashini_api_key: str = ""
    bhashini_pipeline_id: str = "64392f96daac500b55c543cd"
    fake_bhashini_port: int = 8103
    speech_model_dir: str = ""
    voice_dir: str = str(VAR_DIR / "voice")
    # Rasa's events to RabbitMQ (amqp://user:password@host:5672/), and the database
    # of the compact table the portal then reads (lokseva.portal.stream); empty: none,
    # the portal reads the conversation store.
    event_broker_url: str = ""
    event_broker_queue: str = "lokseva_conversation_events"
    conversation_stream_url: str = ""

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    def keyring(self, purpose: str):
        """The signing keys of `purpose` (lokseva.signing.PURPOSES)."""
        from lokseva.signing import PURPOSES

        variable, master = PURPOSES[purpose]
        return _keyring(purpose, getattr(self, variable.lower()), getattr(self, master.lower()))

    def as_env(self) -> Dict[str, str]:
        """The settings as environment variables, for child processes and Rasa's ${VAR}."""
        return {f.name.upper(): str(getattr(self, f.name)) for f in fields(self)} | {
            "LOKSEVA_ENV": self.env,
            # Rasa would otherwise try to send telemetry to the internet.
            "RASA_TELEMETRY_ENABLED": "false",
        }


@functools.lru_cache(maxsize=32)
def _keyring(purpose: str, configured: str, master: str):
    from lokseva.signing import keyring_from

    return keyring_from(purpose, configured, master)


def _read_env_file(path: Path) -> Dict[str, str]:
    if not path.exists():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def _dev_secrets() -> Dict[str, str]:
    """Development secrets, generated once per checkout and never committed.

    Several processes start at once (make run, pytest workers): a lock makes one
    of them generate the missing secrets and the others read what it wrote, and
    the file is replaced whole, so nobody reads half of it."""
    existing = _read_env_file(DEV_SECRETS_FILE)
    if all(name in existing for name in SECRET_NAMES):
        return existing
    import fcntl

    VAR_DIR.mkdir(exist_ok=True)
    with open(VAR_DIR / ".dev-secrets.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        existing = _read_env_file(DEV_SECRETS_FILE)
        missing = [name for name in SECRET_NAMES if name not in existing]
        if missing:
            from cryptography.fernet import Fernet

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


def load_settings(environ: Optional[Mapping[str, str]] = None) -> Settings:
    """Builds the settings from `environ` (default: os.environ, then .env)."""
    env: Dict[str, str] = _read_env_file(ROOT / ".env")
    env.update(os.environ if environ is None else environ)
    mode = env.get("LOKSEVA_ENV", "development")
    if mode not in ("development", "test", "production"):
        raise ConfigurationError(f"LOKSEVA_ENV must be development, test or production, not {mode!r}")

    if mode == "production":
        missing = [n for n in SECRET_NAMES if not env.get(n)]
        if missing:
            raise ConfigurationError(f"production needs these secrets set: {', '.join(missing)}")
    else:
        for name, value in _dev_secrets().items():
            env.setdefault(name, value)

    def get(name: str, default: str) -> str:
        return env.get(name) or default

    def get_int(name: str, default: int) -> int:
        raw = get(name, str(default))
        try:
            return int(raw)
        except ValueError:
            raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from None

    def get_float(name: str, default: float) -> float:
        raw = get(name, str(default))
        try:
            return float(raw)
        except ValueError:
            raise ConfigurationError(f"{name} must be a number, not {raw!r}") from None

    host = get("HOST", "127.0.0.1")
    rasa_port = get_int("RASA_PORT", 5005)
    action_port = get_int("ACTION_PORT", 5055)
    web_port = get_int("WEB_PORT", 8000)
    fake_twilio_port = get_int("FAKE_TWILIO_PORT", 8101)
    sandbox_port = get_int("SANDBOX_GATEWAY_PORT", 8102)
    fake_bhashini_port = get_int("FAKE_BHASHINI_PORT", 8103)
    VAR_DIR.mkdir(exist_ok=True)
    settings = Settings(
        env=mode,
        host=host,
        rasa_port=rasa_port,
        action_port=action_port,
        web_port=web_port,
        rasa_url=get("RASA_URL", f"http://{host}:{rasa_port}"),
        action_server_url=get("ACTION_SERVER_URL", f"http://{host}:{action_port}/webhook"),
        public_url=get("PUBLIC_URL", f"http://{host}:{web_port}"),
        database_url=get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lokseva.db'}"),
        tracker_store_url=get("TRACKER_STORE_URL", f"sqlite:///{VAR_DIR / 'tracker.db'}"),
        lock_store_type=get("LOCK_STORE_TYPE", "in_memory"),
        redis_host=get("REDIS_HOST", "127.0.0.1"),
        redis_port=get_int("REDIS_PORT", 6379),
        redis_lock_db=get_int("REDIS_LOCK_DB", 1),
        twilio_account_sid=get("TWILIO_ACCOUNT_SID", "ACdevelopment0000000000000000000000"),
        twilio_auth_token=env["TWILIO_AUTH_TOKEN"],
        twilio_whatsapp_number=get("TWILIO_WHATSAPP_NUMBER", "whatsapp:+14155238886"),
        twilio_api_base=get("TWILIO_API_BASE", f"http://{host}:{fake_twilio_port}"),
        fake_twilio_port=fake_twilio_port,
        uploads_dir=get("UPLOADS_DIR", str(VAR_DIR / "uploads")),
        payment_gateway=get("PAYMENT_GATEWAY", "sandbox"),
        sandbox_gateway_port=sandbox_port,
        sandbox_gateway_url=get("SANDBOX_GATEWAY_URL", f"http://{host}:{sandbox_port}"),
        razorpay_key_id=get("RAZORPAY_KEY_ID", ""),
        razorpay_key_secret=get("RAZORPAY_KEY_SECRET", ""),
        razorpay_webhook_secret=get("RAZORPAY_WEBHOOK_SECRET", ""),
        payment_link_expiry_minutes=get_int("PAYMENT_LINK_EXPIRY_MINUTES", 24 * 60),
        payment_reconcile_interval_s=get_int("PAYMENT_RECONCILE_INTERVAL_S", 60),
        draft_purge_interval_s=get_int("DRAFT_PURGE_INTERVAL_S", 3600),
        whatsapp_outbox_interval_s=get_int("WHATSAPP_OUTBOX_INTERVAL_S", 60),
        whatsapp_outbox_max_attempts=get_int("WHATSAPP_OUTBOX_MAX_ATTEMPTS", 20),
        event_broker_url=get("EVENT_BROKER_URL", ""),
        event_broker_queue=get("EVENT_BROKER_QUEUE", "lokseva_conversation_events"),
        conversation_stream_url=get("CONVERSATION_STREAM_URL", ""),
        aadhaar_encryption_key=env["AADHAAR_ENCRYPTION_KEY"],
        signing_key=env["SIGNING_KEY"],
        session_secret=env["SESSION_SECRET"],
        rasa_api_token=env["RASA_API_TOKEN"],
        certificates_dir=get("CERTIFICATES_DIR", str(VAR_DIR / "certificates")),
        media_url_ttl_seconds=get_int("MEDIA_URL_TTL_SECONDS", 600),
        portal_session_minutes=get_int("PORTAL_SESSION_MINUTES", 30),
        nlu_data_dir=get("NLU_DATA_DIR", str(ROOT / "data" / "nlu")),
        nlu_eval_results=get("NLU_EVAL_RESULTS", str(ROOT / "bench" / "results" / "nlu_eval.json")),
        trainer_confidence_threshold=get_float("TRAINER_CONFIDENCE_THRESHOLD", 0.7),
        conversation_keys=get("CONVERSATION_KEYS", ""),
        certificate_keys=get("CERTIFICATE_KEYS", ""),
        media_keys=get("MEDIA_KEYS", ""),
        receipt_keys=get("RECEIPT_KEYS", ""),
        cookie_keys=get("COOKIE_KEYS", ""),
        proxies_count=get_int("PROXIES_COUNT", 0),
        real_ip_header=get("REAL_IP_HEADER", ""),
        conversation_retention_days=get_int("CONVERSATION_RETENTION_DAYS", 180),
        whatsapp_interactive=get("WHATSAPP_INTERACTIVE", "true").lower() not in ("0", "false", "no", "off"),
        speech_to_text=get("SPEECH_TO_TEXT", "bhashini"),
        text_to_speech=get("TEXT_TO_SPEECH", "bhashini" if mode == "production" else "espeak"),
        bhashini_config_url=get("BHASHINI_CONFIG_URL", (
            "https://meity-auth.ulcacontrib.org/ulca/apis/v0/model/getModelsPipeline" if mode == "production"
            else f"http://{host}:{fake_bhashini_port}/ulca/apis/v0/model/getModelsPipeline")),
        bhashini_user_id=get("BHASHINI_USER_ID", "" if mode == "production" else "development-user"),
        bhashini_api_key=get("BHASHINI_API_KEY", "" if mode == "production" else "development-ulca-key"),
        bhashini_pipeline_id=get("BHASHINI_PIPELINE_ID", "64392f96daac500b55c543cd"),
        fake_bhashini_port=fake_bhashini_port,
        speech_model_dir=get("SPEECH_MODEL_DIR", ""),
        voice_dir=get("VOICE_DIR", str(VAR_DIR / "voice")),
    )
    from lokseva.signing import PURPOSES, KeyConfigurationError

    for purpose in PURPOSES:
        try:
            settings.keyring(purpose)
        except KeyConfigurationError as error:
            raise ConfigurationError(str(error)) from None
    if settings.proxies_count < 0:
        raise ConfigurationError("PROXIES_COUNT must be 0 or more")
    if settings.conversation_retention_days < 1:
        raise ConfigurationError("CONVERSATION_RETENTION_DAYS must be at least 1")
    if settings.speech_to_text not in ("bhashini", "local", "off"):
        raise ConfigurationError("SPEECH_TO_TEXT must be bhashini, local or off")
    if settings.text_to_speech not in ("bhashini", "espeak", "off"):
        raise ConfigurationError("TEXT_TO_SPEECH must be bhashini, espeak or off")
    if settings.speech_to_text == "local" and not settings.speech_model_dir:
        raise ConfigurationError("SPEECH_TO_TEXT=local needs SPEECH_MODEL_DIR (a speech model directory)")
    if not 30 <= settings.media_url_ttl_seconds <= 3600:
        raise ConfigurationError("MEDIA_URL_TTL_SECONDS must be between 30 and 3600 (a few minutes)")
    if settings.lock_store_type not in ("in_memory", "redis"):
        raise ConfigurationError("LOCK_STORE_TYPE must be in_memory or redis")
    if settings.portal_session_minutes < 1:
        raise ConfigurationError("PORTAL_SESSION_MINUTES must be at least 1")
    if not 0 < settings.trainer_confidence_threshold <= 1:
        raise ConfigurationError("TRAINER_CONFIDENCE_THRESHOLD must be between 0 and 1")
    if settings.payment_gateway not in ("sandbox", "razorpay"):
        raise ConfigurationError("PAYMENT_GATEWAY must be sandbox or razorpay")
    if not 16 <= settings.payment_link_expiry_minutes <= 180 * 24 * 60:
        # Razorpay: at least 15 minutes ahead, at most six months.
        raise ConfigurationError("PAYMENT_LINK_EXPIRY_MINUTES must be between 16 and 259200")
    if settings.payment_reconcile_interval_s < 5:
        raise ConfigurationError("PAYMENT_RECONCILE_INTERVAL_S must be at least 5")
    if settings.draft_purge_interval_s < 5:
        raise ConfigurationError("DRAFT_PURGE_INTERVAL_S must be at least 5")
    if settings.whatsapp_outbox_interval_s < 5:
        raise ConfigurationError("WHATSAPP_OUTBOX_INTERVAL_S must be at least 5")
    if settings.whatsapp_outbox_max_attempts < 1:
        raise ConfigurationError("WHATSAPP_OUTBOX_MAX_ATTEMPTS must be at least 1")
    if settings.payment_gateway == "razorpay" and not (
        settings.razorpay_key_id and settings.razorpay_key_secret and settings.razorpay_webhook_secret
    ):
        raise ConfigurationError(
            "PAYMENT_GATEWAY=razorpay needs RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET and RAZORPAY_WEBHOOK_SECRET"
        )
    return settings


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
