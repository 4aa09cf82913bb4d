"""Numbers without gaps: the next serial of a (district, year) counter table.

Application ids (JBA-2026-000123) and certificate numbers (JBA-C-2026-000045)
count per district and year, and a number once given is never skipped. The
counter row is incremented inside the caller's transaction and stays locked
until it ends, so concurrent callers queue, and a rolled-back caller gives its
number back. The table needs the columns district_code, year (together the
primary key) and last_serial.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session


def next_serial(session: Session, table: sa.Table, district_code: str, year: int) -> int:
    key = (table.c.district_code == district_code) & (table.c.year == year)
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        session.execute(
            insert(table)
            .values(district_code=district_code, year=year, last_serial=1)
            .on_conflict_do_update(
                index_elements=[table.c.district_code, table.c.year],
                set_={"last_serial": table.c.last_serial + 1},
            )
        )
        return session.execute(sa.select(table.c.last_serial).where(key)).scalar_one()
    # Any other database: lock the row, create it if missing.
    row = session.execute(sa.select(table.c.last_serial).where(key).with_for_update()).first()
    if row is None:
        session.execute(table.insert().values(district_code=district_code, year=year, last_serial=1))
        return 1
    session.execute(table.update().where(key).values(last_serial=row.last_serial + 1))
    return row.last_serial + 1
