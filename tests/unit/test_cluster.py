"""The load balancer of lokseva/devtools/cluster.py, run for real (HAProxy from Debian)
in front of small HTTP servers standing in for the replicas: a citizen's webhooks go
to one replica, citizens spread over replicas, and move when theirs dies."""

import collections
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests

from lokseva.devtools.cluster import HAPROXY_HEALTH_PATH, Topology, cluster_services, haproxy_config
from lokseva.settings import load_settings

pytestmark = pytest.mark.skipif(shutil.which("haproxy") is None, reason="scripts/ensure-tools.sh installs haproxy")


class Replica:
    """Answers health checks and records which citizen's webhooks it got."""

    def __init__(self, port: int, name: str):
        self.citizens = collections.Counter()
        replica = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self.send_response(200)
                self.end_headers()
                self.wfile.write(name.encode())

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                replica.citizens[parse_qs(body).get("From", [""])[0]] += 1
                self.send_response(200)
                self.end_headers()
                self.wfile.write(name.encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def balancer(tmp_path):
    topology = Topology.on_free_ports(2)
    replicas = [Replica(port, f"rasa-{i + 1}") for i, port in enumerate(topology.rasa_ports)]
    webs = [Replica(port, f"web-{i + 1}") for i, port in enumerate(topology.web_ports)]
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config(topology, "127.0.0.1"))
    process = subprocess.Popen(
        ["haproxy", "-db", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{topology.public_port}"
    try:
        deadline = time.monotonic() + 20
        while True:  # up, and both replicas seen healthy
            try:
                if requests.get(url + HAPROXY_HEALTH_PATH, timeout=1).status_code == 200 and all(
                    requests.post(
                        url + "/webhooks/whatsapp/webhook", data={"From": f"whatsapp:+91{n:010d}"}, timeout=2
                    ).status_code
                    == 200
                    for n in range(4)
                ):
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "HAProxy did not come up"
            time.sleep(0.2)
        time.sleep(2.5)  # the health checks have seen both replicas up
        for r in replicas:
            r.citizens.clear()
        yield url, replicas, webs
    finally:
        process.terminate()
        process.wait(timeout=10)
        for r in replicas + webs:
            r.stop()


def send(url: str, phone: str) -> str:
    reply = requests.post(
        url + "/webhooks/whatsapp/webhook", data={"From": f"whatsapp:{phone}", "Body": "x"}, timeout=10
    )
    assert reply.status_code == 200
    return reply.text


def test_a_citizen_stays_on_one_replica_and_citizens_spread(balancer):
    url, replicas, _ = balancer
    phones = [f"+9198{n:08d}" for n in range(40)]
    served = {phone: {send(url, phone) for _ in range(5)} for phone in phones}
    assert all(len(names) == 1 for names in served.values())  # each citizen: one replica
    per_replica = collections.Counter(next(iter(names)) for names in served.values())
    assert set(per_replica) == {"rasa-1", "rasa-2"} and min(per_replica.values()) >= 8, per_replica
    assert requests.get(url + "/portal", timeout=10).text in ("web-1", "web-2")  # the rest: the web apps


def test_when_a_replica_dies_its_citizens_move_and_the_others_stay(balancer):
    url, replicas, _ = balancer
    phones = [f"+9197{n:08d}" for n in range(30)]
    before = {phone: send(url, phone) for phone in phones}
    replicas[0].stop()
    after = {phone: send(url, phone) for phone in phones}  # retried on the live one, no error
    assert set(after.values()) == {"rasa-2"}
    assert all(after[p] == "rasa-2" for p in phones if before[p] == "rasa-2")  # nobody else moved


def test_the_cluster_starts_n_of_each_process_behind_one_haproxy(tmp_path):
    topology = Topology.on_free_ports(2)
    settings = topology.settings_for(load_settings({"RASA_URL": "", "ACTION_SERVER_URL": "", "PUBLIC_URL": ""}))
    assert settings.public_url == settings.rasa_url == f"http://127.0.0.1:{topology.public_port}"
    assert settings.action_server_url == f"http://127.0.0.1:{topology.actions_port}/webhook"
    names = [s.name for s in cluster_services(settings, topology, Path("model.tar.gz"), tmp_path)]
    for kind in ("actions", "rasa", "web", "outbox", "reconcile", "purge"):
        assert [n for n in names if n.startswith(kind + "-")] == [f"{kind}-1", f"{kind}-2"]
    assert names[-1] == "haproxy"
    checked = subprocess.run(["haproxy", "-c", "-f", str(tmp_path / "haproxy.cfg")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
