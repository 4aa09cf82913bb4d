"""Start one production process, after the production profile's checks.

    python -m lokseva.serve rasa --model models/<model>.tar.gz
    python -m lokseva.serve actions
    python -m lokseva.serve web
    python -m lokseva.serve job reconcile|purge|outbox|retention [--every SECONDS]
    python -m lokseva.serve check                    # only the checks

Each command refuses to start, naming the setting, unless the environment is a
safe production one (lokseva.production): LOKSEVA_ENV=production set explicitly,
strong secrets, Razorpay, Twilio's real API with real Content SIDs, https
PUBLIC_URL, PostgreSQL, the proxy settings, servers bound to the internal
network, and a credentials file without the REST channel. Then it replaces
itself with the process (exec), so the service manager's signals reach it.

Rasa's HTTP API takes only JWTs in the Authorization header (lokseva.rasa_api);
the Rasa server and the action server listen on HOST, which must be internal.
`make run` (lokseva.devtools.run) is the development way and checks none of this.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Dict, List, Optional

from lokseva.production import ProductionRefused, Refusal, check_all, production_environ
from lokseva.rasa_api import rasa_server_auth_args
from lokseva.settings import ConfigurationError, ROOT, load_settings

JOBS: Dict[str, str] = {
    "reconcile": "lokseva.jobs.reconcile",
    "purge": "lokseva.applications.scheduled",
    "outbox": "lokseva.channels.scheduled",
    "retention": "lokseva.data_rights.retention",
}
DEFAULT_CREDENTIALS = ROOT / "credentials.production.yml"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lokseva.serve", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="process", required=True)
    rasa = sub.add_parser("rasa", help="the Rasa server (NLU, dialogue, WhatsApp channel)")
    rasa.add_argument("--model", required=True, type=Path, help="the trained model (.tar.gz)")
    sub.add_parser("actions", help="the action server")
    sub.add_parser("web", help="the web app (portal, /verify, media, payment webhooks)")
    job = sub.add_parser("job", help="a periodic job")
    job.add_argument("name", choices=sorted(JOBS))
    job.add_argument("--every", type=float, default=0, help="run again every this many seconds (default: once)")
    sub.add_parser("check", help="only check the configuration")
    return parser


def command(args: argparse.Namespace, settings) -> List[str]:
    """The argv of the process to exec."""
    py = sys.executable
    if args.process == "rasa":
        return [
            py,
            "-m",
            "rasa",
            "run",
            "--enable-api",
            *rasa_server_auth_args(settings),
            "--interface",
            settings.host,
            "--port",
            str(settings.rasa_port),
            "--model",
            str(args.model),
            "--endpoints",
            str(ROOT / "endpoints.yml"),
            "--credentials",
            str(credentials_path()),
        ]
    if args.process == "actions":
        return [py, "-m", "rasa_sdk", "--actions", "actions", "--port", str(settings.action_port)]
    if args.process == "web":
        return [py, "-m", "lokseva.web", "--host", settings.host, "--port", str(settings.web_port)]
    argv = [py, "-m", JOBS[args.name]]
    return argv + (["--every", str(args.every)] if args.every else [])


def credentials_path() -> Path:
    return Path(os.environ.get("RASA_CREDENTIALS") or DEFAULT_CREDENTIALS)


def prepare(argv: Optional[List[str]] = None, environ: Optional[Dict[str, str]] = None):
    """Parses, checks; returns (argv to exec, environment). Raises ProductionRefused
    or ConfigurationError naming the setting."""
    args = _parser().parse_args(argv)
    env = production_environ(os.environ if environ is None else environ)
    if env.get("LOKSEVA_ENV") != "production":
        # Before anything else: an unset LOKSEVA_ENV would generate development secrets.
        raise ProductionRefused(
            [Refusal("LOKSEVA_ENV", "must be set to production explicitly (unset means development)")]
        )
    try:
        settings = load_settings(env)
    except ConfigurationError as error:
        raise ProductionRefused([Refusal("configuration", str(error))]) from None
    check_all(env, settings, credentials_path())
    child_env = {**env, **settings.as_env(), "PYTHONPATH": str(ROOT), "SANIC_HOST": settings.host}
    return command(args, settings) if args.process != "check" else None, child_env


def main(argv: Optional[List[str]] = None) -> int:
    try:
        exec_argv, env = prepare(argv)
    except ProductionRefused as refused:
        print(refused, file=sys.stderr)
        return 2
    if exec_argv is None:
        print("the production configuration passes every check")
        return 0
    os.chdir(ROOT)
    os.execve(exec_argv[0], exec_argv, env)
    return 1  # pragma: no cover - execve does not return


if __name__ == "__main__":
    sys.exit(main())
