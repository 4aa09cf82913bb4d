"""The periodic jobs: which ones `make run` starts, and the one command line they share."""

import os
import signal
from pathlib import Path

import pytest

from lokseva import periodic
from lokseva.db import create_engine_for
from lokseva.devtools import processes
from lokseva.settings import load_settings


def jobs(env=None):
    settings = load_settings(env or {})
    return {s.name: s for s in processes.assistant_services(settings, Path("model.tar.gz")) if s.health_url is None}


def test_make_run_purges_abandoned_drafts_reconciles_payments_empties_the_outbox_and_watches_deadlines():
    started = jobs()
    assert set(started) == {"reconcile", "purge", "outbox", "deadlines"}
    assert started["deadlines"].argv[1:] == ["-m", "lokseva.appeals.scheduled", "--every", "900"]
    assert started["outbox"].argv[1:] == ["-m", "lokseva.channels.scheduled", "--every", "60"]
    assert started["purge"].argv[1:] == ["-m", "lokseva.applications.scheduled", "--every", "3600"]
    assert started["reconcile"].argv[1:] == ["-m", "lokseva.jobs.reconcile", "--every", "60"]
    assert started["purge"].url == "every 3600 s"


def test_the_purge_and_outbox_intervals_are_settings():
    assert jobs({"DRAFT_PURGE_INTERVAL_S": "120"})["purge"].argv[-2:] == ["--every", "120"]
    assert jobs({"WHATSAPP_OUTBOX_INTERVAL_S": "30"})["outbox"].argv[-2:] == ["--every", "30"]
    from lokseva.settings import ConfigurationError

    with pytest.raises(ConfigurationError, match="DRAFT_PURGE_INTERVAL_S"):
        load_settings({"DRAFT_PURGE_INTERVAL_S": "0"})


@pytest.fixture
def sigterm_restored(monkeypatch, tmp_path):
    # The job's lock is taken on a database of this test's own: the process-wide
    # settings may have been read by an earlier test with another DATABASE_URL.
    engine = create_engine_for(f"sqlite:///{tmp_path / 'periodic.db'}")
    monkeypatch.setattr(periodic, "get_engine", lambda: engine)
    saved = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, saved)


def test_once_prints_the_result_and_the_exit_code_says_whether_it_failed(capsys, sigterm_restored):
    assert periodic.main(lambda: {"done": 2}, "job", []) == 0
    assert capsys.readouterr().out.strip() == "{'done': 2}"

    def broken():
        raise RuntimeError("database down")

    assert periodic.main(broken, "job", []) == 1


def test_every_survives_a_failed_run_and_stops_on_sigterm(sigterm_restored):
    calls = []

    def job():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database down for a while")
        os.kill(os.getpid(), signal.SIGTERM)  # as make run's Ctrl-C does
        return {}

    assert periodic.main(job, "job", ["--every", "0.01"]) == 0
    assert len(calls) == 2
