"""NLU evaluation metrics, shared by bench/nlu_eval.py and the quality gate
(tests/integration/test_nlu_quality.py), so both measure the same thing.

- intent accuracy: predicted intent == annotated intent (nlu_fallback counts as wrong);
- macro-F1 over the annotated intents, and F1 per intent;
- entity accuracy (service, application_id, scheme, district): over the messages annotated with that
  entity, the share where the SET of canonical values extracted equals the
  annotated set; `span_exact`: same with (start, end, value) as end-to-end test
  stories compare them; `spurious`: messages NOT annotated with it where one came out;
  `more_entities_than_mentions`: messages with more entities than annotated mentions
  (a word such as "जन्म" or "death" read as a second mention); `overlapping`: messages
  where two entities cover the same characters (two extractors claimed one mention);
- off-topic rejection: share of out_of_scope messages predicted out_of_scope or
  nlu_fallback; in-scope fallback rate: share of the other messages predicted nlu_fallback;
- new-intent accuracy: intent accuracy over the messages annotated with one of the
  intents added in December 2026 (NEW_INTENTS).
"""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from lokseva.nlu.text import normalise_text

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
ENTITIES = ("service", "application_id", "scheme", "district")
# The intents added to the contract in December 2026 (issue #18 reports them apart).
NEW_INTENTS = ("ask_scheme_info", "report_problem", "file_appeal", "choose_district")

Example = Tuple[str, str, List[dict]]  # text, intent, entities


def load_examples(path: Path) -> List[Example]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent"), list(m.get("entities") or [])) for m in data.intent_examples]


def unseen_examples(heldout: Sequence[Example], training: Sequence[Example]) -> List[Example]:
    """The held-out examples whose normalised text is not also a training example.

    The held-out set and the training data were written by different people, and
    short everyday messages ("नमस्ते", "ok", "bye") come out identical in both.
    Scoring those would flatter the model, so the honest figures are on the rest."""
    seen = {normalise_text(text) for text, _, _ in training}
    return [e for e in heldout if normalise_text(e[0]) not in seen]


def _values(entities: Sequence[dict], name: str) -> Counter:
    return Counter(str(e.get("value")) for e in entities if e.get("entity") == name)


def _spans(entities: Sequence[dict], name: str) -> Counter:
    return Counter((e.get("start"), e.get("end"), str(e.get("value"))) for e in entities if e.get("entity") == name)


def _has_overlap(entities: Sequence[dict], name: str) -> bool:
    """Two entities of `name` over the same characters: two extractors claimed one mention."""
    spans = sorted((e["start"], e["end"]) for e in entities if e.get("entity") == name and "start" in e)
    return any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:]))


def f1_scores(gold: Sequence[str], pred: Sequence[str]) -> Dict[str, float]:
    scores = {}
    for label in sorted(set(gold)):
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        fp = sum(g != label and p == label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return scores


def evaluate(examples: Sequence[Example], parses: Sequence[dict], times: Sequence[float]) -> dict:
    gold = [ex[1] for ex in examples]
    pred = [(p.get("intent") or {}).get("name") for p in parses]
    per_intent = f1_scores(gold, pred)
    result = {
        "messages": len(examples),
        "intent_accuracy": sum(g == p for g, p in zip(gold, pred)) / len(gold),
        "macro_f1": statistics.mean(per_intent.values()),
        "per_intent_f1": per_intent,
    }
    oos = [p for g, p in zip(gold, pred) if g == OUT_OF_SCOPE]
    in_scope = [p for g, p in zip(gold, pred) if g != OUT_OF_SCOPE]
    result["off_topic_rejection"] = sum(p in (OUT_OF_SCOPE, FALLBACK) for p in oos) / len(oos) if oos else None
    result["in_scope_fallback_rate"] = sum(p == FALLBACK for p in in_scope) / len(in_scope) if in_scope else None
    new = [(g, p) for g, p in zip(gold, pred) if g in NEW_INTENTS]
    result["new_intents_accuracy"] = sum(g == p for g, p in new) / len(new) if new else None
    result["new_intents_messages"] = len(new)
    result["in_scope_rejected_as_off_topic"] = (
        sum(p == OUT_OF_SCOPE for p in in_scope) / len(in_scope) if in_scope else None
    )
    for name in ENTITIES:
        with_entity = [(ex, p) for ex, p in zip(examples, parses) if _values(ex[2], name)]
        without = [(ex, p) for ex, p in zip(examples, parses) if not _values(ex[2], name)]
        correct = sum(set(_values(ex[2], name)) == set(_values(p.get("entities", []), name)) for ex, p in with_entity)
        exact = sum(_spans(ex[2], name) == _spans(p.get("entities", []), name) for ex, p in with_entity)
        duplicates = sum(
            sum(_values(p.get("entities", []), name).values()) > sum(_values(ex[2], name).values())
            for ex, p in with_entity
        )
        overlapping = sum(_has_overlap(p.get("entities", []), name) for p in parses)
        spurious = sum(bool(_values(p.get("entities", []), name)) for ex, p in without)
        result[name] = {
            "messages": len(with_entity),
            "accuracy": correct / len(with_entity) if with_entity else None,
            "span_exact": exact / len(with_entity) if with_entity else None,
            "more_entities_than_mentions": duplicates,
            "overlapping": overlapping,
            "spurious": spurious,
            "spurious_rate": spurious / len(without) if without else None,
        }
    if times:
        ordered = sorted(times)
        result["latency_ms"] = {
            "p50": statistics.median(ordered),
            "p95": ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))],
            "mean": statistics.mean(ordered),
        }
    result["errors"] = [{"text": ex[0], "gold": g, "predicted": p} for ex, g, p in zip(examples, gold, pred) if g != p]
    result["entity_errors"] = [
        {
            "text": ex[0],
            "entity": name,
            "gold": sorted(_values(ex[2], name)),
            "predicted": sorted(_values(p.get("entities", []), name)),
        }
        for ex, p in zip(examples, parses)
        for name in ENTITIES
        if set(_values(ex[2], name)) != set(_values(p.get("entities", []), name))
    ]
    return result
