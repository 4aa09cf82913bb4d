"""Payments: how fast a paid fee becomes a paid application, and how long a
receipt PDF takes, against baselines measured in the same run.

    .venv/bin/python bench/payments_bench.py [--payments 40] [--concurrency 8] [--receipts 30]

Starts the sandbox gateway and the web app as real processes on free ports, with
the application database on a throw-away PostgreSQL database (TEST_POSTGRES_ADMIN_URL,
default postgresql://postgres@127.0.0.1:5432/postgres), then prints:

  settle   per payment: from the gateway capturing it (sandbox "pay") to the
           application being paid in the database (signed webhook, checks,
           locks, status change, receipt notice), p50/p95 ms; and payments per
           second with --concurrency citizens paying at once.
  health   baseline: a GET /health round trip to the same web app (the floor of
           one HTTP exchange with it).
  receipt  ms per receipt PDF (Hindi, shaped) from the cached static font
           instances, against the baseline "variable": the same receipt with
           fpdf2 instancing the variable font itself on every document.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from bench.support import ScratchDatabases, percentile as pct  # noqa: E402


def summary(name: str, values: List[float]) -> str:
    return f"{name:<9} n={len(values):<4} p50 {pct(values, 0.5):8.1f} ms   p95 {pct(values, 0.95):8.1f} ms"


def bench_settlement(payments: int, concurrency: int) -> None:
    from lokseva.devtools import processes
    from lokseva.settings import get_settings

    databases = ScratchDatabases()
    database_url = databases.create()
    os.environ.update(
        {
            "LOKSEVA_ENV": "test",
            "PAYMENT_GATEWAY": "sandbox",
            "WEB_PORT": str(processes.free_port()),
            "SANDBOX_GATEWAY_PORT": str(processes.free_port()),
            "RASA_PORT": str(processes.free_port()),
            "DATABASE_URL": database_url,
        }
    )
    for key in ("PUBLIC_URL", "SANDBOX_GATEWAY_URL", "RASA_URL"):
        os.environ[key] = ""
    get_settings.cache_clear()
    settings = get_settings()

    from lokseva.applications import service as repo
    from lokseva.applications.lifecycle import Status
    from lokseva.applications.models import Application
    from lokseva.db import session_scope
    from lokseva.payments import common, flows

    repo.engine()
    services = [s for s in processes.assistant_services(settings, Path("unused")) if s.name in ("gateway", "web")]
    running = []
    log_dir = Path(tempfile.mkdtemp(prefix="payments-bench-"))
    try:
        for service in services:
            running.append(processes.start(service, settings.as_env(), log_dir))
        for r in running:
            r.wait_ready()
        web = f"http://{settings.host}:{settings.web_port}"

        # Applications waiting for their fee, each with an open link.
        links = []
        for i in range(payments):
            reference = f"JBA-2026-{800000 + i:06d}"
            with session_scope(repo.engine()) as session:
                citizen = repo.get_or_create_citizen(session, f"bench-{i}")
                application = Application(
                    citizen=citizen,
                    reference=reference,
                    district_code="JBA",
                    service_id="income_certificate",
                    status=None,
                    language="hi",
                    details={},
                    statutory_fee_paise=0,
                    processing_fee_paise=2000,
                    fee_due_paise=2000,
                )
                session.add(application)
                for status in (Status.DRAFT, Status.SUBMITTED, Status.FEE_PENDING):
                    repo.change_status(session, application, status, by="bench")
            flows.pay_from_chat(f"bench-{i}", reference, "hi", "")
            with session_scope(repo.engine()) as session:
                app = repo.find_by_reference(session, reference)
                payment = next(p for p in app_payments(session, app.id))
                links.append((reference, payment.gateway_link_id))

        gateway = common.gateway()
        engine = repo.engine()

        def settle(item) -> float:
            reference, link_id = item
            started = time.perf_counter()
            gateway.pay(link_id)
            while True:
                with engine.connect() as conn:
                    status = conn.exec_driver_sql(
                        "SELECT status FROM applications WHERE reference = %(r)s", {"r": reference}
                    ).scalar()
                if status == "paid":
                    return (time.perf_counter() - started) * 1000
                time.sleep(0.002)

        half = payments // 2
        sequential = [settle(item) for item in links[:half]]
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
            concurrent_ms = list(pool.map(settle, links[half:]))
        elapsed = time.perf_counter() - started

        health = []
        session_http = requests.Session()
        for _ in range(100):
            t = time.perf_counter()
            session_http.get(f"{web}/health", timeout=10).raise_for_status()
            health.append((time.perf_counter() - t) * 1000)

        print(summary("settle", sequential), "  (one citizen at a time)")
        print(
            summary("settle", concurrent_ms),
            f"  ({concurrency} at once: {len(concurrent_ms) / elapsed:.1f} payments/s)",
        )
        print(summary("health", health), "  (baseline: one HTTP round trip to the web app)")
        print(f"ratio    settle p50 / health p50 = {pct(sequential, 0.5) / pct(health, 0.5):.1f}x")
    finally:
        processes.stop_all(running)
        databases.drop()


def app_payments(session, application_id):
    from lokseva.payments import service

    return service.payments_of(session, application_id)


def bench_receipts(runs: int) -> None:
    import datetime as dt

    from fpdf import FPDF

    from lokseva.fonts import variable_font_path
    from lokseva.payments.receipt_pdf import ReceiptData, render_receipt

    data = ReceiptData(
        "JBA-2026-000123-P01",
        "JBA-2026-000123",
        "आय प्रमाण पत्र",
        "Income certificate",
        "सीता भूरिया",
        [("लोक सेवा केंद्र शुल्क", "Lok Seva Kendra fee", 2000)],
        2000,
        "upi",
        "pay_BENCH0000001",
        dt.datetime.now(dt.timezone.utc),
        "लोक सेवा केंद्र, झाबुआ",
        "Lok Seva Kendra, Jhabua",
    )
    render_receipt(data)  # the static instances are made once per checkout (var/fonts/)

    def timed(make) -> List[float]:
        out = []
        for _ in range(runs):
            t = time.perf_counter()
            make()
            out.append((time.perf_counter() - t) * 1000)
        return out

    static = timed(lambda: render_receipt(data))
    original_add_font = FPDF.add_font

    def variable_add_font(self, family=None, style="", fname=None, **kwargs):
        # The obvious way: fpdf2 instances the package's variable font per document.
        weight = 700 if "B" in style else 400
        return original_add_font(self, family, style, str(variable_font_path()), variations={"wght": weight}, **kwargs)

    FPDF.add_font = variable_add_font
    try:
        variable = timed(lambda: render_receipt(data))
    finally:
        FPDF.add_font = original_add_font
    size = len(render_receipt(data)) / 1024
    print(summary("receipt", static), f"  ({size:.0f} KB, static font instances)")
    print(summary("variable", variable), "  (baseline: fpdf2 instancing the variable font)")
    print(f"ratio    variable p50 / receipt p50 = {pct(variable, 0.5) / pct(static, 0.5):.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--receipts", type=int, default=20)
    args = parser.parse_args()
    bench_receipts(args.receipts)
    bench_settlement(args.payments, args.concurrency)


if __name__ == "__main__":
    main()
