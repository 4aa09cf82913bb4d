"""Create the first admin account of the staff portal (or another admin).

    python -m lokseva.portal.create_admin --username collector.jba [--full-name "..."]

The password comes from the environment variable LOKSEVA_ADMIN_PASSWORD if it
is set (for scripted installs), otherwise from a prompt (asked twice, not
echoed). The database is brought to the newest migration first. The creation
is written to the audit log.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import List, Optional

from lokseva.db import get_engine, session_scope, upgrade_database
from lokseva.portal import service
from lokseva.portal.service import PortalError
from lokseva.settings import get_settings

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
                session, None, "staff_created", "staff_user", user.id, username="create_admin (command line)",
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
