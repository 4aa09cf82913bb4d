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
            repo.save_draft(session, citizen, "income_certificate", ANSWERS, aadhaar_digits=valid_aadhaar(),
                            district_code="JBA", now=now)
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
