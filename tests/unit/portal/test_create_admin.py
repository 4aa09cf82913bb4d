"""python -m lokseva.portal.create_admin"""

import os
import subprocess
import sys

import sqlalchemy as sa

from lokseva.settings import ROOT


def run(database_url, *args, password="a-Long-admin-pass"):
    env = {**os.environ, "DATABASE_URL": database_url, "LOKSEVA_ENV": "test", "PYTHONPATH": str(ROOT)}
    if password is None:
        env.pop("LOKSEVA_ADMIN_PASSWORD", None)
    else:
        env["LOKSEVA_ADMIN_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "lokseva.portal.create_admin", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_creates_the_first_admin_on_an_empty_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    done = run(url, "--username", "Collector.JBA", "--full-name", "Collector")
    assert done.returncode == 0, done.stderr
    assert "collector.jba" in done.stdout and "a-Long-admin-pass" not in done.stdout + done.stderr
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT username, role, password_hash FROM staff_users")).one()
        audit = conn.execute(sa.text("SELECT action, target_id FROM staff_audit_log")).one()
    engine.dispose()
    assert row.username == "collector.jba" and row.role == "admin" and row.password_hash.startswith("$argon2id$")
    assert audit.action == "staff_created"

    again = run(url, "--username", "collector.jba")
    assert again.returncode == 1 and "taken" in again.stderr
    weak = run(url, "--username", "second", password="short")
    assert weak.returncode == 1 and "at least 10" in weak.stderr


def test_without_a_terminal_or_env_password_it_says_what_to_do(tmp_path):
    done = run(f"sqlite:///{tmp_path / 'x.db'}", "--username", "admin", password=None)
    assert done.returncode != 0 and "LOKSEVA_ADMIN_PASSWORD" in done.stderr


def test_make_run_creates_a_development_admin_once_and_never_in_production(tmp_path, database_url):
    from lokseva.portal import auth
    from lokseva.portal.create_admin import ensure_development_admin
    from lokseva.settings import load_settings

    settings = load_settings({"DATABASE_URL": database_url, "LOKSEVA_ENV": "development"})
    credentials = tmp_path / "dev-admin.txt"
    assert ensure_development_admin(settings, credentials) == credentials
    assert oct(credentials.stat().st_mode & 0o777) == "0o600"
    username, password = (line.split(": ", 1)[1] for line in credentials.read_text().splitlines())
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT username, role, password_hash FROM staff_users")).one()
    engine.dispose()
    assert (row.username, row.role) == ("admin", "admin") and username == "admin"
    assert auth.verify_password(row.password_hash, password)

    # A second start keeps the account and its password.
    assert ensure_development_admin(settings, credentials) == credentials
    assert credentials.read_text().endswith(f"password: {password}\n")

    production = tmp_path / "production-admin.txt"
    secrets_env = {n: "x" * 44 for n in ("SIGNING_KEY", "SESSION_SECRET", "TWILIO_AUTH_TOKEN", "RASA_API_TOKEN")}
    from cryptography.fernet import Fernet

    prod = load_settings(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
            "LOKSEVA_ENV": "production",
            "AADHAAR_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            **secrets_env,
        }
    )
    assert ensure_development_admin(prod, production) is None and not production.exists()
