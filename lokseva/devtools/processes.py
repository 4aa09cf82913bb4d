"""The processes that make up the assistant, and how to start and stop them.

Shared by `make run` (lokseva.devtools.run) and the integration tests, so both
start the assistant the same way.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, IO, List, Optional

import requests

from lokseva.rasa_api import rasa_server_auth_args
from lokseva.settings import ROOT, Settings


@dataclass
class Service:
    name: str
    argv: List[str]
    health_url: Optional[str]  # None: a job without HTTP; ready once it runs
    url: str
    description: str
    startup_timeout: float = 60.0
    env: Dict[str, str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def periodic_job(name: str, module: str, every_s: int, what: str) -> Service:
    """`python -m <module> --every N`: a job that runs again every N seconds
    (lokseva.periodic); ready once it runs."""
    return Service(
        name=name,
        argv=[sys.executable, "-m", module, "--every", str(every_s)],
        health_url=None,
        url=f"every {every_s} s",
        description=f"{what} (python -m {module})",
    )


def payment_services(settings: Settings) -> List[Service]:
    """The local payment gateway (unless Razorpay is configured) and the job that
    asks the gateway about unpaid links, so that a lost webhook loses no payment."""
    py = sys.executable
    services = []
    if settings.payment_gateway == "sandbox":
        services.append(
            Service(
                name="gateway",
                argv=[
                    py,
                    "-m",
                    "lokseva.devtools.sandbox_gateway",
                    "--host",
                    settings.host,
                    "--port",
                    str(settings.sandbox_gateway_port),
                ],
                health_url=f"{settings.sandbox_gateway_url}/health",
                url=f"{settings.sandbox_gateway_url}/",
                description="Sandbox payment gateway (Razorpay Payment Links contract)",
            )
        )
    services.append(
        periodic_job(
            "reconcile", "lokseva.jobs.reconcile", settings.payment_reconcile_interval_s, "Payment reconciliation"
        )
    )
    return services


# The deadline watcher's messages are once a day per application (deduplicated), so
# running it every 15 minutes only bounds how late in the morning they go.
DEADLINE_WATCH_INTERVAL_S = 900


def application_jobs(settings: Settings) -> List[Service]:
    """The applications' periodic jobs: deleting drafts abandoned for 24 hours, and
    telling citizens whose guaranteed date is today (lokseva.appeals.scheduled)."""
    return [
        periodic_job(
            "purge", "lokseva.applications.scheduled", settings.draft_purge_interval_s, "Purge of abandoned drafts"
        ),
        periodic_job(
            "deadlines", "lokseva.appeals.scheduled", DEADLINE_WATCH_INTERVAL_S, "Deadline watcher (guaranteed dates)"
        ),
    ]


def channel_jobs(settings: Settings) -> List[Service]:
    """The WhatsApp channel's periodic job: sending the replies Twilio did not take."""
    return [
        periodic_job(
            "outbox",
            "lokseva.channels.scheduled",
            settings.whatsapp_outbox_interval_s,
            "WhatsApp outbox (replies Twilio did not take)",
        )
    ]


def stream_services(settings: Settings) -> List[Service]:
    """The consumer of Rasa's events (RabbitMQ) for the portal, when a broker is configured."""
    if not (settings.event_broker_url and settings.conversation_stream_url):
        return []
    return [
        Service(
            name="stream",
            argv=[sys.executable, "-m", "lokseva.portal.stream"],
            health_url=None,
            url="RabbitMQ ▸ CONVERSATION_STREAM_URL",
            description="Conversation stream for the portal (python -m lokseva.portal.stream)",
        )
    ]


def assistant_services(settings: Settings, model: Path) -> List[Service]:
    """Every process of the assistant, in start order."""
    py = sys.executable
    host = settings.host
    fake_twilio_url = f"http://{host}:{settings.fake_twilio_port}"
    fakes = (
        [
            Service(
                name="twilio",
                argv=[py, "-m", "lokseva.devtools.fake_twilio", "--port", str(settings.fake_twilio_port)],
                health_url=f"{fake_twilio_url}/_fake/health",
                url=f"{fake_twilio_url}/_fake/messages",
                description="Local fake of Twilio's WhatsApp API (TWILIO_API_BASE)",
            )
        ]
        if settings.twilio_api_base.rstrip("/") == fake_twilio_url
        else []
    )
    fake_bhashini_url = f"http://{host}:{settings.fake_bhashini_port}"
    if settings.bhashini_config_url.startswith(fake_bhashini_url + "/") and "bhashini" in (
        settings.speech_to_text,
        settings.text_to_speech,
    ):
        fakes.append(
            Service(
                name="bhashini",
                argv=[py, "-m", "lokseva.devtools.fake_bhashini", "--port", str(settings.fake_bhashini_port)],
                health_url=f"{fake_bhashini_url}/_fake/health",
                url=f"{fake_bhashini_url}/_fake/requests",
                description="Local fake of Bhashini's speech API (BHASHINI_CONFIG_URL)",
            )
        )
    jobs = payment_services(settings) + application_jobs(settings) + channel_jobs(settings) + stream_services(settings)
    return (
        fakes
        + jobs
        + [
            Service(
                name="actions",
                argv=[py, "-m", "rasa_sdk", "--actions", "actions", "--port", str(settings.action_port)],
                health_url=f"http://{host}:{settings.action_port}/health",
                url=settings.action_server_url,
                description="Rasa action server (custom actions)",
            ),
            Service(
                name="rasa",
                argv=[
                    py,
                    "-m",
                    "rasa",
                    "run",
                    "--enable-api",
                    *rasa_server_auth_args(settings),
                    "--interface",
                    host,
                    "--port",
                    str(settings.rasa_port),
                    "--model",
                    str(model),
                    "--endpoints",
                    "endpoints.yml",
                    "--credentials",
                    "credentials.yml",
                ],
                # "/" needs no token, and Rasa listens only once the model is loaded.
                health_url=f"http://{host}:{settings.rasa_port}/",
                url=f"{settings.rasa_url}/webhooks/rest/webhook",
                description="Rasa server (NLU + dialogue; REST channel)",
                startup_timeout=300.0,
            ),
            Service(
                name="web",
                argv=[py, "-m", "lokseva.web", "--host", host, "--port", str(settings.web_port)],
                health_url=f"http://{host}:{settings.web_port}/health",
                url=f"http://{host}:{settings.web_port}/",
                description="Web app (staff portal, WhatsApp simulator, webhooks)",
            ),
        ]
    )


class Running:
    """A started service: its process and where its output goes."""

    def __init__(self, service: Service, process: subprocess.Popen, log_path: Path):
        self.service = service
        self.process = process
        self.log_path = log_path

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self.service.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.service.name} exited with code {self.process.returncode} while starting; "
                    f"see {self.log_path}:\n{tail(self.log_path)}"
                )
            if self.service.health_url is None:
                return
            try:
                if requests.get(self.service.health_url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(
            f"{self.service.name} was not ready after {self.service.startup_timeout:.0f} s; "
            f"see {self.log_path}:\n{tail(self.log_path)}"
        )

    def stop(self, timeout: float = 15.0) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def start(service: Service, env: Dict[str, str], log_dir: Path, stdout: Optional[IO] = None) -> Running:
    """Starts `service` in its own process group, its output in log_dir/<name>.log."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{service.name}.log"
    log = open(log_path, "ab")  # noqa: SIM115 - stays open for the child process's whole life
    full_env = {**os.environ, **env, **service.env, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        service.argv,
        cwd=ROOT,
        env=full_env,
        stdout=stdout or log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Running(service, process, log_path)


def stop_all(running: List[Running]) -> None:
    for r in reversed(running):
        r.stop()
