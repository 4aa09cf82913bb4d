"""Application ids under racing submissions on PostgreSQL: unique, and
without gaps even when some submissions roll back."""

import datetime as dt
import random
import threading

import pytest
import sqlalchemy as sa

from lokseva.applications import flows, service as repo
from lokseva.db import session_scope
from lokseva.districts import load_district
from tests.unit.applications.conftest import valid_aadhaar
from tests.unit.applications.test_repository import ANSWERS

pytestmark = pytest.mark.postgres
PARALLEL = 50


@pytest.fixture
def pg_engine(postgres_url):
    # one connection per thread, so the submissions really overlap
    engine = sa.create_engine(postgres_url, future=True, pool_size=PARALLEL, max_overflow=0)
    yield engine
    engine.dispose()


def run_in_threads(work, count):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def runner(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


def test_fifty_parallel_submissions_get_fifty_consecutive_ids(pg_engine):
    now = dt.datetime.now(dt.timezone.utc)
    for i in range(PARALLEL):
        with session_scope(pg_engine) as session:
            citizen = repo.get_or_create_citizen(session, f"racer-{i}")
            repo.save_draft(
                session,
                citizen,
                "income_certificate",
                ANSWERS,
                aadhaar_digits=valid_aadhaar(),
                district_code="JBA",
                now=now,
            )
    jhabua = load_district("jhabua")
    references = run_in_threads(
        lambda i: flows.submit_draft(f"racer-{i}", now=now, district=jhabua, engine=pg_engine).application.reference,
        PARALLEL,
    )
    year = now.astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30))).year
    assert sorted(references) == [f"JBA-{year}-{n:06d}" for n in range(1, PARALLEL + 1)]
    with pg_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT last_serial FROM application_counters")).scalar_one() == PARALLEL


def test_racing_rollbacks_leave_no_gaps(pg_engine):
    rng = random.Random(7)
    fails = {i for i in range(PARALLEL) if rng.random() < 0.3}

    def work(i):
        try:
            with session_scope(pg_engine) as session:
                reference = repo.allocate_reference(session, "JBA", 2030)
                if i in fails:
                    raise RuntimeError("payment of the stamp duty failed")  # anything after numbering
                return reference
        except RuntimeError:
            return None

    committed = [r for r in run_in_threads(work, PARALLEL) if r]
    assert len(committed) == PARALLEL - len(fails)
    assert sorted(committed) == [f"JBA-2030-{n:06d}" for n in range(1, len(committed) + 1)]


def test_districts_racing_each_count_their_own_serials_without_gaps(pg_engine):
    """Three districts submit at the same moment; each district's drafts carry its code."""
    now = dt.datetime.now(dt.timezone.utc)
    codes = {"jhabua": "JBA", "indore": "IND", "agar_malwa": "AGM"}
    keys = list(codes)
    for i in range(PARALLEL):
        key = keys[i % len(keys)]
        flows.save_answers(
            f"district-racer-{i}",
            "income_certificate",
            ANSWERS,
            aadhaar_digits=valid_aadhaar(),
            district_key=key,
            engine=pg_engine,
        )
    references = run_in_threads(
        lambda i: flows.submit_draft(f"district-racer-{i}", now=now, engine=pg_engine).application.reference,
        PARALLEL,
    )
    year = now.astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30))).year
    for position, key in enumerate(keys):
        count = len(range(position, PARALLEL, len(keys)))
        mine = sorted(r for r in references if r.startswith(codes[key] + "-"))
        assert mine == [f"{codes[key]}-{year}-{n:06d}" for n in range(1, count + 1)], key
    with pg_engine.connect() as conn:
        counters = dict(conn.execute(sa.text("SELECT district_code, last_serial FROM application_counters")).all())
    assert counters == {"JBA": 17, "IND": 17, "AGM": 16}
