"""Load through the load balancer, with Locust: citizens filling in forms on WhatsApp,
on 1 and 2 replicas of every process, beside stock Rasa's REST channel in the same run.

    /tmp/heavy .venv/bin/python bench/cluster_bench.py [--replicas 1 2] [--users 12] [--seconds 60]
                                                      [--profile DIR]

1. stock Rasa: a tiny bot (stock pipeline, one intent, no actions) trained in a temp
   dir and served by `rasa run`; Locust users greet it on the REST channel.
2. this project, for each replica count: the whole topology of lokseva/devtools/cluster.py
   (HAProxy, N Rasa servers, N action servers, N web apps, the jobs, the conversation
   stream to RabbitMQ) on throw-away PostgreSQL databases and Redis; Locust users are
   citizens applying for an income certificate (bench/locust_citizens.py): greeting,
   service question, the district, the form's answers, confirmation (receipt and payment link),
   status. Webhook-to-reply: from the signed webhook to the first reply at the fake Twilio.

Prints messages/s and p50/p95/p99 of each, the ratios against stock Rasa, and the
resident memory of every process under load. --profile records the 1-replica Rasa
server and action server with py-spy during the load and prints where the time goes.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil  # noqa: E402

from bench.profile_summary import summarise  # noqa: E402
from bench.stock_bot import stock_bot  # noqa: E402
from bench.support import ScratchDatabases  # noqa: E402
from lokseva.devtools import processes  # noqa: E402
from lokseva.devtools.cluster import Topology, cluster_services  # noqa: E402
from lokseva.portal.stream import delete_queue  # noqa: E402
from lokseva.privacy import verhoeff_valid  # noqa: E402
from lokseva.settings import ROOT, load_settings  # noqa: E402

LOCUSTFILE = Path(__file__).resolve().parent / "locust_citizens.py"
RABBITMQ_URL = os.environ.get("BENCH_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")


@dataclasses.dataclass
class Result:
    name: str
    replicas: int
    count: int = 0
    failures: int = 0
    per_second: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    memory: Dict[str, float] = dataclasses.field(default_factory=dict)  # MB resident, per process
    bytes_per_turn: Dict[str, float] = dataclasses.field(default_factory=dict)  # per database


def run_locust(user_class: str, env: Dict[str, str], users: int, seconds: int, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            user_class,
            "--headless",
            "-u",
            str(users),
            "-r",
            str(max(1, users // 2)),
            "-t",
            f"{seconds}s",
            "--csv",
            str(out),
            "--only-summary",
            "--stop-timeout",
            "30",
            "--loglevel",
            "WARNING",
        ],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        check=False,
        timeout=seconds + 120,
        stdout=subprocess.DEVNULL,
    )


def read_stats(out: Path, name: str, result: Result) -> Result:
    with open(f"{out}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["Name"] == name:
                result.count, result.failures = int(row["Request Count"]), int(row["Failure Count"])
                result.per_second = float(row["Requests/s"])
                result.p50, result.p95, result.p99 = (float(row[k]) for k in ("50%", "95%", "99%"))
    return result


def resident_mb(pid: int) -> float:
    try:
        process = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20
    except psutil.Error:
        return 0.0


def database_size(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()
    finally:
        engine.dispose()


def turns(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM whatsapp_inbound_messages")).scalar()
    finally:
        engine.dispose()


def measure_stock(tmp: Path, users: int, seconds: int) -> Result:
    with stock_bot(tmp / "stock") as url:
        run_locust("StockRasaUser", {"BENCH_STOCK_URL": url}, users, seconds, tmp / "stock" / "locust")
        return read_stats(tmp / "stock" / "locust", "rest→reply", Result("stock Rasa, REST, no actions", 1))


def aadhaar() -> str:
    stem = "23456789012"
    return next(stem + d for d in "0123456789" if verhoeff_valid(stem + d))


def measure_cluster(tmp: Path, replicas: int, users: int, seconds: int, model: Path, profile: Optional[Path]) -> Result:
    databases = ScratchDatabases()
    queue = f"lokseva_bench_{uuid.uuid4().hex[:8]}"
    try:
        topology = Topology.on_free_ports(replicas)
        overrides = {
            "LOKSEVA_ENV": "test",
            "FAKE_TWILIO_PORT": str(processes.free_port()),
            "SANDBOX_GATEWAY_PORT": str(processes.free_port()),
            "DATABASE_URL": databases.create(),
            "TRACKER_STORE_URL": databases.create(),
            "CONVERSATION_STREAM_URL": databases.create(),
            "EVENT_BROKER_URL": RABBITMQ_URL,
            "EVENT_BROKER_QUEUE": queue,
            "LOCK_STORE_TYPE": "redis",
            "UPLOADS_DIR": str(tmp / "uploads"),
            "RASA_URL": "",
            "ACTION_SERVER_URL": "",
            "PUBLIC_URL": "",
            "TWILIO_API_BASE": "",
            "SANDBOX_GATEWAY_URL": "",
        }
        settings = topology.settings_for(load_settings({**os.environ, **overrides}))
        from lokseva.db import upgrade_database

        upgrade_database(settings.database_url)
        log_dir = tmp / f"cluster-{replicas}"
        services = cluster_services(settings, topology, model, log_dir)
        running: List[processes.Running] = []
        try:
            for service in services:
                running.append(processes.start(service, settings.as_env(), log_dir))
            for r in running:
                r.wait_ready()
            env = {
                "BENCH_PUBLIC_URL": settings.public_url,
                "BENCH_FAKE_TWILIO": settings.twilio_api_base,
                "BENCH_TWILIO_AUTH_TOKEN": settings.twilio_auth_token,
                "BENCH_TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
                "BENCH_TWILIO_NUMBER": settings.twilio_whatsapp_number,
                "BENCH_AADHAAR": aadhaar(),
            }
            run_locust("WhatsAppCitizen", env, 2, 10, log_dir / "warmup")  # first turns load lazily
            databases_by_role = {
                "applications and channel": settings.database_url,
                "conversations": settings.tracker_store_url,
                "portal stream": settings.conversation_stream_url,
            }
            before = {role: database_size(url) for role, url in databases_by_role.items()}
            turns_before = turns(settings.database_url)
            by_name = {r.service.name: r for r in running}
            recorders = []
            if profile is not None and replicas == 1:
                profile.mkdir(parents=True, exist_ok=True)
                for name in ("rasa-1", "actions-1"):
                    recorders.append(
                        subprocess.Popen(
                            [
                                str(Path(sys.executable).parent / "py-spy"),
                                "record",
                                "--pid",
                                str(by_name[name].process.pid),
                                "--duration",
                                str(max(10, seconds - 20)),
                                "--format",
                                "raw",
                                "--nonblocking",
                                "--output",
                                str(profile / f"{name}.txt"),
                            ],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                        )
                    )
            started = time.monotonic()
            memory: Dict[str, float] = {}

            def sample() -> None:  # well into the load
                time.sleep(seconds * 0.7)
                for r in running:
                    memory[r.service.name] = resident_mb(r.process.pid)

            thread = threading.Thread(target=sample)
            thread.start()
            run_locust("WhatsAppCitizen", env, users, seconds, log_dir / "locust")
            thread.join()
            for recorder in recorders:
                recorder.wait(timeout=120)
            result = read_stats(
                log_dir / "locust",
                "webhook→reply",
                Result(f"lokseva, WhatsApp, {replicas} replica{'s' if replicas > 1 else ''}", replicas),
            )
            result.memory = memory
            time.sleep(3)  # the stream consumers' last batch
            new_turns = max(1, turns(settings.database_url) - turns_before)
            result.bytes_per_turn = {
                role: (database_size(url) - before[role]) / new_turns for role, url in databases_by_role.items()
            }
            print(f"  ({replicas} replica(s): load ran {time.monotonic() - started:.0f} s; logs in {log_dir})")
            return result
        finally:
            processes.stop_all(running)
    finally:
        databases.drop()
        forget_queue(queue)


def forget_queue(name: str) -> None:
    with contextlib.suppress(Exception):  # nothing left to delete
        delete_queue(RABBITMQ_URL, name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--users", type=int, default=12, help="citizens (Locust users) at once")
    parser.add_argument("--seconds", type=int, default=60, help="load time per measurement")
    parser.add_argument("--profile", type=Path, help="py-spy profiles of the 1-replica run go here")
    args = parser.parse_args()
    from lokseva.devtools.train import ensure_model

    model = ensure_model()
    with tempfile.TemporaryDirectory(prefix="lokseva-cluster-bench-") as tmp:
        results = [measure_stock(Path(tmp), args.users, args.seconds)]
        for replicas in args.replicas:
            results.append(measure_cluster(Path(tmp), replicas, args.users, args.seconds, model, args.profile))
    stock = results[0]
    print(f"\n{args.users} users at once, {args.seconds} s each, 0.3 s pause after each reply")
    print(f"  {'':40} {'turns':>6} {'fail':>5} {'msgs/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for r in results:
        print(f"  {r.name:40} {r.count:6d} {r.failures:5d} {r.per_second:7.1f} {r.p50:7.0f} {r.p95:7.0f} {r.p99:7.0f}")
    print("\nratios against stock Rasa (same run)")
    for r in results[1:]:
        per_replica = r.per_second / r.replicas
        print(
            f"  {r.name:40} msgs/s per replica {per_replica / stock.per_second:5.2f}x   "
            f"p50 {r.p50 / stock.p50:5.1f}x   p95 {r.p95 / stock.p95:5.1f}x"
        )
    print("\nresident memory under load (MB)")
    for r in results[1:]:
        print(f"  {r.name}: " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(r.memory.items())))
    print("\ndatabase growth per citizen message (bytes, tables and indexes)")
    for r in results[1:]:
        print(f"  {r.name}: " + ", ".join(f"{k} {v:,.0f}" for k, v in r.bytes_per_turn.items()))
    if args.profile:
        for name in ("rasa-1", "actions-1"):
            path = args.profile / f"{name}.txt"
            if path.exists():
                print(f"\nwhere {name}'s time goes (py-spy, share of samples)")
                print(summarise(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
