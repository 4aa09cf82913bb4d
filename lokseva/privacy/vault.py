"""The Aadhaar vault (UIDAI's "Aadhaar Data Vault", docs/facts/scheme-facts.md
section D): the one table that holds full Aadhaar numbers, encrypted; every
other table keeps only a reference (`aadhaar_vault.id`) and the last four digits.

Encryption is Fernet with a list of keys (MultiFernet): AADHAAR_ENCRYPTION_KEY
holds one key or several separated by commas, the newest first. New values are
encrypted with the first key; any key in the list decrypts. To rotate a key:
put a new key first, keep the old ones after it, run

    python -m lokseva.privacy.vault rotate

(every row re-encrypted with the newest key), then drop the old keys. The same
keys seal the few other values that must hold a clear number for a moment (an
incoming WhatsApp message waiting to be processed): `seal` / `unseal`.

    python -m lokseva.privacy.vault check    # every row decrypts with the current keys
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import uuid
from typing import List, Optional, Sequence

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from lokseva.db.core import get_engine, upgrade_database
from lokseva.privacy.models import AadhaarVaultEntry
from lokseva.settings import get_settings


def keys_of(setting: str) -> List[bytes]:
    """The keys of AADHAAR_ENCRYPTION_KEY, newest first."""
    keys = [k.strip().encode() for k in (setting or "").split(",") if k.strip()]
    if not keys:
        raise ValueError("AADHAAR_ENCRYPTION_KEY holds no key")
    return keys


def _setting() -> str:
    return get_settings().aadhaar_encryption_key


def cipher(setting: Optional[str] = None) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys_of(_setting() if setting is None else setting)])


def seal(text: str, setting: Optional[str] = None) -> str:
    return cipher(setting).encrypt(text.encode("utf-8")).decode("ascii")


def unseal(token: str, setting: Optional[str] = None) -> str:
    return cipher(setting).decrypt(token.encode("ascii")).decode("utf-8")


def deposit(session: Session, digits: str, setting: Optional[str] = None) -> str:
    """Stores `digits` (12, validated by the caller) and returns the reference."""
    entry = AadhaarVaultEntry(
        id=str(uuid.uuid4()),
        ciphertext=seal(digits, setting),
        last4=digits[-4:],
        created_at=dt.datetime.now(dt.timezone.utc),
    )
    session.add(entry)
    session.flush()
    return entry.id


def withdraw(session: Session, reference: str, setting: Optional[str] = None) -> str:
    """The clear number, for the few places that must send it to an authority."""
    entry = session.get(AadhaarVaultEntry, reference)
    if entry is None:
        raise KeyError(reference)
    return unseal(entry.ciphertext, setting)


def discard(session: Session, reference: Optional[str]) -> None:
    if reference:
        session.execute(sa.delete(AadhaarVaultEntry).where(AadhaarVaultEntry.id == reference))


def rotate(engine: Engine, setting: Optional[str] = None, batch: int = 500) -> int:
    """Re-encrypts every row not yet under the newest key; returns how many."""
    fernet = cipher(setting)
    newest = Fernet(keys_of(setting if setting is not None else _setting())[0])
    changed = 0
    last_id = ""
    while True:
        with Session(engine) as session, session.begin():
            rows = (
                session.execute(
                    sa.select(AadhaarVaultEntry)
                    .where(AadhaarVaultEntry.id > last_id)
                    .order_by(AadhaarVaultEntry.id)
                    .limit(batch)
                    .with_for_update()
                )
                .scalars()
                .all()
            )
            if not rows:
                return changed
            now = dt.datetime.now(dt.timezone.utc)
            for row in rows:
                try:
                    newest.decrypt(row.ciphertext.encode("ascii"))
                    continue
                except InvalidToken:
                    pass
                row.ciphertext = fernet.rotate(row.ciphertext.encode("ascii")).decode("ascii")
                row.rotated_at = now
                changed += 1
            last_id = rows[-1].id


def unreadable(engine: Engine, setting: Optional[str] = None) -> List[str]:
    """References of rows the current keys cannot decrypt (a key dropped too early)."""
    fernet = cipher(setting)
    bad = []
    with Session(engine) as session:
        for ref, token in session.execute(sa.select(AadhaarVaultEntry.id, AadhaarVaultEntry.ciphertext)):
            try:
                fernet.decrypt(token.encode("ascii"))
            except InvalidToken:
                bad.append(ref)
    return bad


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lokseva.privacy.vault", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("rotate", "check"))
    args = parser.parse_args(argv)
    url = get_settings().database_url
    upgrade_database(url)
    engine = get_engine(url)
    if args.command == "rotate":
        print(f"aadhaar vault: {rotate(engine)} row(s) re-encrypted with the newest key")
    bad = unreadable(engine)
    if bad:
        print(f"aadhaar vault: {len(bad)} row(s) the current keys cannot decrypt, e.g. {bad[0]}", file=sys.stderr)
        return 1
    print("aadhaar vault: every row decrypts with the newest keys")
    return 0


if __name__ == "__main__":
    sys.exit(main())
