"""Benchmark of the applications capability: prints figures, no pass/fail.

    .venv/bin/python -m bench.applications [--postgres URL]

1. Reading answers (lokseva.applications.parsing): answers per second.
2. Submitting applications on PostgreSQL, sequentially and from 20 threads,
   against a baseline measured in the same run: a bare INSERT of an
   application row in its own transaction (what the gap-free counter, the
   status history and the due date cost on top).
"""

from __future__ import annotations

import argparse
import datetime as dt
import threading
import time

import sqlalchemy as sa

from bench.support import ScratchDatabases

from lokseva.applications import flows, parsing, service as repo
from lokseva.db import session_scope, upgrade_database
from lokseva.districts import load_district

ANSWERS = {
    "applicant_name": "Ramesh Bhuriya",
    "relative_name": "Kalu Bhuriya",
    "relative_relation": "father",
    "gender": "male",
    "date_of_birth": "1990-03-12",
    "address_village": "Pitol",
    "address_tehsil": "Jhabua",
    "address_pin": "457661",
    "aadhaar": "XXXX XXXX 0124",
    "annual_income": 20_000_000,
}
SAMPLES = [
    (parsing.parse_name, "mera naam ramesh bhuriya hai"),
    (parsing.parse_income, "एक लाख बीस हजार"),
    (parsing.parse_income, "₹1,20,000"),
    (parsing.parse_pin, "पिन कोड ४५७७७३"),
    (parsing.parse_aadhaar, "2345 6789 0124"),
    (parsing.parse_caste_category, "अनुसूचित जनजाति"),
    (lambda t: parsing.parse_past_date(t, dt.date(2026, 3, 15)), "१२ मार्च १९९०"),
]


def bench_parsing(rounds: int = 3000) -> None:
    start = time.perf_counter()
    for _ in range(rounds):
        for function, text in SAMPLES:
            function(text)
    elapsed = time.perf_counter() - start
    count = rounds * len(SAMPLES)
    print(
        f"parsing: {count} answers in {elapsed:.2f} s = {count / elapsed:,.0f} answers/s "
        f"({elapsed / count * 1e6:.1f} µs each)"
    )


def _drafts(engine, prefix: str, count: int) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    for i in range(count):
        with session_scope(engine) as session:
            citizen = repo.get_or_create_citizen(session, f"{prefix}-{i}")
            repo.save_draft(
                session,
                citizen,
                "income_certificate",
                ANSWERS,
                aadhaar_digits="234567890124",
                district_code="JBA",
                now=now,
            )


def _timed(work, count: int, threads: int) -> float:
    items = list(range(count))
    lock = threading.Lock()

    def runner():
        while True:
            with lock:
                if not items:
                    return
                i = items.pop()
            work(i)

    start = time.perf_counter()
    pool = [threading.Thread(target=runner) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return time.perf_counter() - start


def bench_submissions(admin_url: str, count: int = 200) -> None:
    databases = ScratchDatabases(admin_url)
    url = databases.create()
    try:
        upgrade_database(url)
        engine = sa.create_engine(url, future=True, pool_size=20, max_overflow=0)
        district = load_district("jhabua")
        table = sa.table("citizens", sa.column("channel_user_id"), sa.column("language"), sa.column("created_at"))

        def baseline(i, tag):
            with session_scope(engine) as session:
                session.execute(
                    table.insert().values(
                        channel_user_id=f"{tag}-{i}", language="hi", created_at=dt.datetime.now(dt.timezone.utc)
                    )
                )

        for threads in (1, 20):
            tag = f"t{threads}"
            _drafts(engine, tag, count)
            base = _timed(lambda i, tag=tag: baseline(i, f"base-{tag}"), count, threads)
            subm = _timed(
                lambda i, tag=tag: flows.submit_draft(f"{tag}-{i}", district=district, engine=engine), count, threads
            )
            print(
                f"submit, {threads:2d} thread(s): {count / subm:7.1f} submissions/s "
                f"({subm / count * 1000:.1f} ms each); baseline bare insert {count / base:7.1f}/s; "
                f"ratio {subm / base:.1f}x"
            )
        with engine.connect() as conn:
            serials = (
                conn.execute(sa.text("SELECT reference FROM applications WHERE reference IS NOT NULL")).scalars().all()
            )
        numbers = sorted(int(r.rsplit("-", 1)[1]) for r in serials)
        print(
            f"ids: {len(numbers)} submitted, {numbers[0]}..{numbers[-1]}, gaps: {numbers[-1] - numbers[0] + 1 - len(numbers)}"
        )
        engine.dispose()
    finally:
        databases.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    bench_parsing()
    bench_submissions(args.postgres)


if __name__ == "__main__":
    main()
