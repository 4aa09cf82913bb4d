"""The trainer inbox: messages the assistant was unsure of, grouped by sentence,
labelled with an intent (and entities) or dismissed, then exported as Rasa NLU
examples to data/nlu/from_conversations.yml with duplicate and conflict checks.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from lokseva.clock import now_utc
from lokseva.portal import conversations, nlu_data
from lokseva.portal.models import TrainerLabel
from lokseva.portal.service import PortalError, Staff
from lokseva.privacy import mask_text


@dataclass
class InboxItem:
    """One sentence (after normalisation), with every message that said it."""

    text: str  # masked, as the newest citizen wrote it
    event_ids: List[int]
    predicted_intent: Optional[str]
    confidence: Optional[float]
    fallback: bool
    last_at: Optional[dt.datetime]
    conversation_key: int  # event id of one message, to open its conversation
    count: int = 1
    entities: List[str] = field(default_factory=list)


def decided_keys(session: Session) -> set:
    return set(session.execute(sa.select(TrainerLabel.message_key)).scalars())


def inbox(session: Session, engine: Engine, threshold: float, limit: int = 50) -> List[InboxItem]:
    items: Dict[str, InboxItem] = {}
    for message in conversations.unsure_messages(engine, threshold, decided_keys(session), want=limit * 4):
        masked = mask_text(message.text)
        key = nlu_data.normalise(masked)
        if not key:
            continue
        item = items.get(key)
        if item is None:
            if len(items) >= limit:
                continue
            items[key] = InboxItem(
                text=masked,
                event_ids=[message.event_id],
                predicted_intent=message.predicted_intent,
                confidence=message.predicted_confidence,
                fallback=message.is_fallback,
                last_at=message.at,
                conversation_key=message.event_id,
                entities=[f"{e.get('entity')}={mask_text(str(e.get('value')))}" for e in message.entities],
            )
        elif len(item.event_ids) < 50:
            item.event_ids.append(message.event_id)
            item.count += 1
    return list(items.values())


def _messages(engine: Engine, event_ids: Sequence[int]) -> List[conversations.UserMessage]:
    messages = conversations.user_messages_by_id(engine, list(event_ids)[:50])
    if not messages:
        raise PortalError("not_found")
    return messages


def _pending_conflict(session: Session, example: str, intent: str) -> Optional[TrainerLabel]:
    """A label waiting for export that says the same sentence is another intent."""
    key = nlu_data.normalise(example)
    for label in session.execute(
        sa.select(TrainerLabel).where(TrainerLabel.status == "labelled", TrainerLabel.intent != intent)
    ).scalars():
        if nlu_data.normalise(label.example or "") == key:
            return label
    return None


def label(
    session: Session,
    engine: Engine,
    staff: Staff,
    event_ids: Sequence[int],
    intent: str,
    example: str,
    nlu_dir: Path,
    domain_dir: Path = nlu_data.ROOT / "domain",
) -> List[TrainerLabel]:
    """Labels the messages with `intent`; `example` is the training sentence (the
    masked message, maybe corrected, with entity annotations). Refuses an
    example that data/nlu already teaches as another intent."""
    intents, entities = nlu_data.domain_vocabulary(domain_dir)
    if intent not in intents:
        raise PortalError("unknown_intent", intent)
    try:
        example, _ = nlu_data.validate_example(example, entities)
    except nlu_data.ExampleError as error:
        raise PortalError(error.code, error.detail) from None
    verdict, known = nlu_data.check_against(nlu_data.known_examples(nlu_dir), example, intent)
    if verdict == "conflict":
        raise PortalError("conflict", f"{known.intent} ({known.file}: {known.example})")
    pending = _pending_conflict(session, example, intent)
    if pending is not None:
        raise PortalError("conflict", f"{pending.intent} (#{pending.id})")
    status = "duplicate" if verdict == "duplicate" else "labelled"
    note = f"{known.file}: {known.example}" if known else None
    return _record(session, engine, staff, event_ids, status, intent=intent, example=example, note=note)


def dismiss(session: Session, engine: Engine, staff: Staff, event_ids: Sequence[int]) -> List[TrainerLabel]:
    return _record(session, engine, staff, event_ids, "dismissed")


def _record(
    session: Session,
    engine: Engine,
    staff: Staff,
    event_ids: Sequence[int],
    status: str,
    intent: Optional[str] = None,
    example: Optional[str] = None,
    note: Optional[str] = None,
) -> List[TrainerLabel]:
    done = decided_keys(session)
    labels = []
    for message in _messages(engine, event_ids):
        if message.message_key in done:
            continue  # another trainer decided it meanwhile
        row = TrainerLabel(
            message_key=message.message_key,
            tracker_event_id=message.event_id,
            text=mask_text(message.text),
            example=example,
            intent=intent,
            predicted_intent=message.predicted_intent,
            confidence=message.predicted_confidence,
            status=status,
            note=note,
            labelled_by=staff.id,
            labelled_at=now_utc(),
        )
        session.add(row)
        labels.append(row)
    if not labels:
        raise PortalError("already_decided")
    session.flush()
    return labels


@dataclass
class ExportResult:
    written: List[str] = field(default_factory=list)  # "intent: example"
    duplicates: List[str] = field(default_factory=list)
    conflicts: List[str] = field(default_factory=list)
    path: Optional[str] = None


def export(session: Session, nlu_dir: Path, now: Optional[dt.datetime] = None) -> ExportResult:
    """Writes every labelled example not yet exported. Checked again here, against
    the files as they are now and against each other: a sentence already taught
    for the same intent is a duplicate (not written), for another intent a
    conflict (not written, shown to the trainer)."""
    now = now or now_utc()
    index = nlu_data.known_examples(nlu_dir)
    result = ExportResult()
    new: List[tuple] = []
    labels = (
        session.execute(sa.select(TrainerLabel).where(TrainerLabel.status == "labelled").order_by(TrainerLabel.id))
        .scalars()
        .all()
    )
    for label in labels:
        verdict, known = nlu_data.check_against(index, label.example or "", label.intent or "")
        shown = f"{label.intent}: {label.example}"
        if verdict == "conflict":
            label.status = "conflict"
            label.note = f"{known.intent} ({known.file}: {known.example})"
            result.conflicts.append(f"{shown}  ≠  {label.note}")
            continue
        label.exported_at = now
        if verdict == "duplicate":
            label.status = "duplicate"
            label.note = f"{known.file}: {known.example}"
            result.duplicates.append(shown)
            continue
        label.status = "exported"
        new.append((label.intent, label.example))
        result.written.append(shown)
        index.setdefault(nlu_data.normalise(label.example), []).append(
            nlu_data.KnownExample(label.intent, label.example, nlu_data.EXPORT_FILE_NAME)
        )
    if new:
        result.path = str(nlu_data.append_to_export(nlu_dir, new))
    return result


def recent_labels(session: Session, limit: int = 30) -> List[TrainerLabel]:
    return list(
        session.execute(
            sa.select(TrainerLabel)
            .where(TrainerLabel.status != "dismissed")
            .order_by(TrainerLabel.labelled_at.desc(), TrainerLabel.id.desc())
            .limit(limit)
        ).scalars()
    )


def counts(session: Session) -> Dict[str, int]:
    rows = session.execute(sa.select(TrainerLabel.status, sa.func.count()).group_by(TrainerLabel.status)).all()
    return {status: n for status, n in rows}


# Figures of bench/nlu_eval.py per pipeline, in the order the page shows them.
EVAL_METRICS = (
    ("intent_accuracy", "percent"),
    ("macro_f1", "ratio"),
    ("off_topic_rejection", "percent"),
    ("in_scope_fallback_rate", "percent"),
    ("service.accuracy", "percent"),
    ("application_id.accuracy", "percent"),
    ("latency_ms.p50", "ms"),
    ("training_seconds", "seconds"),
)


def _dig(data: dict, dotted: str):
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data if isinstance(data, (int, float)) and not isinstance(data, bool) else None


def evaluation_figures(path: Path) -> Optional[dict]:
    """The NLU bench's latest figures (bench/results/nlu_eval.json), if any.

    The bench's own shape ({"results": {pipeline: {...}}}) gives a table of
    pipelines, the weakest intents and messages it got wrong; any other JSON is
    shown as its numbers ("figures")."""
    if not path.is_file():
        return None
    generated = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {"error": True, "generated": generated, "figures": [], "pipelines": []}
    result = {
        "error": False,
        "generated": generated,
        "figures": [],
        "pipelines": [],
        "rows": [],
        "weak": [],
        "mistakes": [],
        "about": {},
    }
    pipelines = data.get("results") if isinstance(data, dict) else None
    if isinstance(pipelines, dict) and pipelines and all(isinstance(v, dict) for v in pipelines.values()):
        names = list(pipelines)
        result["pipelines"] = names
        for metric, kind in EVAL_METRICS:
            values = [_dig(pipelines[n], metric) for n in names]
            if any(v is not None for v in values):
                result["rows"].append((metric, kind, values))
        ours = pipelines.get("ours") or pipelines[names[0]]
        per_intent = ours.get("per_intent_f1") or {}
        result["weak"] = sorted(
            ((k, v) for k, v in per_intent.items() if isinstance(v, (int, float))), key=lambda kv: kv[1]
        )[:6]
        result["mistakes"] = [
            {"text": mask_text(str(e.get("text", ""))), "gold": e.get("gold"), "predicted": e.get("predicted")}
            for e in (ours.get("errors") or [])[:12]
            if isinstance(e, dict)
        ]
        result["about"] = {k: data.get(k) for k in ("evaluated_on", "training_examples") if data.get(k) is not None}
        return result

    def walk(prefix: str, value, depth: int) -> None:
        if len(result["figures"]) >= 40 or isinstance(value, bool):
            return
        if isinstance(value, (int, float)):
            result["figures"].append((prefix, value))
        elif isinstance(value, dict) and depth < 3:
            for key, inner in value.items():
                walk(f"{prefix} · {key}" if prefix else str(key), inner, depth + 1)
        elif isinstance(value, str) and depth <= 1 and len(value) < 80:
            result["figures"].append((prefix, value))

    walk("", data, 0)
    return result
