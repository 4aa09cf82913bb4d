"""Service mentions: a lookup featurizer for DIET and an entity resolver after it.

ServiceLookupFeaturizer marks, per token, which service spelling it belongs to
(service_dictionary.py). It replaces RegexFeaturizer's lookup features, which
wrap patterns in `\\b` and so never match a word ending in a matra (जाति, आय
प्रमाण पत्र ...): see rasa-notes.

ServiceEntityExtractor runs after DIET and EntitySynonymMapper and guarantees
the contract: every `service` entity leaves the NLU with a canonical value, and
there is one entity per mention.
- a DIET entity whose value is not canonical (a misspelling no synonym lists) is
  resolved through the dictionary, or dropped when it names no known service;
- two DIET pieces of one mention with the same value are merged;
- a multi-word spelling DIET missed ("jnm praman ptr") is added. Single words
  ("janm", "aay") are left to DIET, which sees the context ("janm tithi" is a
  date of birth, not a birth certificate), and so are spellings whose short
  words only sound alike ("aaya ki certificate": came, not income).
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
import scipy.sparse

import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from lokseva.nlu._fingerprint import SourceFingerprintMixin
from lokseva.nlu.service_dictionary import EXACT, FUZZY, KEY, ServiceDictionary
from lokseva.nlu.text import phonetic_key

logger = logging.getLogger(__name__)

DICTIONARY_FILE = "service_dictionary.json"


def _persist(model_storage: ModelStorage, resource: Resource, dictionary: ServiceDictionary) -> None:
    with model_storage.write_to(resource) as model_dir:
        rasa.shared.utils.io.dump_obj_as_json_to_file(model_dir / DICTIONARY_FILE, dictionary.to_json())


def _load(model_storage: ModelStorage, resource: Resource) -> Optional[ServiceDictionary]:
    try:
        with model_storage.read_from(resource) as model_dir:
            return ServiceDictionary.from_json(rasa.shared.utils.io.read_json_file(model_dir / DICTIONARY_FILE))
    except (ValueError, FileNotFoundError):
        logger.warning(f"No service dictionary in resource '{resource.name}'.")
        return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class ServiceLookupFeaturizer(SourceFingerprintMixin, SparseFeaturizer, GraphComponent):
    """Per-token features: inside a service spelling (exact/key/fuzzy, one or
    several words) and which service."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **SparseFeaturizer.get_default_config(),
            "entity": "service",
            "fuzzy": True,
            # also put each token's phonetic key among its CRF "patterns"
            "key_pattern": True,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        dictionary: Optional[ServiceDictionary] = None,
    ) -> None:
        super().__init__(execution_context.node_name, config)
        self._model_storage = model_storage
        self._resource = resource
        self.dictionary = dictionary

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        pass

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "ServiceLookupFeaturizer":
        return cls(config, model_storage, resource, execution_context)

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs: Any) -> "ServiceLookupFeaturizer":
        return cls(config, model_storage, resource, execution_context, _load(model_storage, resource))

    def train(self, training_data: TrainingData) -> Resource:
        self.dictionary = ServiceDictionary.from_training_data(training_data, self._config["entity"])
        _persist(self._model_storage, self._resource, self.dictionary)
        return self._resource

    def _dimensions(self) -> List[str]:
        return ["any", EXACT, KEY, FUZZY, "multiword"] + self.dictionary.values

    def features(self, tokens) -> np.ndarray:
        dims = self._dimensions()
        index = {d: i for i, d in enumerate(dims)}
        seq = np.zeros((len(tokens), len(dims)), dtype=np.float32)
        words = [t.text for t in tokens]
        for m in self.dictionary.match(words, fuzzy=self._config["fuzzy"]):
            for i in range(m.start, m.end):
                seq[i, index["any"]] = 1
                seq[i, index[m.how]] = 1
                if m.multiword:
                    seq[i, index["multiword"]] = 1
                seq[i, index[m.value]] = 1
        return seq

    def _featurize(self, message: Message) -> None:
        tokens = message.get(TOKENS_NAMES[TEXT])
        if not tokens or self.dictionary is None:
            return
        seq = self.features(tokens)
        # The same facts as token "patterns", the form CRFEntityExtractor reads
        # (where RegexFeaturizer would have put its lookup matches).
        dims = self._dimensions()
        for token, row in zip(tokens, seq):
            pattern = dict(token.get("pattern") or {})
            pattern.update({f"{self._config['entity']}_{d}": bool(v) for d, v in zip(dims, row)})
            if self._config.get("key_pattern"):
                pattern[f"key={phonetic_key(token.text)}"] = True
            token.set("pattern", pattern)
        sentence = seq.max(axis=0, keepdims=True)
        self.add_features_to_message(scipy.sparse.coo_matrix(seq), scipy.sparse.coo_matrix(sentence), TEXT, message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._featurize(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._featurize(message)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class ServiceEntityExtractor(SourceFingerprintMixin, GraphComponent, EntityExtractorMixin):
    """Canonical values and one entity per mention for `service` (see module doc)."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "entity": "service",
            # add dictionary matches DIET missed: "multiword", "all" or "none"
            "add_missed": "multiword",
            "fuzzy": True,
        }

    def __init__(self, config, model_storage, resource, dictionary: Optional[ServiceDictionary] = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self.dictionary = dictionary

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "ServiceEntityExtractor":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs: Any) -> "ServiceEntityExtractor":
        return cls(config, model_storage, resource, _load(model_storage, resource))

    def train(self, training_data: TrainingData) -> Resource:
        self.dictionary = ServiceDictionary.from_training_data(training_data, self._config["entity"])
        _persist(self._model_storage, self._resource, self.dictionary)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if self.dictionary is None:
            return messages
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and text:
                message.set(ENTITIES, self.resolve(message), add_to_output=True)
        return messages

    def resolve(self, message: Message) -> List[Dict[Text, Any]]:
        name = self._config["entity"]
        text = message.get(TEXT)
        canonical = set(self.dictionary.values)
        entities = list(message.get(ENTITIES, []))
        others = [e for e in entities if e.get("entity") != name]
        pieces = sorted((dict(e) for e in entities if e.get("entity") == name), key=lambda e: e.get("start", 0))
        # DIET sometimes cuts one mention in two ("jati" + "praman patra"): join
        # neighbours when together they name one service.
        joined: List[Dict[Text, Any]] = []
        for e in pieces:
            previous = joined[-1] if joined else None
            if previous is not None and not text[previous["end"] : e["start"]].strip():
                values = {str(previous["value"]), str(e["value"])} & canonical
                together = self.dictionary.resolve(text[previous["start"] : e["end"]])
                if together is not None and values <= {together}:
                    previous["end"] = e["end"]
                    previous["value"] = together
                    continue
            joined.append(e)
        services: List[Dict[Text, Any]] = []
        for e in joined:
            if str(e.get("value")) not in canonical:
                value = self.dictionary.resolve(text[e["start"] : e["end"]])
                if value is None:
                    logger.debug(f"dropping service entity {e!r}: names no known service")
                    continue
                e["value"] = value
            if services and e["start"] < services[-1]["end"]:
                continue  # overlapping pieces: the first one stands
            services.append(e)
        mode = self._config["add_missed"]
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        if mode != "none" and tokens:
            added = []
            for m in self.dictionary.match([t.text for t in tokens], fuzzy=self._config["fuzzy"]):
                if mode == "multiword" and not (m.multiword and m.strict):
                    continue
                start, end = tokens[m.start].start, tokens[m.end - 1].end
                if any(s["start"] < end and start < s["end"] for s in services):
                    continue
                added.append(
                    {
                        "entity": name,
                        "start": start,
                        "end": end,
                        "value": m.value,
                        "confidence_entity": 1.0 if m.how == EXACT else 0.9,
                    }
                )
            services.extend(self.add_extractor_name(added))
        return others + sorted(services, key=lambda e: e["start"])
