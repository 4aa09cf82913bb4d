"""Rule-based entity extractors: application ids and Indian numbers.

Both run on the original text (offsets are the citizen's) and need no training.
They output canonical values (see patterns.py), so actions never see spellings.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from lokseva.nlu._fingerprint import SourceFingerprintMixin
from lokseva.nlu.patterns import Found, find_application_ids, find_numbers
from lokseva.references import known_district_codes


def _entity(found: Found) -> Dict[Text, Any]:
    return {
        "entity": found.entity,
        "start": found.start,
        "end": found.end,
        "value": found.value,
        "confidence_entity": 1.0,
    }


class _RuleExtractor(SourceFingerprintMixin, GraphComponent, EntityExtractorMixin):
    """Shared plumbing: append entities, never duplicate a span of the same type."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)

    def find(self, text: Text, existing: List[Dict[Text, Any]]) -> List[Found]:
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            existing = list(message.get(ENTITIES, []))
            new = []
            for found in self.find(text, existing):
                # Another extractor may have claimed this span for the same entity
                # (e.g. DIET): one entity per mention, ours has the canonical value.
                existing = [
                    e
                    for e in existing
                    if not (
                        e.get("entity") == found.entity
                        and e.get("start", -1) < found.end
                        and found.start < e.get("end", -1)
                    )
                ]
                new.append(_entity(found))
            if new:
                message.set(ENTITIES, existing + self.add_extractor_name(new), add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ApplicationIdExtractor(_RuleExtractor):
    """Entity `application_id` as XXX-YYYY-NNNNNN from any spelling of an id.

    Config `district_codes`: codes accepted in every spelling; default: the codes
    of lokseva/districts/registry.yml. Other three-letter codes are accepted in the
    unambiguous spellings only (see patterns.find_application_ids).
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"district_codes": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        codes: Optional[List[str]] = config.get("district_codes")
        self._codes = frozenset(codes) if codes else known_district_codes()

    def find(self, text: Text, existing: List[Dict[Text, Any]]) -> List[Found]:
        return find_application_ids(text, self._codes)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class NumberExtractor(_RuleExtractor):
    """Entities `aadhaar_number` (12 digits), `mobile_number` (10), `pin_code` (6)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def find(self, text: Text, existing: List[Dict[Text, Any]]) -> List[Found]:
        taken = [(e["start"], e["end"]) for e in existing if e.get("entity") == "application_id" and "start" in e]
        return find_numbers(text, taken)
