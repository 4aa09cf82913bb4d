"""Several instances of a periodic job on one PostgreSQL database: one run at a time."""

import threading

import pytest

from lokseva.db import create_engine_for
from lokseva.db.advisory import only_one


@pytest.mark.postgres
def test_of_two_instances_starting_a_run_together_one_runs_it(postgres_database_factory):
    url = postgres_database_factory()
    first, second = create_engine_for(url), create_engine_for(url)  # two processes' pools
    inside, release, results = threading.Event(), threading.Event(), {}

    def holder():
        with only_one(first, "lokseva.payments.reconcile.reconcile_and_log") as won:
            results["first"] = won
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    assert inside.wait(10)
    with only_one(second, "lokseva.payments.reconcile.reconcile_and_log") as won:
        results["second"] = won
    with only_one(second, "lokseva.applications.scheduled.run_jobs") as won:
        results["another job"] = won  # other jobs are not held back
    release.set()
    thread.join()
    with only_one(second, "lokseva.payments.reconcile.reconcile_and_log") as won:
        results["after"] = won  # released once the run is over
    assert results == {"first": True, "second": False, "another job": True, "after": True}
    for engine in (first, second):
        engine.dispose()


def test_without_postgresql_every_instance_runs(tmp_path):
    engine = create_engine_for(f"sqlite:///{tmp_path / 'one.db'}")
    with only_one(engine, "job") as won, only_one(engine, "job") as again:
        assert won and again
    engine.dispose()
