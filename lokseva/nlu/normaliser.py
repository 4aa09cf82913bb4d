"""TextNormaliser: the first component of the pipeline.

It leaves the message TEXT untouched and stores a normalised copy beside it
(`text_normalised`: the normalised string and, per character, the span of the
original it came from). The tokenizer cuts tokens from the copy and gives them
the ORIGINAL offsets, so:

- features are computed on clean text (NFC, no zero-width characters or nukta,
  ASCII digits, lower-case Roman letters, no sentence punctuation, no elongations);
- entity annotations in the training data (offsets into the original text) still
  line up with tokens, and extracted entities point at what the citizen typed.

The same function runs at training and at inference time.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ACTION_TEXT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from lokseva.nlu._fingerprint import SourceFingerprintMixin
from lokseva.nlu.text import Normalised, normalise

NORMALISED_SUFFIX = "_normalised"
NORMALISED_ATTRIBUTES = (TEXT, ACTION_TEXT)


def normalised_key(attribute: Text) -> Text:
    return f"{attribute}{NORMALISED_SUFFIX}"


def get_normalised(message: Message, attribute: Text = TEXT) -> Optional[Normalised]:
    """The message's normalised copy of `attribute`, computed now if missing."""
    text = message.get(attribute)
    if not isinstance(text, str):
        return None
    data = message.get(normalised_key(attribute))
    if data is not None and data.get("source") == text:
        return Normalised.from_data(data)
    return normalise(text)


def set_normalised(message: Message, attribute: Text) -> None:
    text = message.get(attribute)
    if isinstance(text, str) and text:
        data = normalise(text).as_data()
        data["source"] = text  # a later rewrite of the text invalidates the copy
        message.set(normalised_key(attribute), data)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class TextNormaliser(SourceFingerprintMixin, GraphComponent):
    """Stores a normalised copy of the text for the tokenizer and extractors."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TextNormaliser":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            for attribute in NORMALISED_ATTRIBUTES:
                set_normalised(message, attribute)
        return messages
