"""Government schemes: what each gives, who qualifies, how to apply, how to
check a payment and what to do when it does not come (schemes.yml), and how a
complaint is routed (complaints.yml). Both files are data that staff correct
without code (docs/schemes.md); they are checked when loaded (models.py)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Optional, Type, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from lokseva.schemes.models import ASPECTS, SCHEME_IDS, ComplaintTexts, Fact, Scheme, SchemeBook

SCHEMES_FILE = Path(__file__).with_name("schemes.yml")
COMPLAINTS_FILE = Path(__file__).with_name("complaints.yml")

__all__ = [
    "ASPECTS",
    "SCHEME_IDS",
    "ComplaintTexts",
    "Fact",
    "Scheme",
    "SchemeBook",
    "SchemeDataError",
    "load_complaints",
    "load_schemes",
]

Model = TypeVar("Model", bound=BaseModel)


class SchemeDataError(ValueError):
    """schemes.yml or complaints.yml is broken; the message names the entry and field."""


def _load(path: Path, model: Type[Model]) -> Model:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise SchemeDataError(f"{path.name}: not valid YAML ({error})") from None
    try:
        return model.parse_obj(data)
    except ValidationError as error:
        problems = "; ".join(f"{' → '.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors())
        raise SchemeDataError(f"{path.name}: {problems}") from None


@functools.lru_cache(maxsize=None)
def load_schemes(path: Optional[Path] = None) -> SchemeBook:
    return _load(Path(path or SCHEMES_FILE), SchemeBook)


@functools.lru_cache(maxsize=None)
def load_complaints(path: Optional[Path] = None) -> ComplaintTexts:
    return _load(Path(path or COMPLAINTS_FILE), ComplaintTexts)
