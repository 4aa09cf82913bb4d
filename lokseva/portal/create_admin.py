"""Create the first admin account of the staff portal (or another admin).

    python -m lokseva.portal.create_admin --username collector.jba [--full-name "..."]

The password comes from the environment variable LOKSEVA_ADMIN_PASSWORD if it
is set (for scripted installs), otherwise from a prompt (asked twice, not
echoed). The database is brought to the newest migration first. The creation
is written to the audit log.

`make run` (development only) calls ensure_development_admin(): on a database
with no staff account it creates `admin` with a generated password kept in
var/dev-admin.txt, so the portal can be tried on a fresh clone.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import secrets
from pathlib import Path
from typing import List, Optional

from lokseva.db import get_engine, session_scope, upgrade_database
from lokseva.portal import service
from lokseva.portal.service import PortalError
from lokseva.settings import VAR_DIR, Settings, get_settings

PASSWORD_ENV = "LOKSEVA_ADMIN_PASSWORD"


def _password() -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise SystemExit(f"error: no terminal to ask for the password; set {PASSWORD_ENV}")
    first = getpass.getpass("Password (at least 10 characters): ")
    if first != getpass.getpass("Password again: "):
        raise SystemExit("error: the two passwords differ")
    return first


DEV_ADMIN_USERNAME = "admin"
DEV_ADMIN_FILE = VAR_DIR / "dev-admin.txt"


def ensure_development_admin(settings: Settings, credentials_file: Path = DEV_ADMIN_FILE) -> Optional[Path]:
    """In development, the first staff account when there is none.

    Returns the file holding the username and password (created 0600, never
    committed), or None in production or when staff accounts already exist and
    no such file was written before."""
    if settings.env == "production":
        return None
    with session_scope(get_engine(settings.database_url)) as session:
        if service.list_staff(session):
            return credentials_file if credentials_file.exists() else None
        password = secrets.token_urlsafe(12)
        user = service.create_user(session, DEV_ADMIN_USERNAME, password, "admin", "Development admin")
        service.audit(
            session,
            None,
            "staff_created",
            "staff_user",
            user.id,
            username="make run (development)",
            details={"username": user.username, "role": "admin"},
        )
    credentials_file.parent.mkdir(parents=True, exist_ok=True)
    credentials_file.write_text(f"username: {DEV_ADMIN_USERNAME}\npassword: {password}\n", encoding="utf-8")
    credentials_file.chmod(0o600)
    return credentials_file


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--username", required=True)
    parser.add_argument("--full-name", default="")
    args = parser.parse_args(argv)
    settings = get_settings()
    upgrade_database(settings.database_url)
    password = _password()
    try:
        with session_scope(get_engine(settings.database_url)) as session:
            user = service.create_user(session, args.username, password, "admin", args.full_name)
            service.audit(
                session,
                None,
                "staff_created",
                "staff_user",
                user.id,
                username="create_admin (command line)",
                details={"username": user.username, "role": "admin"},
            )
            username = user.username
    except PortalError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"admin account {username!r} created; sign in at {settings.public_url}/portal/login")
    return 0


if __name__ == "__main__":
    sys.exit(main())
