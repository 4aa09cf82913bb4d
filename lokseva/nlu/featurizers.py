"""Word-level count features that work for Devanagari.

Rasa's CountVectorsFeaturizer hands the tokens to scikit-learn's CountVectorizer,
whose token pattern `\\b\\w+\\b` runs under Python's `re`: there `\\w` does not
match Devanagari vowel signs, so "कैसे" becomes the fragments "क", "स" (rasa
issue #7632; the pattern cannot be set from config.yml). Both featurizers below
split on whitespace only, so a token is counted whole.

- WordFeaturizer: one feature per (normalised) word.
- PhoneticKeyFeaturizer: one feature per phonetic key (text.phonetic_key), so
  "प्रमाण", "praman" and "parman" light up the same feature and what the model
  learns from Hinglish examples carries over to Devanagari ones and back.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import ACTION_TEXT, TEXT
from rasa.shared.nlu.training_data.message import Message

from lokseva.nlu._fingerprint import SourceFingerprintMixin
from lokseva.nlu.text import phonetic_key

# Whole whitespace-separated tokens, whatever the script.
WHOLE_TOKEN_PATTERN = r"(?u)\S+"


def _whole_tokens(vectorizers: Dict[Text, Any]) -> Dict[Text, Any]:
    for vectorizer in vectorizers.values():
        if vectorizer.analyzer == "word":
            vectorizer.token_pattern = WHOLE_TOKEN_PATTERN
    return vectorizers


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class WordFeaturizer(SourceFingerprintMixin, CountVectorsFeaturizer):
    """CountVectorsFeaturizer (word analyzer) that keeps Devanagari words whole."""

    @classmethod
    def _create_shared_vocab_vectorizers(cls, parameters, vocabulary=None):
        return _whole_tokens(super()._create_shared_vocab_vectorizers(parameters, vocabulary))

    @classmethod
    def _create_independent_vocab_vectorizers(cls, parameters, vocabulary=None):
        return _whole_tokens(super()._create_independent_vocab_vectorizers(parameters, vocabulary))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class PhoneticKeyFeaturizer(WordFeaturizer):
    """Counts phonetic keys of the message's tokens (Devanagari and Roman alike)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**CountVectorsFeaturizer.get_default_config(), "analyzer": "word"}

    @staticmethod
    def _attributes_for(analyzer: Text) -> List[Text]:
        # Only the user's text: intent and action names are not words.
        return [TEXT, ACTION_TEXT]

    def _get_message_tokens_by_attribute(self, message: Message, attribute: Text) -> List[Text]:
        tokens = message.get(TOKENS_NAMES[attribute]) or []
        if attribute not in (TEXT, ACTION_TEXT):
            return [t.text for t in tokens]
        # "~"-prefixed so that a key never collides with a word in a shared vocabulary.
        return [f"~{phonetic_key(t.text)}" for t in tokens]
