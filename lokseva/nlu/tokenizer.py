"""LokSevaTokenizer: words of the normalised text, with ORIGINAL offsets.

Rasa's WhitespaceTokenizer already keeps Devanagari words whole; this one adds
the normalisation (see normaliser.py), keeps emoji as words (👍 and 🙏 carry
meaning in chat: yes, thanks) and gives each token the span of the original text
it covers, so entity annotations and extracted entities stay correct even when
normalisation changed the length of the text.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from lokseva.nlu._fingerprint import SourceFingerprintMixin
from lokseva.nlu.normaliser import get_normalised
from lokseva.nlu.text import words

# Punctuation the normaliser keeps inside words; at a word's edge it is noise.
_EDGE = "-/.,:'_&@"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class LokSevaTokenizer(SourceFingerprintMixin, Tokenizer):
    """Whitespace tokens of the normalised text; offsets into the original."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        normalised = get_normalised(message, attribute)
        text = message.get(attribute)
        tokens: List[Token] = []
        for word, start, end in words(normalised):
            stripped = word.strip(_EDGE)
            if not stripped:
                continue
            tokens.append(Token(stripped, start, end))
        if not tokens:
            # Only punctuation (":)", "???"): keep the whole text as one token,
            # as WhitespaceTokenizer does, so the message still has features.
            tokens = [Token(text, 0, len(text))]
        return self._apply_token_pattern(tokens)
