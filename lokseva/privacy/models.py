"""The Aadhaar vault's table (lokseva.privacy.vault says how it is used)."""

from __future__ import annotations

import sqlalchemy as sa

from lokseva.db.core import Base


class AadhaarVaultEntry(Base):
    """One Aadhaar number, encrypted. Rows are never updated but by `rotate`."""

    __tablename__ = "aadhaar_vault"

    id = sa.Column(sa.String(36), primary_key=True)  # the reference other tables keep
    ciphertext = sa.Column(sa.Text, nullable=False)  # Fernet token of the 12 digits
    last4 = sa.Column(sa.String(4), nullable=False)  # what may be shown: XXXX XXXX 1234
    created_at = sa.Column(sa.DateTime, nullable=False)
    rotated_at = sa.Column(sa.DateTime, nullable=True)
