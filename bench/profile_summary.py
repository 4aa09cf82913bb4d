"""Where a process's time goes, from py-spy's raw (collapsed stack) output: the share
of samples spent inside each of the parts of a turn that the issue names, and the
functions that take the most samples themselves."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

# Part of a turn -> (function name or "", a piece of its file's path) that marks it.
PARTS = {
    "tracker load (retrieve)": ("retrieve", "rasa/core/tracker_store.py"),
    "tracker save": ("save", "lokseva/privacy/tracker_store.py"),
    "event redaction (Aadhaar)": ("redact_aadhaar", "lokseva/privacy/"),
    "action server round trip": ("run", "rasa/core/actions/action.py"),
    "lock store (Redis)": ("", "rasa/core/lock_store.py"),
    "policies (prediction)": ("predict_next_action", "rasa/core/processor.py"),
    "NLU parse": ("parse_message", "rasa/core/processor.py"),
    "channel: inbox database work": ("", "lokseva/channels/service.py"),
    "channel: outbox and Twilio": ("", "lokseva/channels/outbox.py"),
    "actions: database sessions": ("session_scope", "lokseva/db/core.py"),
    "idle (waiting for work)": ("select", "selectors.py"),
}


def _in(stack: str, function: str, path: str) -> bool:
    for frame in stack.split(";"):
        name, _, where = frame.partition(" (")
        if path in where and (not function or name.strip() == function):
            return True
    return False


def summarise(path: Path, top: int = 12) -> str:
    parts: Counter = Counter()
    own: Counter = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        for part, (function, where) in PARTS.items():
            if _in(stack, function, where):
                parts[part] += n
        own[stack.rsplit(";", 1)[-1]] += n
    if not total:
        return "  (no samples)"
    lines = [f"  {part:32} {parts[part] / total:6.1%}" for part in PARTS]
    lines.append("  busiest functions (own samples):")
    lines += [f"    {n / total:6.1%}  {frame[-110:]}" for frame, n in own.most_common(top)]
    return "\n".join(lines)
