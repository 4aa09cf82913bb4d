"""WordFeaturizer and PhoneticKeyFeaturizer."""

from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer

from lokseva.nlu.featurizers import PhoneticKeyFeaturizer, WordFeaturizer
from lokseva.nlu.normaliser import TextNormaliser
from lokseva.nlu.tokenizer import LokSevaTokenizer
from tests.unit.nlu.conftest import message, training_data

DATA = [
    ("आय प्रमाण पत्र कैसे बनेगा", "ask_service_info"),
    ("jati praman patra banwana hai", "apply_service"),
    ("नमस्ते", "greet"),
]


def prepared(components, examples=DATA):
    data = training_data(examples)
    components.create(TextNormaliser).process_training_data(data)
    components.create(LokSevaTokenizer).process_training_data(data)
    return data


def tokens_of(components, text):
    msg = message(text)
    components.create(TextNormaliser).process([msg])
    components.create(LokSevaTokenizer).process([msg])
    return msg


def vocabulary(featurizer):
    return set(featurizer.vectorizers["text"].vocabulary_)


def test_stock_word_vectorizer_fragments_devanagari(components):
    """The problem we solve (rasa issue #7632): kept as a regression witness."""
    data = prepared(components)
    stock = components.create(CountVectorsFeaturizer)
    stock.train(data)
    vocab = vocabulary(stock)
    assert "कैसे" not in vocab and "प्रमाण" not in vocab


def test_word_featurizer_keeps_devanagari_words_whole(components):
    data = prepared(components)
    ours = components.create(WordFeaturizer)
    ours.train(data)
    vocab = vocabulary(ours)
    assert {"कैसे", "प्रमाण", "पत्र", "आय", "नमस्ते", "jati"} <= vocab
    assert "क" not in vocab


def test_word_featurizer_survives_save_and_load(components):
    data = prepared(components)
    ours = components.create(WordFeaturizer)
    ours.train(data)
    loaded = components.load(WordFeaturizer, ours)
    msg = tokens_of(components, "प्रमाण पत्र कैसे")
    loaded.process([msg])
    seq, sentence = msg.get_sparse_features("text")
    assert seq.features.shape == (3, len(vocabulary(ours)))
    assert sentence.features.sum() == 3  # three known whole words


def test_phonetic_features_are_shared_between_scripts(components):
    data = prepared(components, [("प्रमाण पत्र", "a"), ("kuch aur", "b")])
    keys = components.create(PhoneticKeyFeaturizer)
    keys.train(data)
    roman = tokens_of(components, "parman patr")
    devanagari = tokens_of(components, "प्रमाण पत्र")
    keys.process([roman, devanagari])
    a = roman.get_sparse_features("text")[1].features.toarray()
    b = devanagari.get_sparse_features("text")[1].features.toarray()
    assert a.sum() == 2 and (a == b).all()


def test_phonetic_bigrams_and_char_ngrams(components):
    data = prepared(components)
    bigrams = components.create(PhoneticKeyFeaturizer, {"max_ngram": 2})
    bigrams.train(data)
    assert "~prmn ~ptr" in vocabulary(bigrams)
    chars = components.create(PhoneticKeyFeaturizer, {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 3})
    chars.train(data)
    assert "prm" in vocabulary(chars)
