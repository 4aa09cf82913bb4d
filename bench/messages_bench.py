"""The message catalogue: what reading and checking it costs at start-up, and
what a rendered text costs in a turn, against the baseline of the same text
written with str.format (the way the texts were written before the catalogue).

    .venv/bin/python bench/messages_bench.py [--renders 200000]

Prints:
  size     texts per language, files, languages.
  start    ms to read and check every file (the start-up check of the web app
           and the action server), median of 5 cold reads.
  render   µs per render() of a text with two variables (key lookup, the
           variables checked against the placeholders, format), against
           "format": the same text's str.format alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lokseva.messages import MESSAGES_DIR, load_catalogue, read_catalogue, render  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=200_000)
    args = parser.parse_args()

    catalogue = load_catalogue()
    files = sorted(MESSAGES_DIR.glob("*/*.yml"))
    print(
        f"size    {len(catalogue.texts['hi'])} texts per language in {len(files)} files, "
        f"languages {', '.join(catalogue.languages)}"
    )

    reads = []
    for _ in range(5):
        started = time.perf_counter()
        _catalogue, problems = read_catalogue()
        reads.append((time.perf_counter() - started) * 1000)
        assert not problems, problems
    print(f"start   {statistics.median(reads):.1f} ms to read and check the catalogue (median of 5)")

    key, values = "payments.refund_due", {"amount": "₹20", "application_id": "JBA-2026-000123"}
    text = catalogue.value(key, "hi")
    assert isinstance(text, str)
    started = time.perf_counter()
    for _ in range(args.renders):
        render(key, "hi", **values)
    ours = (time.perf_counter() - started) / args.renders * 1e6
    started = time.perf_counter()
    for _ in range(args.renders):
        text.format(**values)
    base = (time.perf_counter() - started) / args.renders * 1e6
    print(f"render  {ours:.2f} µs per render()   format {base:.2f} µs   ({args.renders} each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
