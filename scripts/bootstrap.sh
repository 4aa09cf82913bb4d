#!/usr/bin/env bash
# Creates .venv at the repository root (other tools rely on that path) and installs
# the pinned dependencies from requirements.lock. Re-running is cheap: it does
# nothing while .venv matches the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.installed
want=$(sha256sum requirements.lock | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
py=$(scripts/find-python.sh)
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
  echo "==> creating .venv with $py"
  rm -rf .venv
  "$py" -m venv .venv
fi
echo "==> installing pinned dependencies (first time: a few minutes)"
.venv/bin/pip install --quiet --upgrade pip==24.0
.venv/bin/pip install --quiet -r requirements.lock
.venv/bin/pip check
echo "$want" > "$stamp"
