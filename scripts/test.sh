#!/usr/bin/env bash
# Every check of `make test`. Runs all of them, then fails if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD"
PY=.venv/bin/python
scripts/ensure-services.sh || exit 1
scripts/ensure-tools.sh || exit 1
eval "$($PY -m lokseva.settings --export)"
model=$($PY -m lokseva.devtools.train)   # trains only if the data changed
failed=()

step() {
  local name=$1; shift
  echo
  echo "==> $name"
  if "$@"; then echo "==> $name: ok"; else echo "==> $name: FAILED"; failed+=("$name"); fi
}

step "ruff" .venv/bin/ruff check .
step "ruff format" .venv/bin/ruff format --check .
step "type check" .venv/bin/mypy
step "rasa data validate" .venv/bin/rasa data validate --domain domain --data data --config config.yml --fail-on-warnings
step "test stories" .venv/bin/rasa test core --model "$model" --stories tests/stories \
  --endpoints endpoints.yml --out results/stories --fail-on-prediction-errors --e2e
step "pytest" $PY -m pytest "$@"

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all checks passed"
