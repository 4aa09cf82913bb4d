"""Where a process's time goes, from py-spy's raw (collapsed stack) output: the share
of samples spent inside each of the parts of a turn that the issue names, and the
functions that take the most samples themselves."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

# Part of a turn -> a piece of the frame's text (function and file) that marks it.
PARTS = {
    "tracker load (retrieve)": "retrieve (rasa/core/tracker_store.py",
    "tracker save": "save (lokseva/privacy/tracker_store.py",
    "event redaction (Aadhaar)": "redact_aadhaar",
    "action server round trip": "run (rasa/core/actions/action.py",
    "lock store (Redis)": "rasa/core/lock_store.py",
    "policies (prediction)": "predict_next_action",
    "NLU parse": "parse_message",
    "channel: database work": "lokseva/channels/service.py",
    "channel: outbox and Twilio": "lokseva/channels/outbox.py",
    "actions: database sessions": "lokseva/db/core.py",
    "idle (waiting for work)": "select (selectors.py",
}


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
        for part, marker in PARTS.items():
            if marker in stack:
                parts[part] += n
        own[stack.rsplit(";", 1)[-1]] += n
    if not total:
        return "  (no samples)"
    lines = [f"  {part:32} {parts[part] / total:6.1%}" for part in PARTS]
    lines.append("  busiest functions (own samples):")
    lines += [f"    {n / total:6.1%}  {frame[:110]}" for frame, n in own.most_common(top)]
    return "\n".join(lines)
