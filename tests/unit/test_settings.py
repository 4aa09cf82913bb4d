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
