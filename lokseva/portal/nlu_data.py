"""Rasa NLU training data as the trainer inbox needs it: the intents and entities
of the domain, every example already in data/nlu/ (normalised, so that spelling
noise does not hide a duplicate), inline entity annotations, and the one file the
portal writes, data/nlu/from_conversations.yml.

Plain Python on files; no database.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple

import yaml

from lokseva.catalogue import load_catalogue
from lokseva.districts import district_keys
from lokseva.privacy.redaction import redact_text
from lokseva.schemes import SCHEME_IDS
from lokseva.settings import ROOT, VAR_DIR
from lokseva.text import ascii_digits, without_invisible

EXPORT_FILE_NAME = "from_conversations.yml"
# Intents that are not taught with examples.
NOT_TEACHABLE = {"nlu_fallback"}

# [text](entity) / [text](entity:value) / [text]{"entity": ..., "value": ...}
_ANNOTATION = re.compile(r"\[(?P<text>[^\]\n]+)\](?:\((?P<short>[^)\n]+)\)|(?P<json>\{[^}\n]*\}))")


class ExampleError(ValueError):
    """An example the trainer wrote cannot be used; the code names the message."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Entity:
    entity: str
    text: str
    value: Optional[str] = None


def parse_annotations(example: str) -> Tuple[str, List[Entity]]:
    """The plain text of an annotated example and its entities."""
    entities: List[Entity] = []

    def replace(match: re.Match) -> str:
        text = match.group("text")
        if match.group("json"):
            try:
                spec = json.loads(match.group("json"))
            except json.JSONDecodeError:
                raise ExampleError("bad_annotation", match.group(0)) from None
            if not isinstance(spec, dict) or not isinstance(spec.get("entity"), str):
                raise ExampleError("bad_annotation", match.group(0))
            value = spec.get("value")
            entities.append(Entity(spec["entity"], text, None if value is None else str(value)))
        else:
            name, _, value = match.group("short").partition(":")
            entities.append(Entity(name.strip(), text, value.strip() or None))
        return text

    plain = _ANNOTATION.sub(replace, example)
    return plain, entities


def normalise(text: str) -> str:
    """What two examples must share to count as the same sentence: annotations
    removed, Unicode NFC, case folded, Devanagari digits as ASCII, invisible
    joiners and punctuation/emoji dropped, spaces collapsed."""
    plain, _ = parse_annotations(text) if "[" in text else (text, [])
    plain = ascii_digits(without_invisible(unicodedata.normalize("NFC", plain))).casefold()
    kept = [ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in plain]
    return " ".join("".join(kept).split())


def clean_example(example: str) -> str:
    """One line, trimmed: examples are lines of a YAML block. An Aadhaar number a
    trainer typed is masked: the training data is no place for one."""
    return redact_text(" ".join(without_invisible(unicodedata.normalize("NFC", example or "")).split()))


# --- the domain --------------------------------------------------------------


def domain_vocabulary(domain_dir: Path = ROOT / "domain") -> Tuple[List[str], List[str]]:
    """(intents, entities) declared in the domain files."""
    intents: Set[str] = set()
    entities: Set[str] = set()
    paths = sorted(domain_dir.rglob("*.yml")) if domain_dir.is_dir() else [domain_dir]
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("intents") or []:
            intents.add(next(iter(item)) if isinstance(item, dict) else str(item))
        for item in data.get("entities") or []:
            entities.add(next(iter(item)) if isinstance(item, dict) else str(item))
    return sorted(intents - NOT_TEACHABLE), sorted(entities)


def validate_example(example: str, entities_known: Iterable[str]) -> Tuple[str, List[Entity]]:
    example = clean_example(example)
    if not example:
        raise ExampleError("empty_example")
    if len(example) > 500:
        raise ExampleError("long_example")
    plain, entities = parse_annotations(example)
    known = set(entities_known)
    for entity in entities:
        if entity.entity not in known:
            raise ExampleError("unknown_entity", entity.entity)
    if "[" in plain or "]" in plain:
        raise ExampleError("bad_annotation", example)
    if not normalise(plain):
        raise ExampleError("empty_example")
    return example, entities


# --- existing examples ---------------------------------------------------------


def _examples_of(item: dict) -> List[str]:
    examples = item.get("examples")
    if isinstance(examples, str):
        return [line.strip()[2:].strip() for line in examples.splitlines() if line.strip().startswith("- ")]
    if isinstance(examples, list):  # the long form: - text: ...
        return [str(e.get("text", "")) if isinstance(e, dict) else str(e) for e in examples]
    return []


def read_examples(path: Path) -> List[Tuple[str, str]]:
    """(intent, example) pairs of one NLU file, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = []
    for item in data.get("nlu") or []:
        if isinstance(item, dict) and "intent" in item:
            pairs.extend((str(item["intent"]), e) for e in _examples_of(item) if e)
    return pairs


@dataclass(frozen=True)
class KnownExample:
    intent: str
    example: str
    file: str


def known_examples(nlu_dir: Path) -> Dict[str, List[KnownExample]]:
    """Every example in the NLU files under nlu_dir, keyed by normalised text."""
    index: Dict[str, List[KnownExample]] = {}
    if not nlu_dir.is_dir():
        return index
    for path in sorted(nlu_dir.rglob("*.yml")):
        for intent, example in read_examples(path):
            index.setdefault(normalise(example), []).append(
                KnownExample(intent, example, str(path.relative_to(nlu_dir)))
            )
    return index


def check_against(
    index: Dict[str, List[KnownExample]], example: str, intent: str
) -> Tuple[str, Optional[KnownExample]]:
    """('new', None), ('duplicate', same-intent example) or ('conflict', other-intent example)."""
    found = index.get(normalise(example)) or []
    for known in found:
        if known.intent != intent:
            return "conflict", known
    if found:
        return "duplicate", found[0]
    return "new", None


# --- the export file -----------------------------------------------------------

HEADER = (
    'version: "3.1"\n'
    "# Examples labelled by trainers in the staff portal's inbox (/portal/trainer) from real\n"
    "# conversations, personal numbers masked. Written by lokseva/portal/trainer.py: edit the\n"
    "# examples freely, the next export keeps what is here and adds to it.\n"
)


def render_export(examples: Dict[str, List[str]]) -> str:
    lines = [HEADER, "nlu:\n"]
    for intent in sorted(examples):
        if not examples[intent]:
            continue
        lines.append(f"  - intent: {intent}\n    examples: |\n")
        lines.extend(f"      - {example}\n" for example in examples[intent])
    if len(lines) == 2:
        lines[-1] = "nlu: []\n"
    return "".join(lines)


def append_to_export(nlu_dir: Path, new: Iterable[Tuple[str, str]]) -> Path:
    """Adds (intent, example) pairs to from_conversations.yml, keeping what is
    there; written whole to a temporary file and renamed, under a file lock, so a
    reader (or a training run) never sees half a file."""
    nlu_dir.mkdir(parents=True, exist_ok=True)
    path = nlu_dir / EXPORT_FILE_NAME
    # The lock lives outside data/ so that it never shows in git or in a training run.
    VAR_DIR.mkdir(exist_ok=True)
    with open(VAR_DIR / "nlu-export.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        examples: Dict[str, List[str]] = {}
        if path.exists():
            for intent, example in read_examples(path):
                examples.setdefault(intent, []).append(example)
        for intent, example in new:
            examples.setdefault(intent, []).append(example)
        text = render_export(examples)
        yaml.safe_load(text)  # never write a file Rasa cannot read
        fd, tmp = tempfile.mkstemp(dir=nlu_dir, prefix=".from_conversations.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    return path


# --- the export file as training reads it ------------------------------------------


# Values an annotated entity may carry (the NLU contract: canonical values only).
def canonical_values() -> Dict[str, Set[str]]:
    return {
        "service": {service.id for service in load_catalogue()},
        "scheme": set(SCHEME_IDS),
        "district": set(district_keys()),
    }


_APPLICATION_ID = re.compile(r"[A-Z]{3}-\d{4}-\d{6}")


def check_export(nlu_dir: Path, domain_dir: Path = ROOT / "domain") -> List[str]:
    """What is wrong with from_conversations.yml as it is now, one line per problem
    (none: [] ; no file: []). The portal checks each example when it is labelled and
    exported, but the file may have been edited by hand or merged from elsewhere, so
    training checks it again: Rasa can read it, every intent and entity is in the
    domain (the NLU contract), entity values are canonical, and no sentence is
    taught twice in it or under another intent in the other files of nlu_dir."""
    path = nlu_dir / EXPORT_FILE_NAME
    if not path.exists():
        return []
    problems: List[str] = []
    try:
        pairs = read_examples(path)
    except (yaml.YAMLError, AttributeError, TypeError) as error:
        return [f"{EXPORT_FILE_NAME}: not readable as Rasa training data ({error})"]
    intents, entities_known = domain_vocabulary(domain_dir)
    canonical = canonical_values()
    others: Dict[str, List[KnownExample]] = {}
    for key, known in known_examples(nlu_dir).items():
        kept = [k for k in known if k.file != EXPORT_FILE_NAME]
        if kept:
            others[key] = kept
    seen: Dict[str, str] = {}
    for intent, example in pairs:
        where = f"{EXPORT_FILE_NAME}: {intent}: {example}"
        if intent not in intents:
            problems.append(f"{where}: intent not in the domain")
        try:
            _, entities = validate_example(example, entities_known)
        except ExampleError as error:
            problems.append(f"{where}: {error.code} {error.detail}".rstrip())
            continue
        for entity in entities:
            value = entity.value if entity.value is not None else entity.text
            if entity.entity in canonical and value not in canonical[entity.entity]:
                problems.append(f"{where}: {entity.entity} value {value!r} is not canonical")
            if entity.entity == "application_id" and not _APPLICATION_ID.fullmatch(value):
                problems.append(f"{where}: application_id value {value!r} is not canonical")
        key = normalise(example)
        if key in seen:
            problems.append(f"{where}: taught twice in the file ({seen[key]})")
        seen.setdefault(key, intent)
        verdict, known = check_against(others, example, intent)
        if verdict == "conflict" and known is not None:
            problems.append(f"{where}: conflicts with {known.intent} in {known.file}: {known.example}")
        elif verdict == "duplicate" and known is not None:
            problems.append(f"{where}: already in {known.file}")
    return problems
