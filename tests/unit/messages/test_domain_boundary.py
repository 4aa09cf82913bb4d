"""Rasa's fixed replies (domain/*.yml, utter_*) and the message catalogue do not
drift apart: a sentence that stands in both stands the same (docs/messages.md)."""

import re
from difflib import SequenceMatcher
from pathlib import Path

import yaml

from lokseva.messages import load_catalogue

ROOT = Path(__file__).resolve().parents[3]
SIMILAR = 0.9  # above this, two different sentences are one sentence corrected in one place only
# Sentences meant to differ a little, with why.
MEANT_TO_DIFFER = {
    # the home-delivery address is asked of any address; the form asks the applicant's own
    ("पते का पिन कोड लिखें (6 अंक, जैसे 457661):", "आपके पते का पिन कोड लिखें (6 अंक, जैसे 457661):"),
}


def _sentences(text: str):
    for line in text.split("\n"):
        for part in re.split(r"(?<=[।.?!])\s+", line.strip()):
            if len(part) >= 20:
                yield part


def domain_sentences():
    for path in sorted((ROOT / "domain").glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        for name, variants in responses.items():
            for variant in variants:
                for sentence in _sentences(variant.get("text", "")):
                    yield f"{path.name} {name}", sentence


def catalogue_sentences(catalogue_texts):
    for lang, texts in catalogue_texts.items():
        for key, value in texts.items():
            for text in value if isinstance(value, tuple) else (value,):
                for sentence in _sentences(text):
                    yield f"{lang}: {key}", sentence


def divergences(catalogue_texts):
    ours = list(catalogue_sentences(catalogue_texts))
    found = []
    for where, sentence in domain_sentences():
        for key, other in ours:
            if other == sentence or (sentence, other) in MEANT_TO_DIFFER:
                continue
            matcher = SequenceMatcher(None, sentence, other)
            if (
                matcher.real_quick_ratio() >= SIMILAR
                and matcher.quick_ratio() >= SIMILAR
                and matcher.ratio() >= SIMILAR
            ):
                found.append(f"{where}: {sentence!r} ~ {key}: {other!r}")
    return found


def test_a_sentence_in_both_the_domain_and_the_catalogue_is_the_same_in_both():
    assert divergences(load_catalogue().texts) == []


def test_the_check_sees_a_sentence_corrected_in_one_place_only():
    sentence = next(s for _w, s in domain_sentences() if s.startswith("कृपया दूसरे शब्दों में लिखें"))
    texts = {lang: dict(own) for lang, own in load_catalogue().texts.items()}
    texts["hi"]["core.default"] = sentence.replace("कृपया", "कृपा")
    assert [line for line in divergences(texts) if "core.default" in line]


def test_every_fixed_reply_has_an_english_and_a_hindi_variant():
    for path in sorted((ROOT / "domain").glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        for name, variants in responses.items():
            english = [v for v in variants if any(c.get("value") == "en" for c in v.get("condition", []))]
            plain = [v for v in variants if not v.get("condition")]
            assert len(english) == 1 and len(plain) == 1, name
            assert re.search(r"[\u0900-\u097f]", plain[0]["text"]), f"{name}: the default variant is Hindi"
