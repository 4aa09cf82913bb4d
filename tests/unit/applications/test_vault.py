"""The Aadhaar vault: the only table with full numbers, encrypted with a list of
keys (newest first); the migration moves numbers already stored without loss;
`python -m lokseva.privacy.vault rotate` re-encrypts with the newest key."""

import pytest
import sqlalchemy as sa
from alembic import command
from cryptography.fernet import Fernet, InvalidToken

from lokseva.db import create_engine_for, session_scope
from lokseva.db.core import alembic_config, upgrade_database
from lokseva.privacy import vault
from lokseva.settings import get_settings
from tests.unit.applications.conftest import valid_aadhaar


def test_the_migration_moves_encrypted_numbers_into_the_vault_without_loss(tmp_path):
    url = f"sqlite:///{tmp_path / 'v.db'}"
    command.upgrade(alembic_config(url), "0009_notifications")
    key = Fernet.generate_key().decode()
    token = Fernet(key.encode()).encrypt(valid_aadhaar().encode()).decode()  # as the old code stored it
    engine = create_engine_for(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO citizens (channel_user_id, language, created_at) VALUES ('c', 'hi', '2026-01-01')")
        )
        conn.execute(
            sa.text(
                "INSERT INTO applications (district_code, citizen_id, service_id, status, language, aadhaar_encrypted, "
                "aadhaar_last4, details, statutory_fee_paise, processing_fee_paise, fee_due_paise, due_date_confirmed, "
                "created_at, updated_at) VALUES ('JBA', 1, 'income_certificate', 'draft', 'hi', :t, '0124', '{}', 0, 0, 0, "
                "1, '2026-01-01', '2026-01-01')"
            ),
            {"t": token},
        )
    upgrade_database(url)
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("applications")}
        ref, last4 = conn.execute(sa.text("SELECT aadhaar_ref, aadhaar_last4 FROM applications")).one()
        [stored] = conn.execute(sa.text("SELECT ciphertext FROM aadhaar_vault WHERE id = :r"), {"r": ref}).scalars()
    assert "aadhaar_encrypted" not in columns and last4 == "0124"
    assert stored == token
    with session_scope(engine) as session:
        assert vault.withdraw(session, ref, key) == valid_aadhaar()
    command.downgrade(alembic_config(url), "0009_notifications")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT aadhaar_encrypted FROM applications")).scalar() == token
    engine.dispose()


def test_rotation_re_encrypts_every_row_with_the_newest_key(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    upgrade_database(url)
    engine = create_engine_for(url)
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with session_scope(engine) as session:
        refs = [vault.deposit(session, valid_aadhaar(), old) for _ in range(3)]
    assert vault.rotate(engine, f"{new},{old}") == 3
    assert vault.rotate(engine, f"{new},{old}") == 0, "already under the newest key"
    assert vault.unreadable(engine, new) == []
    with session_scope(engine) as session:
        assert {vault.withdraw(session, r, new) for r in refs} == {valid_aadhaar()}
        with pytest.raises(InvalidToken):
            vault.withdraw(session, refs[0], old)
    engine.dispose()

    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("AADHAAR_ENCRYPTION_KEY", old)
    get_settings.cache_clear()
    try:
        assert vault.main(["check"]) == 1, "the old key alone reads nothing any more"
        monkeypatch.setenv("AADHAAR_ENCRYPTION_KEY", f"{new},{old}")
        get_settings.cache_clear()
        assert vault.main(["rotate"]) == 0
    finally:
        get_settings.cache_clear()


def test_a_replaced_or_abandoned_number_leaves_the_vault(engine):
    from tests.unit.applications.test_repository import fill

    fill(engine)
    fill(engine)  # the same draft answered again: the old number goes
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM aadhaar_vault")).scalar() == 1
