"""The production profile refuses every unsafe setting, by name (lokseva.production, lokseva.serve)."""

import asyncio
from pathlib import Path

import pytest

from lokseva import production, serve
from lokseva.devtools.fake_twilio import start_fake
from lokseva.production import ProductionRefused
from lokseva.settings import ROOT, load_settings

ACCOUNT = "AC" + "3f9e0a1b" * 4
TOKEN = "9c1f0e2d7a3b6c4e8f5a1d2c3b4a5f60"
SECRET = "Zq8vT1mK3pW6yR0aF5hJ2nB7cX4dL9eS"  # 32 random-looking characters


def safe_environment(**changes):
    from cryptography.fernet import Fernet

    env = {
        "LOKSEVA_ENV": "production",
        "AADHAAR_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "SIGNING_KEY": SECRET + "s1",
        "SESSION_SECRET": SECRET + "s2",
        "RASA_API_TOKEN": SECRET + "s3",
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_API_BASE": "https://api.twilio.com",
        "TWILIO_WHATSAPP_NUMBER": "whatsapp:+917000000000",
        "PUBLIC_URL": "https://lokseva.example.gov.in",
        "DATABASE_URL": "postgresql://lokseva@10.0.0.5/lokseva",
        "TRACKER_STORE_URL": "postgresql://lokseva@10.0.0.5/lokseva_tracker",
        "PAYMENT_GATEWAY": "razorpay",
        "RAZORPAY_KEY_ID": "rzp_live_abc",
        "RAZORPAY_KEY_SECRET": SECRET + "r1",
        "RAZORPAY_WEBHOOK_SECRET": SECRET + "r2",
        "PROXIES_COUNT": "1",
        "HOST": "10.0.0.4",
    }
    env.update(changes)
    return {k: v for k, v in env.items() if v is not None}


def refused_settings(env):
    return [r.setting for r in production.check_environment(env, load_settings(env))]


def test_a_safe_environment_passes_every_offline_check():
    env = safe_environment()
    assert production.check_environment(env, load_settings(env)) == []
    assert production.check_credentials(ROOT / "credentials.production.yml") == []


@pytest.mark.parametrize(
    "changes, setting",
    [
        ({"SIGNING_KEY": "changeme"}, "SIGNING_KEY"),
        ({"SESSION_SECRET": "a" * 40}, "SESSION_SECRET"),
        ({"RASA_API_TOKEN": "short-token"}, "RASA_API_TOKEN"),
        ({"PAYMENT_GATEWAY": "sandbox"}, "PAYMENT_GATEWAY"),
        ({"RAZORPAY_WEBHOOK_SECRET": "whsec"}, "RAZORPAY_WEBHOOK_SECRET"),
        ({"TWILIO_API_BASE": "http://127.0.0.1:8101"}, "TWILIO_API_BASE"),
        ({"TWILIO_API_BASE": "https://api.twilio.com.attacker.example"}, "TWILIO_API_BASE"),
        ({"TWILIO_ACCOUNT_SID": None}, "TWILIO_ACCOUNT_SID"),
        ({"PUBLIC_URL": "http://lokseva.example.gov.in"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "https://127.0.0.1:8000"}, "PUBLIC_URL"),
        ({"DATABASE_URL": "sqlite:////srv/lokseva.db"}, "DATABASE_URL"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"TRACKER_STORE_URL": "sqlite:///tracker.db"}, "TRACKER_STORE_URL"),
        ({"PROXIES_COUNT": None}, "PROXIES_COUNT"),
        ({"HOST": "0.0.0.0"}, "HOST"),
        ({"HOST": "52.66.10.10"}, "HOST"),
    ],
)
def test_each_unsafe_setting_is_refused_by_name(changes, setting):
    assert refused_settings(safe_environment(**changes)) == [setting]


def test_a_generated_development_secret_is_refused(monkeypatch):
    development = load_settings({})  # generates var/dev-secrets.env if missing
    env = safe_environment(SIGNING_KEY=development.signing_key)
    assert "SIGNING_KEY" in refused_settings(env)


def test_lokseva_env_must_be_production_explicitly():
    for value in (None, "development", "test", "prod"):
        with pytest.raises(ProductionRefused) as refused:
            serve.prepare(["web"], safe_environment(LOKSEVA_ENV=value))
        assert refused.value.settings_named == ["LOKSEVA_ENV"]


@pytest.mark.parametrize("channel", ["rest", "socketio", "callback"])
def test_a_credentials_file_with_an_unsigned_channel_is_refused(tmp_path, channel):
    path = tmp_path / "credentials.yml"
    path.write_text((ROOT / "credentials.production.yml").read_text() + f"\n{channel}:\n")
    [refusal] = production.check_credentials(path)
    assert refusal.setting == "RASA_CREDENTIALS" and channel in refusal.reason
    # The development file (make run, the tests) has the REST channel: refused in production.
    assert production.check_credentials(ROOT / "credentials.yml")[0].setting == "RASA_CREDENTIALS"


def test_serve_names_every_refusal_and_exits(monkeypatch, capsys):
    monkeypatch.setattr(serve, "credentials_path", lambda: ROOT / "credentials.yml")
    env = safe_environment(PUBLIC_URL="http://x.example", PAYMENT_GATEWAY="sandbox")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert serve.main(["web"]) == 2
    err = capsys.readouterr().err
    for setting in ("PUBLIC_URL", "PAYMENT_GATEWAY", "RASA_CREDENTIALS"):
        assert setting in err


def test_serve_starts_each_process_the_safe_way(monkeypatch):
    monkeypatch.setattr(production, "check_content_sids", lambda settings: [])
    env = safe_environment()
    rasa, child = serve.prepare(["rasa", "--model", "models/m.tar.gz"], env)
    assert any(a.startswith("--jwt-secret=") for a in rasa), rasa
    assert not any(a.startswith("--auth-token") for a in rasa), "the API token travels in a header only"
    assert rasa[rasa.index("--interface") + 1] == "10.0.0.4"
    assert Path(rasa[rasa.index("--credentials") + 1]).name == "credentials.production.yml"
    actions, child = serve.prepare(["actions"], env)
    assert child["SANIC_HOST"] == "10.0.0.4", "rasa_sdk binds SANIC_HOST (else every interface)"
    job, _ = serve.prepare(["job", "reconcile", "--every", "60"], env)
    assert job[-3:] == ["lokseva.jobs.reconcile", "--every", "60.0"]
    assert serve.prepare(["check"], env)[0] is None


# --- Content SIDs, against the fake's Content API ------------------------------------------


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.anyio
async def test_content_sids_are_checked_against_twilios_content_api():
    from lokseva.channels import notifications

    fake, runner = await start_fake(ACCOUNT, TOKEN, "whatsapp:+917000000000")
    try:
        settings = load_settings(safe_environment())
        # Development placeholders are refused without asking.
        refusals = await asyncio.to_thread(production.check_content_sids, settings, base_url=fake.base_url)
        assert refusals and all("placeholder" in r.reason for r in refusals)
        assert any(r.setting == "notifications.yml payment_received.content_sid.hi" for r in refusals)

        real = {}
        for template in notifications.load_templates().values():
            for language in template.text:
                real[(template.key, language)] = "HX" + f"{len(real) + 1:02d}ab" * 8
        approved = dict(real)
        missing = approved.pop(("payment_received", "en"))
        for sid in approved.values():
            fake.content.contents[sid] = {"sid": sid, "account_sid": ACCOUNT, "friendly_name": sid}
        patched = {
            key: notifications.Template(
                t.key, t.variables, t.text, {lang: real[(t.key, lang)] for lang in t.text}, t.document
            )
            for key, t in notifications.load_templates().items()
        }
        [refusal] = await asyncio.to_thread(production.check_content_sids, settings, fake.base_url, patched)
        assert refusal.setting == "notifications.yml payment_received.content_sid.en"
        assert missing in refusal.reason and "404" in refusal.reason

        wrong_token = load_settings(safe_environment(TWILIO_AUTH_TOKEN="0123456789abcdef" * 2))
        refusals = await asyncio.to_thread(production.check_content_sids, wrong_token, fake.base_url, patched)
        assert refusals and all("401" in r.reason for r in refusals)
    finally:
        await runner.cleanup()


def test_the_content_api_is_twilios_in_production():
    assert production.content_api_base(load_settings(safe_environment())) == "https://content.twilio.com"


def test_rasa_builds_only_the_signed_whatsapp_channel_from_the_production_credentials(monkeypatch):
    """What `rasa run --credentials credentials.production.yml` serves: no REST channel."""
    from rasa.core.run import create_http_input_channels

    for key, value in load_settings(safe_environment()).as_env().items():
        monkeypatch.setenv(key, value)
    channels = create_http_input_channels(None, str(ROOT / "credentials.production.yml"))
    assert [c.name() for c in channels] == ["whatsapp"]
    development = create_http_input_channels(None, str(ROOT / "credentials.yml"))
    assert "rest" in [c.name() for c in development], "make run and the tests keep REST"
