"""Every known spelling of each service, and a matcher that tolerates typos.

Built from the training data: the synonyms (data/nlu/synonyms.yml), the
lookup table `service` (data/nlu/lookups.yml) and the annotated examples. A
spelling is matched on normalised words ("आय प्रमाण पत्र"), then on phonetic
keys (so "aay pramanpatr", "आय परमाण पत्र" and "aay parman patra" are one), then
with one edit on the key ("aay praman ptar"). Matching works on tokens, so the
word-boundary problem of regexes after a matra (rasa-notes) does not arise.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from lokseva.nlu.text import normalise_text, phonetic_key

EXACT, KEY, FUZZY = "exact", "key", "fuzzy"
# One edit is tolerated in one word whose key has at least this many letters
# (short keys such as "jt" or "ay" are too ambiguous), in spellings of at least
# MIN_FUZZY_KEY key letters in all.
MIN_FUZZY_WORD_KEY = 4
MIN_FUZZY_KEY = 6
MIN_KEY = 3


@dataclass(frozen=True)
class Match:
    start: int  # index of the first token
    end: int  # index after the last token
    value: str
    how: str  # EXACT, KEY or FUZZY
    multiword: bool  # the spelling matched has several words ("jati praman patra")
    # Every short word (key of one or two letters: "aay", "ki", "jati") is spelled
    # exactly as in a known spelling. Short keys collide ("aaya ki certificate":
    # "came"; "aay ka certificate": income), so only strict matches are trusted
    # without a model's judgement.
    strict: bool = True


def _deletions(key: str) -> Set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def _signatures(keys: Tuple[str, ...]) -> Set[Tuple[str, ...]]:
    """The keys, and the keys with one long word key cut by one character."""
    found = {keys}
    for i, key in enumerate(keys):
        if len(key) >= MIN_FUZZY_WORD_KEY:
            for d in _deletions(key):
                found.add(keys[:i] + (d,) + keys[i + 1 :])
    return found


def _one_word_one_edit(a: Tuple[str, ...], b: Tuple[str, ...]) -> bool:
    differing = [i for i in range(len(a)) if a[i] != b[i]]
    return (
        len(differing) == 1
        and min(len(a[differing[0]]), len(b[differing[0]])) >= MIN_FUZZY_WORD_KEY - 1
        and within_one_edit(a[differing[0]], b[differing[0]])
    )


def within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution
    or transposition of adjacent characters."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    # b is one longer: deleting one character of b must give a
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


class ServiceDictionary:
    def __init__(self, spellings: Dict[str, str]) -> None:
        """`spellings`: normalised spelling -> canonical value."""
        self.spellings = dict(spellings)
        self._exact: Dict[str, str] = {}
        by_keys: Dict[Tuple[str, ...], Counter] = defaultdict(Counter)
        by_joined: Dict[str, Counter] = defaultdict(Counter)
        self._spelled: Dict[Tuple[str, ...], Set[Tuple[str, ...]]] = defaultdict(set)
        self.max_words = 1
        for spelling, value in self.spellings.items():
            words = spelling.split()
            if not words:
                continue
            self.max_words = max(self.max_words, len(words))
            self._exact[" ".join(words)] = value
            keys = tuple(phonetic_key(w) for w in words)
            by_keys[keys][value] += 1
            self._spelled[keys].add(tuple(words))
            if len(words) > 1:
                by_joined["".join(keys)][value] += 1
        # A key shared by spellings of two services is left out (ambiguous).
        # Word keys must match word for word ("jaati parman patr"); the joined key
        # only serves a citizen who wrote fewer words ("pramanpatra" for "praman
        # patra"), never more: "ki sthiti" must not become "caste" (k+st = kst).
        self._by_keys: Dict[Tuple[str, ...], str] = {
            k: c.most_common(1)[0][0] for k, c in by_keys.items() if len(c) == 1
        }
        self._by_joined: Dict[str, Tuple[str, int]] = {}
        for joined, c in by_joined.items():
            if len(c) == 1:
                self._by_joined[joined] = (c.most_common(1)[0][0], 0)
        # One-edit index: per spelling, its word keys with one word replaced by a
        # deletion variant of that word's key ("symmetric delete").
        self._fuzzy: Dict[Tuple[str, ...], Set[Tuple[Tuple[str, ...], str]]] = defaultdict(set)
        self._word_keys: Set[str] = set()
        for spelling, value in self.spellings.items():
            keys = tuple(phonetic_key(w) for w in spelling.split())
            self._word_keys.update(keys)
            for signature in _signatures(keys):
                self._fuzzy[signature].add((keys, value))

    # --- construction ---------------------------------------------------------

    @classmethod
    def from_training_data(cls, training_data, entity: str = "service") -> "ServiceDictionary":
        values: Set[str] = set()
        spellings: Dict[str, str] = {}
        for example in training_data.entity_examples:
            for ent in example.get("entities", []):
                if ent.get("entity") != entity:
                    continue
                value = str(ent.get("value"))
                values.add(value)
                text = example.get("text")[ent["start"] : ent["end"]]
                spellings[normalise_text(text)] = value
        for spelling, value in training_data.entity_synonyms.items():
            if value in values:
                spellings[normalise_text(spelling)] = value
        partial = cls(spellings)
        for table in training_data.lookup_tables:
            if table.get("name") != entity:
                continue
            elements = table.get("elements")
            if isinstance(elements, str):
                continue  # a file path: read by Rasa's own lookup handling only
            for element in elements:
                norm = normalise_text(element)
                if norm in spellings:
                    continue
                found = partial.resolve(norm)
                if found:
                    spellings[norm] = found
        return cls(spellings)

    def to_json(self) -> Dict[str, str]:
        return dict(sorted(self.spellings.items()))

    @classmethod
    def from_json(cls, data: Dict[str, str]) -> "ServiceDictionary":
        return cls(data)

    @property
    def values(self) -> List[str]:
        return sorted(set(self.spellings.values()))

    # --- matching ---------------------------------------------------------------

    def _strict(self, words: Sequence[str], keys: Tuple[str, ...]) -> bool:
        short = [i for i, k in enumerate(keys) if len(k) <= 2]
        return any(all(words[i] == spelled[i] for i in short) for spelled in self._spelled.get(keys, ()))

    def _lookup(self, words: Sequence[str], keys: Sequence[str], fuzzy: bool) -> Optional[Tuple[str, str, bool, bool]]:
        """(value, how, multiword, strict) of the spelling these words are, or None."""
        text = " ".join(words)
        key = "".join(keys)
        mine = tuple(keys)
        multiword = len(words) > 1 or key in self._by_joined
        if text in self._exact:
            return self._exact[text], EXACT, multiword, True
        if len(key) >= MIN_KEY:
            if mine in self._by_keys:
                return self._by_keys[mine], KEY, multiword, self._strict(words, mine)
            if key in self._by_joined:  # fewer words than the spelling: "pramanpatra"
                return self._by_joined[key][0], KEY, True, all(len(k) > 2 for k in keys)
        if fuzzy and len(key) >= MIN_FUZZY_KEY:
            unknown = [i for i, k in enumerate(mine) if k not in self._word_keys]
            if len(unknown) > 1:
                return None  # two words no spelling has: not one typo away
            if unknown:
                i = unknown[0]
                signatures = {mine[:i] + (d,) + mine[i + 1 :] for d in _deletions(mine[i])} | {mine}
                if len(mine[i]) < MIN_FUZZY_WORD_KEY:
                    signatures = {mine}
            else:
                signatures = _signatures(mine)
            values = set()
            multi = strict = False
            for signature in signatures:
                for theirs, value in self._fuzzy.get(signature, ()):
                    if len(theirs) == len(mine) and _one_word_one_edit(mine, theirs):
                        values.add(value)
                        multi = multi or len(theirs) > 1
                        strict = strict or self._strict(words, theirs)
            if len(values) == 1:
                return values.pop(), FUZZY, multi, strict
        return None

    def match(self, words: Sequence[str], fuzzy: bool = True) -> List[Match]:
        """Service mentions in a sequence of normalised words, longest first, no overlaps.

        Exact and key matches are found first; one-edit matches only in the words
        left over, so a typo never swallows a correctly spelled neighbour.
        """
        keys = [phonetic_key(w) for w in words]
        matches = self._scan(words, keys, range(len(words)), fuzzy=False)
        if fuzzy:
            taken = {i for m in matches for i in range(m.start, m.end)}
            free = [i for i in range(len(words)) if i not in taken]
            matches += self._scan(words, keys, free, fuzzy=True)
        return sorted(matches, key=lambda m: m.start)

    def _scan(self, words, keys, positions: Iterable[int], fuzzy: bool) -> List[Match]:
        free = set(positions)
        matches: List[Match] = []
        n = len(words)
        i = 0
        while i < n:
            if i not in free:
                i += 1
                continue
            longest = 0
            while i + longest < n and (i + longest) in free and longest <= self.max_words:
                longest += 1
            found = None
            for length in range(longest, 0, -1):
                hit = self._lookup(words[i : i + length], keys[i : i + length], fuzzy)
                if hit and (not fuzzy or hit[1] == FUZZY):
                    found = Match(i, i + length, hit[0], hit[1], hit[2], hit[3])
                    break
            if found:
                matches.append(found)
                i = found.end
            else:
                i += 1
        return matches

    def resolve(self, text: str) -> Optional[str]:
        """The service a piece of text names (an entity DIET found), or None."""
        words = normalise_text(text).split()
        if not words:
            return None
        whole = self._lookup(words, [phonetic_key(w) for w in words], fuzzy=True)
        if whole:
            return whole[0]
        values = {m.value for m in self.match(words)}
        return values.pop() if len(values) == 1 else None
