"""pydantic building blocks shared by the YAML data files staff edit by hand.

The district files, the service catalogue, the schemes, the appeal limits and the
information content are each checked by pydantic models when they load, so that a
typo stops start-up with the file, entry and field named instead of reaching a
citizen. Their texts are `Bilingual`: Hindi first, and English.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Mapping, Sequence, Union

from pydantic import BaseModel, Extra, ValidationError, validator

from lokseva.language import ENGLISH


class Strict(BaseModel):
    """A mapping of a data file: a misspelt key is an error, not silently ignored."""

    class Config:
        extra = Extra.forbid
        allow_mutation = False


class Bilingual(Strict):
    """A text citizens read: Hindi first, and English; neither may be empty."""

    hi: str
    en: str

    @validator("hi", "en")
    def _not_blank(cls, value: str) -> str:  # noqa: N805 - pydantic validators take the class
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    def text(self, language: str) -> str:
        return self.en if language == ENGLISH else self.hi

    def as_dict(self) -> Dict[str, str]:
        """{"hi": ..., "en": ...}, for the modules that keep texts as mappings."""
        return {"hi": self.hi, "en": self.en}


def field_path(loc: Sequence[Union[int, str]]) -> str:
    """pydantic's location of an error as staff read it: `fees.statutory_by_delay[1].paise`."""
    path = ""
    for part in loc:
        if part == "__root__":
            continue
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path


def named_errors(
    error: ValidationError, where: str, problem: Callable[[Mapping[str, Any]], str] = lambda item: str(item["msg"])
) -> str:
    """Every error of `error`, one a line: `<where>, field '<path>': <problem>`."""
    return "\n".join(f"{where}, field '{field_path(item['loc'])}': {problem(item)}" for item in error.errors())
