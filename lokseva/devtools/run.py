"""`make run`: start the whole assistant locally and stop it cleanly on Ctrl-C.

Starts every service of lokseva.devtools.processes, waits until each answers its
health check, prints the URLs, then follows the processes: if one dies, all are
stopped and the exit code says so. Logs go to var/log/<service>.log.
"""

from __future__ import annotations

import signal
import sys
import time
from typing import List

from lokseva.db import upgrade_database
from lokseva.devtools import processes
from lokseva.devtools.train import ensure_model
from lokseva.portal.create_admin import ensure_development_admin
from lokseva.settings import ROOT, VAR_DIR, get_settings


def main() -> int:
    settings = get_settings()
    model = ensure_model()

    upgrade_database(settings.database_url)  # the channel's tables (and every capability's)

    admin_file = ensure_development_admin(settings)
    services = processes.assistant_services(settings, model)
    env = settings.as_env()
    log_dir = VAR_DIR / "log"
    running: List[processes.Running] = []

    def shutdown(signum=None, frame=None):
        print("\n==> stopping …", flush=True)
        processes.stop_all(running)
        print("==> stopped", flush=True)
        sys.exit(0 if signum in (signal.SIGINT, signal.SIGTERM) else 1)

    signal.signal(signal.SIGINT, shutdown)
    signal.signal(signal.SIGTERM, shutdown)
    started = time.monotonic()
    try:
        for service in services:
            print(f"==> starting {service.name}: {service.description}", flush=True)
            running.append(processes.start(service, env, log_dir))
        for r in running:
            r.wait_ready()
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        processes.stop_all(running)
        return 1

    print(f"\n==> the assistant is ready ({time.monotonic() - started:.0f} s). Logs: {log_dir.relative_to(ROOT)}/")
    for r in running:
        print(f"    {r.service.name:<9} {r.service.url:<48} {r.service.description}")
    print(
        f"\n    Talk to it like a citizen on WhatsApp: http://{settings.host}:{settings.web_port}/simulator"
        "\n    Or:      curl -s -XPOST "
        f'{settings.rasa_url}/webhooks/rest/webhook -d \'{{"sender":"me","message":"नमस्ते"}}\''
        "\n    Press Ctrl-C to stop.\n",
        flush=True,
    )
    if admin_file:
        print(
            f"    Staff portal: http://{settings.host}:{settings.web_port}/portal/login "
            f"(development admin: see {admin_file.relative_to(ROOT)})\n",
            flush=True,
        )
    while True:
        for r in running:
            if r.process.poll() is not None:
                print(
                    f"error: {r.service.name} exited with code {r.process.returncode}; "
                    f"last lines of {r.log_path}:\n{processes.tail(r.log_path)}",
                    file=sys.stderr,
                )
                processes.stop_all(running)
                return 1
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
