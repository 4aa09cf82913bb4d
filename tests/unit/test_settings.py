import pytest

from lokseva.settings import ConfigurationError, load_settings


def test_development_defaults_run_locally():
    s = load_settings({})
    assert s.env == "development"
    assert s.database_url.startswith("sqlite:///")
    assert s.action_server_url == "http://127.0.0.1:5055/webhook"
    assert s.payment_gateway == "sandbox"
    # Generated development secrets, stable across loads.
    assert s.signing_key and s.signing_key == load_settings({}).signing_key


def test_ports_and_urls_follow_each_other():
    s = load_settings({"ACTION_PORT": "6000", "HOST": "0.0.0.0"})
    assert s.action_server_url == "http://0.0.0.0:6000/webhook"


def test_production_refuses_to_start_without_secrets():
    with pytest.raises(ConfigurationError, match="SIGNING_KEY"):
        load_settings({"LOKSEVA_ENV": "production", "AADHAAR_ENCRYPTION_KEY": "x"})


def test_bad_values_are_named():
    with pytest.raises(ConfigurationError, match="RASA_PORT"):
        load_settings({"RASA_PORT": "abc"})
    with pytest.raises(ConfigurationError, match="PAYMENT_GATEWAY"):
        load_settings({"PAYMENT_GATEWAY": "paypal"})
    with pytest.raises(ConfigurationError, match="RAZORPAY"):
        load_settings({"PAYMENT_GATEWAY": "razorpay"})


def test_export_gives_rasa_its_variables():
    env = load_settings({}).as_env()
    for name in ("ACTION_SERVER_URL", "TRACKER_STORE_URL", "LOCK_STORE_TYPE", "REDIS_HOST", "REDIS_PORT"):
        assert env[name]


def test_processes_starting_together_share_one_set_of_development_secrets(tmp_path):
    """make run and pytest start several processes at once on a fresh clone."""
    import subprocess
    import sys
    import time

    from lokseva.settings import ROOT

    start_at = time.time() + 3  # every process imports first, then all generate at once
    script = (
        "import pathlib, time, lokseva.settings as s\n"
        f"time.sleep(max(0, {start_at} - time.time()))\n"
        f"s.VAR_DIR = pathlib.Path({str(tmp_path)!r})\n"
        "s.DEV_SECRETS_FILE = s.VAR_DIR / 'dev-secrets.env'\n"
        "print(s._dev_secrets()['SIGNING_KEY'])\n"
    )
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
        for _ in range(8)
    ]
    keys = {p.communicate(timeout=120)[0].strip() for p in starts}
    assert len(keys) == 1 and "" not in keys
    assert (tmp_path / "dev-secrets.env").stat().st_mode & 0o777 == 0o600


def test_every_bad_variable_is_named_at_once_in_words_staff_can_act_on():
    with pytest.raises(ConfigurationError) as error:
        load_settings(
            {
                "RASA_PORT": "50O5",
                "LOCK_STORE_TYPE": "memcached",
                "WHATSAPP_INTERACTIVE": "maybe",
                "MEDIA_URL_TTL_SECONDS": "86400",
                "TRAINER_CONFIDENCE_THRESHOLD": "high",
            }
        )
    message = str(error.value)
    assert "RASA_PORT must be a whole number, not '50O5'" in message
    assert "LOCK_STORE_TYPE must be in_memory or redis, not 'memcached'" in message
    assert "WHATSAPP_INTERACTIVE must be true or false, not 'maybe'" in message
    assert "MEDIA_URL_TTL_SECONDS must be at most 3600, not '86400'" in message
    assert "TRAINER_CONFIDENCE_THRESHOLD must be a number, not 'high'" in message
    with pytest.raises(ConfigurationError, match="LOKSEVA_ENV must be development, test or production, not 'prod'"):
        load_settings({"LOKSEVA_ENV": "prod"})
    with pytest.raises(ConfigurationError, match="SPEECH_TO_TEXT=local needs SPEECH_MODEL_DIR"):
        load_settings({"SPEECH_TO_TEXT": "local"})


def test_values_are_converted_and_an_empty_variable_is_unset():
    s = load_settings(
        {
            "RASA_PORT": "6005",
            "WHATSAPP_INTERACTIVE": "off",
            "TRAINER_CONFIDENCE_THRESHOLD": "0.55",
            "RASA_URL": "",
            "PROXIES_COUNT": "",
        }
    )
    assert s.rasa_port == 6005 and s.whatsapp_interactive is False and s.trainer_confidence_threshold == 0.55
    assert s.rasa_url == "http://127.0.0.1:6005" and s.proxies_count == 0
    # Child processes read the settings back from as_env().
    assert load_settings(s.as_env()) == s


def test_settings_stay_checked_when_a_copy_is_changed():
    import dataclasses

    from pydantic import ValidationError

    s = load_settings({})
    assert dataclasses.replace(s, web_port="8080").web_port == 8080
    with pytest.raises(ValidationError):
        dataclasses.replace(s, payment_gateway="paypal")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.web_port = 1  # type: ignore[misc]
