"""Stock Rasa for the benchmarks to measure against: the project `rasa init` makes
(its stock pipeline and policies, the mood bot's intents, no custom actions), trained
in a temp dir and served on the REST channel."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path
from typing import Iterator

from lokseva.devtools import processes


@contextlib.contextmanager
def stock_bot(workdir: Path) -> Iterator[str]:
    """Yields the URL of a running stock Rasa server (stopped at the end)."""
    rasa = str(Path(sys.executable).parent / "rasa")
    workdir.mkdir(parents=True, exist_ok=True)
    if not list((workdir / "models").glob("*.tar.gz")):
        subprocess.run(
            [rasa, "init", "--no-prompt", "--init-dir", str(workdir)],
            cwd=workdir,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=900,
            env={"RASA_TELEMETRY_ENABLED": "false", "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin"},
        )
    port = processes.free_port()
    service = processes.Service(
        name="stock-rasa",
        argv=[
            rasa,
            "run",
            "--model",
            str(workdir / "models"),
            "--port",
            str(port),
            "--interface",
            "127.0.0.1",
            "--endpoints",
            str(workdir / "endpoints.yml"),
            "--credentials",
            str(workdir / "credentials.yml"),
        ],
        health_url=f"http://127.0.0.1:{port}/",
        url=f"http://127.0.0.1:{port}",
        description="stock Rasa",
        startup_timeout=300.0,
        env={"RASA_TELEMETRY_ENABLED": "false"},
    )
    running = processes.start(service, {}, workdir / "log")
    try:
        running.wait_ready()
        yield service.url
    finally:
        running.stop()
