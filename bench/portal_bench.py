"""Staff portal reads on a large tracker store: how long the conversation search,
a transcript, the trainer inbox and the analytics take, against a baseline
measured in the same run on the same table (a full scan: SELECT of every
event's data, what any page that parses everything would cost).

    .venv/bin/python bench/portal_bench.py [--conversations 5000] [--turns 10]
                                           [--database sqlite|postgres] [--runs 5]

The events are Rasa's (the `events` table of SQLTrackerStore, the same JSON
shapes), spread over 60 days; 8% of the citizens' messages end in nlu_fallback
and 8% more are below the trainer's confidence threshold. PostgreSQL uses a
throw-away database on TEST_POSTGRES_ADMIN_URL (default the local server).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Callable, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench.support import ScratchDatabases  # noqa: E402

from lokseva.portal import analytics, conversations  # noqa: E402
from lokseva.portal.conversations import EVENTS, ConversationFilter  # noqa: E402

INTENTS = ["check_status", "apply_service", "pay_fee", "greet", "ask_service_info", "get_certificate"]
TEXTS = [
    "mera status batao",
    "aay praman patra banwana hai",
    "fees kitni hai",
    "namaste ji",
    "khasra ki nakal chahiye",
    "certificate bhejo",
    "JBA-2026-000123 kab milega",
    "jati praman patra",
]


def events_for(sender: str, start: float, turns: int, rng: random.Random):
    rows, at = [], start
    for _ in range(turns):
        at += rng.uniform(5, 120)
        roll = rng.random()
        intent = rng.choice(INTENTS)
        confidence = rng.uniform(0.9, 1.0)
        ranking = [{"name": intent, "confidence": confidence}]
        if roll < 0.08:
            ranking = [
                {"name": "nlu_fallback", "confidence": 0.5},
                {"name": intent, "confidence": rng.uniform(0.2, 0.5)},
            ]
            intent, confidence = "nlu_fallback", 0.5
        elif roll < 0.16:
            confidence = rng.uniform(0.5, 0.69)
            ranking = [{"name": intent, "confidence": confidence}]
        text = rng.choice(TEXTS) + f" {rng.randint(1, 999)}"
        user = {
            "event": "user",
            "timestamp": at,
            "text": text,
            "message_id": uuid.uuid4().hex,
            "parse_data": {
                "text": text,
                "intent": {"name": intent, "confidence": confidence},
                "entities": [],
                "intent_ranking": ranking,
            },
        }
        rows.append(
            {
                "sender_id": sender,
                "type_name": "user",
                "timestamp": at,
                "intent_name": intent,
                "action_name": None,
                "data": json.dumps(user),
            }
        )
        rows.append(
            {
                "sender_id": sender,
                "type_name": "action",
                "timestamp": at,
                "intent_name": None,
                "action_name": "utter_x",
                "data": json.dumps({"event": "action", "name": "utter_x"}),
            }
        )
        rows.append(
            {
                "sender_id": sender,
                "type_name": "bot",
                "timestamp": at,
                "intent_name": None,
                "action_name": None,
                "data": json.dumps({"event": "bot", "text": "नमस्ते 🙏 " * 5}),
            }
        )
    return rows


def seed(engine, count: int, turns: int) -> str:
    rng = random.Random(7)
    EVENTS.metadata.create_all(engine)
    now = time.time()
    batch, last_sender = [], ""
    with engine.begin() as conn:
        for i in range(count):
            last_sender = f"wa-{i:032x}"
            batch.extend(events_for(last_sender, now - rng.uniform(0, 60 * 86400), turns, rng))
            if len(batch) > 20_000:
                conn.execute(EVENTS.insert(), batch)
                batch = []
        if batch:
            conn.execute(EVENTS.insert(), batch)
    return last_sender


def timed(fn: Callable, runs: int) -> List[float]:
    fn()  # warm caches, as a page visited twice would
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=5000)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    cleanup = lambda: None  # noqa: E731
    if args.database == "postgres":
        databases = ScratchDatabases()
        url = databases.create()
        cleanup = databases.drop
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='portal-bench-')}/tracker.db"
    engine = sa.create_engine(url, future=True)
    try:
        started = time.perf_counter()
        sender = seed(engine, args.conversations, args.turns)
        if args.database == "postgres":
            # Rasa's table has an index on sender_id only.
            with engine.begin() as c:
                c.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_events_sender_id ON events (sender_id)"))
                c.execute(sa.text("ANALYZE events"))
        else:
            with engine.begin() as c:
                c.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_events_sender_id ON events (sender_id)"))
        total = args.conversations * args.turns * 3
        print(
            f"{args.database}: {args.conversations} conversations, {total} events "
            f"(seeded in {time.perf_counter() - started:.1f} s)\n"
        )

        def full_scan():
            with engine.connect() as c:
                for _ in c.execute(sa.select(EVENTS.c.data)):
                    pass

        cases = [
            ("baseline: read every event", full_scan),
            ("conversation list (page 1)", lambda: conversations.search(engine, ConversationFilter())),
            ("search: fallback only", lambda: conversations.search(engine, ConversationFilter(fallback_only=True))),
            ("search: intent pay_fee", lambda: conversations.search(engine, ConversationFilter(intent="pay_fee"))),
            (
                "search: application id",
                lambda: conversations.search(engine, ConversationFilter(application_id="JBA-2026-000123")),
            ),
            ("transcript of one conversation", lambda: conversations.transcript(engine, sender, 0.7)),
            ("trainer inbox (200 unsure)", lambda: list(conversations.unsure_messages(engine, 0.7, set(), want=200))),
            ("analytics, 30 days", lambda: analytics.conversation_stats(engine, 30)),
        ]
        baseline = None
        print(f"{'operation':34} {'p50 ms':>9} {'max ms':>9} {'x baseline':>11}")
        for name, fn in cases:
            times = timed(fn, args.runs)
            p50 = statistics.median(times)
            baseline = baseline or p50
            print(f"{name:34} {p50:9.1f} {max(times):9.1f} {p50 / baseline:11.3f}")
    finally:
        engine.dispose()
        cleanup()


if __name__ == "__main__":
    main()
