"""Migration 0011_districts: Jhabua's existing citizens and staff keep working,
now marked as Jhabua's, and nothing is lost."""

import sqlalchemy as sa
from alembic import command

from lokseva.db.core import alembic_config, upgrade_database


def test_existing_jhabua_rows_become_jhabuas_without_loss(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0010_aadhaar_vault")
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO citizens (channel_user_id, whatsapp_number, language, created_at) "
                    "VALUES ('wa-1', '+919826012345', 'hi', '2026-11-01 10:00:00')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO staff_users (username, full_name, role, tehsil, password_hash, is_active, created_at, "
                    "password_changed_at) VALUES ('meena', 'Meena', 'designated_officer', 'Thandla', 'x', 1, "
                    "'2026-11-01 10:00:00', '2026-11-01 10:00:00')"
                )
            )
        upgrade_database(url)
        with engine.connect() as conn:
            citizen = conn.execute(sa.text("SELECT * FROM citizens")).mappings().one()
            staff = conn.execute(sa.text("SELECT * FROM staff_users")).mappings().one()
        assert citizen["district_code"] == "JBA" and citizen["whatsapp_number"] == "+919826012345"
        assert (
            staff["district_code"] == "JBA" and staff["tehsil"] == "Thandla" and staff["role"] == "designated_officer"
        )
        command.downgrade(config, "0010_aadhaar_vault")
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT username, tehsil FROM staff_users")).one() == ("meena", "Thandla")
    finally:
        engine.dispose()
