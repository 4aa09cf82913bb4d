#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter, or explains what to install.
# Rasa 3.6 runs on Python 3.8-3.10 only; this project is tested on 3.10.
set -euo pipefail
candidates=("${PYTHON:-}" python3.10)
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for d in "$root"/versions/3.10*; do [ -x "$d/bin/python3.10" ] && candidates+=("$d/bin/python3.10"); done
fi
candidates+=(/usr/bin/python3.10 /usr/local/bin/python3.10)
for c in "${candidates[@]}"; do
  [ -n "$c" ] || continue
  if "$c" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; then
    command -v "$c" 2>/dev/null || echo "$c"
    exit 0
  fi
done
cat >&2 <<'MSG'
error: Python 3.10 was not found (Rasa 3.6 does not run on 3.11 or newer).
Install it, then run the command again, for example:
  Debian/Ubuntu:  sudo apt-get install python3.10 python3.10-venv
  pyenv:          pyenv install 3.10.13
Or point to an interpreter:  make run PYTHON=/path/to/python3.10
MSG
exit 1
