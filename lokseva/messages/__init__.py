"""The message catalogue: every sentence the assistant writes to a citizen, one
file per language and capability (lokseva/messages/<language>/<capability>.yml,
described in docs/messages.md).

A text is addressed by its capability and its key, dotted: "payments.link_delayed"
is the key `link_delayed` of payments.yml; nested mappings add their keys
("applications.invalid.empty"). A value is a text, or a list of texts (button
titles in order). Placeholders are written `{name}` and filled by `render`.

Hindi (`hi`) is the reference language: every other language has exactly its
keys, with the same placeholders in each text (`problems`, run when the web app
and the action server start and by a unit test). Adding a language is adding a
folder of files beside hi/ and en/.
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple, Union

import yaml

MESSAGES_DIR = Path(__file__).resolve().parent
REFERENCE = "hi"  # Hindi first: the language every other one is checked against

Value = Union[str, Tuple[str, ...]]


class MessageError(LookupError):
    """A key that is not in the catalogue, or variables that do not match a text's placeholders."""


class CatalogueError(ValueError):
    """The catalogue's files are broken; the message names every problem found."""


def placeholders(text: str) -> FrozenSet[str]:
    """{"amount", "url"} for "₹{amount} … {url}". A placeholder is a plain name:
    no attribute, index or format spec, so a translator can't break one by halves."""
    names = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise CatalogueError(f"placeholder {{{name}}} must be a plain name like {{amount}}")
        names.add(name)
    return frozenset(names)


def _flatten(data: object, prefix: str, where: str, out: Dict[str, Value], problems: List[str]) -> None:
    if isinstance(data, str):
        out[prefix] = data
    elif isinstance(data, list) and data and all(isinstance(item, str) for item in data):
        out[prefix] = tuple(data)
    elif isinstance(data, dict) and data:
        for key, value in data.items():
            if not isinstance(key, str) or not key.replace("_", "").isalnum():
                problems.append(f"{where}: key {key!r} under {prefix!r} must be a word (letters, digits, _)")
                continue
            _flatten(value, f"{prefix}.{key}", where, out, problems)
    else:
        problems.append(f"{where}: {prefix!r} must be a text, a list of texts or a mapping, not {data!r}")


@dataclass(frozen=True)
class Catalogue:
    """language -> dotted key -> text (or tuple of texts)."""

    texts: Mapping[str, Mapping[str, Value]]

    @property
    def languages(self) -> Tuple[str, ...]:
        return tuple(sorted(self.texts, key=lambda lang: (lang != REFERENCE, lang)))

    def language(self, language: Optional[str]) -> str:
        """The catalogue's language for a conversation's: itself when the catalogue
        has it, else Hindi (a conversation with no language yet is Hindi)."""
        return language if language is not None and language in self.texts else REFERENCE

    def has(self, key: str) -> bool:
        return key in self.texts[REFERENCE]

    def variant(self, key: str, variants: Sequence[str]) -> str:
        """`key` itself when it is a text, else its first variant present
        ("applications.prompts.event_date.child"), else its `default`."""
        if self.has(key):
            return key
        for variant in (*variants, "default"):
            if variant and self.has(f"{key}.{variant}"):
                return f"{key}.{variant}"
        raise MessageError(f"no message {key!r} (nor a variant of it: {', '.join(v for v in variants if v)})")

    def keys(self, prefix: str = "") -> List[str]:
        """Keys under `prefix` ("applications.prompts"), in file order."""
        head = prefix + "." if prefix else ""
        return [key for key in self.texts[REFERENCE] if key.startswith(head)]

    def value(self, key: str, language: Optional[str]) -> Value:
        lang = self.language(language)
        try:
            return self.texts[lang][key]
        except KeyError:
            raise MessageError(f"no message {key!r} in the catalogue ({lang})") from None


def _problems(texts: Mapping[str, Mapping[str, Value]]) -> List[str]:
    problems: List[str] = []
    if REFERENCE not in texts:
        return [f"the reference language {REFERENCE!r} has no files"]
    reference = texts[REFERENCE]
    for lang, own in texts.items():
        if lang == REFERENCE:
            continue
        for key in reference:
            if key not in own:
                problems.append(f"{lang}: {key} is missing (it is in {REFERENCE})")
        for key in own:
            if key not in reference:
                problems.append(f"{lang}: {key} is not in {REFERENCE}")
    for key, hi in reference.items():
        hi_items = hi if isinstance(hi, tuple) else (hi,)
        for lang, own in texts.items():
            other = own.get(key)
            if other is None or lang == REFERENCE:
                continue
            other_items = other if isinstance(other, tuple) else (other,)
            if isinstance(other, tuple) != isinstance(hi, tuple) or len(other_items) != len(hi_items):
                problems.append(
                    f"{lang}: {key} must be {'a list of ' + str(len(hi_items)) if isinstance(hi, tuple) else 'one text'}, like {REFERENCE}"
                )
                continue
            for a, b in zip(hi_items, other_items):
                try:
                    if placeholders(a) != placeholders(b):
                        problems.append(
                            f"{lang}: {key} has placeholders {sorted(placeholders(b))}, "
                            f"{REFERENCE} has {sorted(placeholders(a))}"
                        )
                except CatalogueError as error:
                    problems.append(f"{key}: {error}")
    for lang, own in texts.items():
        for key, value in own.items():
            for item in value if isinstance(value, tuple) else (value,):
                if not item.strip():
                    problems.append(f"{lang}: {key} is empty")
    return problems


def read_catalogue(directory: Optional[Path] = None) -> Tuple[Catalogue, List[str]]:
    """The catalogue under `directory` (this package's by default) and the problems
    found in it (empty when it is sound)."""
    directory = directory or MESSAGES_DIR
    texts: Dict[str, Dict[str, Value]] = {}
    problems: List[str] = []
    for folder in sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        own: Dict[str, Value] = {}
        for path in sorted(folder.glob("*.yml")):
            where = f"{folder.name}/{path.name}"
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as error:
                problems.append(f"{where}: not valid YAML: {error}")
                continue
            _flatten(data, path.stem, where, own, problems)
        if own:
            texts[folder.name] = own
    catalogue = Catalogue(texts)
    return catalogue, problems + _problems(texts)


def _refuse(problems: Sequence[str]) -> None:
    if problems:
        raise CatalogueError("the message catalogue has problems:\n" + "\n".join(f"- {p}" for p in problems))


@functools.lru_cache(maxsize=None)
def load_catalogue() -> Catalogue:
    """The catalogue of this package, read once; CatalogueError when it has problems."""
    catalogue, problems = read_catalogue(MESSAGES_DIR)
    _refuse(problems)
    return catalogue


def check_catalogue(directory: Optional[Path] = None) -> None:
    """Start-up validation (web app, action server): every key in every language,
    the same placeholders in each; raises CatalogueError naming every problem."""
    _refuse(read_catalogue(directory)[1])


def _fill(key: str, text: str, variables: Mapping[str, object]) -> str:
    wanted = placeholders(text)
    missing, extra = wanted - set(variables), set(variables) - wanted
    if missing or extra:
        raise MessageError(f"message {key!r}: missing variables {sorted(missing)}, unexpected {sorted(extra)}")
    return text.format(**variables)


def render(key: str, language: Optional[str], **variables: object) -> str:
    """The text `key` in `language` (Hindi for a language the catalogue lacks),
    its placeholders filled. MessageError for an unknown key, a list, or variables
    that are missing or not in the text."""
    value = load_catalogue().value(key, language)
    if isinstance(value, tuple):
        raise MessageError(f"message {key!r} is a list of texts: use render_list")
    return _fill(key, value, variables)


def render_from(key: str, language: Optional[str], facts: Mapping[str, object]) -> str:
    """Like `render`, from `facts` that may hold more than the text says (what a
    parser found: the limit, the PIN); a placeholder missing from them still fails."""
    value = load_catalogue().value(key, language)
    if isinstance(value, tuple):
        raise MessageError(f"message {key!r} is a list of texts: use render_list")
    return _fill(key, value, {name: facts[name] for name in placeholders(value) if name in facts})


def render_list(key: str, language: Optional[str], **variables: object) -> List[str]:
    """The list of texts `key` (button titles, in order), each filled like `render`;
    the variables are those of all the titles together."""
    value = load_catalogue().value(key, language)
    items: Sequence[str] = value if isinstance(value, tuple) else (value,)
    wanted = frozenset().union(*(placeholders(item) for item in items))
    missing, extra = wanted - set(variables), set(variables) - wanted
    if missing or extra:
        raise MessageError(f"message {key!r}: missing variables {sorted(missing)}, unexpected {sorted(extra)}")
    return [item.format(**variables) for item in items]


def both(key: str, **variables: object) -> Tuple[str, str]:
    """(Hindi, English) of `key`: for the PDFs and staff pages that print both."""
    return render(key, "hi", **variables), render(key, "en", **variables)


def language_of(language: Optional[str]) -> str:
    """The catalogue's language for a conversation's language (Hindi unless the catalogue has it)."""
    return load_catalogue().language(language)
