"""Several replicas of each process behind HAProxy, on one machine: the production
topology (deploy/) in miniature, for the fault tests and the load benchmark.

    citizen/Twilio ─► HAProxy :public ─ /webhooks/whatsapp/webhook ─► rasa-1 … rasa-N (by the citizen's number)
                                     ├─ /webhooks/, /conversations/ ─► rasa-1 … rasa-N (by path)
                                     └─ everything else ─────────────► web-1 … web-N (round robin)
    rasa-i ─► HAProxy :actions ─► actions-1 … actions-N (round robin)

The load balancer sends a citizen's webhooks to one Rasa replica (consistent hash
of the form field `From`), so that replica's in-process queue keeps their order
cheaply; when a replica dies its citizens move to another one, and the shared inbox
(lokseva.channels.service.ChannelStore.begin_turn) keeps the order across the two.
Webhooks are idempotent (MessageSid), so HAProxy may retry them on another replica;
action calls are retried only when the connection failed or the action server died
without answering.
"""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import List

from lokseva.devtools import processes
from lokseva.settings import Settings

HAPROXY_HEALTH_PATH = "/lb-health"


@dataclass(frozen=True)
class Topology:
    replicas: int
    public_port: int  # PUBLIC_URL and RASA_URL: what Twilio, the gateway and the web app call
    actions_port: int  # ACTION_SERVER_URL of every Rasa replica
    rasa_ports: List[int]
    action_ports: List[int]
    web_ports: List[int]

    @classmethod
    def on_free_ports(cls, replicas: int) -> "Topology":
        def ports() -> List[int]:
            return [processes.free_port() for _ in range(replicas)]

        return cls(replicas, processes.free_port(), processes.free_port(), ports(), ports(), ports())

    def settings_for(self, settings: Settings) -> Settings:
        """The settings every process shares: the load balancer's addresses."""
        public = f"http://{settings.host}:{self.public_port}"
        return dataclasses.replace(
            settings,
            public_url=public,
            rasa_url=public,
            action_server_url=f"http://{settings.host}:{self.actions_port}/webhook",
        )


def haproxy_config(topology: Topology, host: str) -> str:
    def servers(ports: List[int], name: str, check: str) -> str:
        return "".join(f"    server {name}-{i + 1} {host}:{port} {check}\n" for i, port in enumerate(ports))

    # A loaded replica may be slow to answer a check: three misses in a row mark it down.
    check = "check inter 1s fall 3 rise 2"
    return f"""global
    maxconn 2000
    # Action calls carry the tracker: buffered whole, so that a call to an action
    # server that died can be sent again to another one.
    tune.bufsize 1048576

defaults
    mode http
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    timeout http-request 30s
    timeout check 5s
    option http-buffer-request
    retries 3
    option redispatch 1
    default-server {check}

frontend public
    bind {host}:{topology.public_port}
    monitor-uri {HAPROXY_HEALTH_PATH}
    acl citizen_message path /webhooks/whatsapp/webhook
    acl rasa path_beg /webhooks/ /conversations/ /model /status /version
    use_backend rasa_by_citizen if citizen_message
    use_backend rasa_by_path if rasa
    default_backend web

# One replica per citizen while it lives (their order is then its queue's);
# a webhook is idempotent (MessageSid), so it may go again to another replica.
backend rasa_by_citizen
    balance url_param From check_post
    hash-type consistent
    retry-on conn-failure empty-response junk-response 503
    option httpchk GET /
{servers(topology.rasa_ports, "rasa", "")}
backend rasa_by_path
    balance uri
    hash-type consistent
    retry-on conn-failure
    option httpchk GET /
{servers(topology.rasa_ports, "rasa", "")}
backend web
    balance roundrobin
    retry-on conn-failure
    option httpchk GET /health
{servers(topology.web_ports, "web", "")}
frontend actions
    bind {host}:{topology.actions_port}
    default_backend actions

backend actions
    balance roundrobin
    # Not after a timeout: the action may have run (a submitted application).
    retry-on conn-failure empty-response
    option httpchk GET /health
{servers(topology.action_ports, "actions", "")}"""


def haproxy_service(config_path: Path, topology: Topology, host: str) -> processes.Service:
    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    return processes.Service(
        name="haproxy",
        argv=[binary, "-db", "-f", str(config_path)],  # -db: in the foreground, logs to stderr
        health_url=f"http://{host}:{topology.public_port}{HAPROXY_HEALTH_PATH}",
        url=f"http://{host}:{topology.public_port}/",
        description="HAProxy (webhooks by citizen to the Rasa replicas, the web apps, the action servers)",
    )


def replica_services(settings: Settings, topology: Topology, model: Path) -> List[processes.Service]:
    """N action servers, N Rasa servers and N web apps (named actions-1, rasa-1, web-1, …)."""
    replicas: List[processes.Service] = []
    for kind, ports, field in (
        ("actions", topology.action_ports, "action_port"),
        ("rasa", topology.rasa_ports, "rasa_port"),
        ("web", topology.web_ports, "web_port"),
    ):
        for i, port in enumerate(ports):
            own = dataclasses.replace(settings, **{field: port})
            [service] = [s for s in processes.assistant_services(own, model) if s.name == kind]
            replicas.append(dataclasses.replace(service, name=f"{kind}-{i + 1}", env={field.upper(): str(port)}))
    return replicas


def cluster_services(
    settings: Settings, topology: Topology, model: Path, config_dir: Path, jobs_per_kind: int = 2
) -> List[processes.Service]:
    """Every process, in start order: the local fakes, `jobs_per_kind` instances of
    each periodic job (one winner per run, lokseva.periodic), the replicas, HAProxy."""
    config_dir.mkdir(parents=True, exist_ok=True)
    config = config_dir / "haproxy.cfg"
    config.write_text(haproxy_config(topology, settings.host))
    services = processes.assistant_services(settings, model)
    replicated = ("actions", "rasa", "web")
    fakes = [s for s in services if s.health_url is not None and s.name not in replicated]
    jobs = [s for s in services if s.health_url is None]
    job_instances = [dataclasses.replace(job, name=f"{job.name}-{i + 1}") for job in jobs for i in range(jobs_per_kind)]
    return (
        fakes
        + job_instances
        + replica_services(settings, topology, model)
        + [haproxy_service(config, topology, settings.host)]
    )


def income_form(aadhaar: str) -> List[str]:
    """What a scripted citizen of Jhabua types to apply for an income certificate, one
    message per question (district first), as the fault test and the load test send it."""
    return [
        "नमस्ते",
        "aay praman patra banwana hai",
        "jhabua",
        "sita bhuriya",
        "papa ka naam kalu bhuriya",
        "mahila",
        "12/03/1990",
        "gaon pitol",
        "2",
        "457661",
        aadhaar,
        "2 lakh",
        "haan",
    ]
