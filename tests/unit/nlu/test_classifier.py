"""LinearIntentClassifier on features from our own featurizers."""

import numpy as np
import pytest

from lokseva.nlu.classifier import BlockTfidf, LinearIntentClassifier, softmax
from lokseva.nlu.featurizers import PhoneticKeyFeaturizer, WordFeaturizer
from lokseva.nlu.normaliser import TextNormaliser
from lokseva.nlu.tokenizer import LokSevaTokenizer
from tests.unit.nlu.conftest import message, training_data

EXAMPLES = [
    ("namaste", "greet"),
    ("hello ji", "greet"),
    ("नमस्ते सर", "greet"),
    ("ram ram", "greet"),
    ("hi bhaiya", "greet"),
    ("नमस्कार", "greet"),
    ("status batao", "check_status"),
    ("mera avedan kahan tak pahucha", "check_status"),
    ("आवेदन की स्थिति बताओ", "check_status"),
    ("application kab tak banegi", "check_status"),
    ("स्टेटस बताओ", "check_status"),
    ("meri file kaha atki hai", "check_status"),
    ("fees kaise bharu", "pay_fee"),
    ("फीस जमा करनी है", "pay_fee"),
    ("upi se payment", "pay_fee"),
    ("शुल्क कैसे भरें", "pay_fee"),
    ("payment link bhejo", "pay_fee"),
    ("paise kaise bheju", "pay_fee"),
]


def pipeline(components):
    return [
        components.create(TextNormaliser),
        components.create(LokSevaTokenizer),
        components.create(WordFeaturizer),
        components.create(PhoneticKeyFeaturizer, {"max_ngram": 2}),
        components.create(PhoneticKeyFeaturizer, {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 4}),
    ]


def featurized(components, steps, data):
    for step in steps:
        if hasattr(step, "train"):
            step.train(data)
        step.process_training_data(data)
    return data


@pytest.fixture
def trained(components):
    steps = pipeline(components)
    data = featurized(components, steps, training_data(EXAMPLES))
    classifier = components.create(LinearIntentClassifier)
    classifier.train(data)
    loaded = components.load(LinearIntentClassifier, classifier)

    def parse(text):
        msg = message(text)
        for step in steps:
            step.process([msg])
        loaded.process([msg])
        return msg

    return parse


def test_predicts_intents_across_scripts(trained):
    assert trained("namaste ji").get("intent")["name"] == "greet"
    assert trained("स्टेटस क्या है").get("intent")["name"] == "check_status"
    assert trained("फीस कैसे भरू").get("intent")["name"] == "pay_fee"  # Devanagari spelling of a Roman example


def test_ranking_is_a_probability_distribution(trained):
    ranking = trained("fees bharni hai").get("intent_ranking")
    assert [r["name"] for r in ranking][0] == "pay_fee"
    assert sorted({r["name"] for r in ranking}) == ["check_status", "greet", "pay_fee"]
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6
    assert ranking == sorted(ranking, key=lambda r: -r["confidence"])


def test_gibberish_gets_low_confidence(trained):
    sure = trained("status batao").get("intent")["confidence"]
    unsure = trained("xyz qqq").get("intent")["confidence"]
    assert unsure < sure


def test_softmax_and_block_tfidf():
    p = softmax(np.array([[1.0, 2.0, 3.0]]), 2.0)
    assert p.shape == (1, 3) and abs(p.sum() - 1) < 1e-9 and p.argmax() == 2
    import scipy.sparse as sp

    X = sp.csr_matrix(np.array([[1, 0, 2, 0], [0, 1, 1, 5]], dtype=float))
    t = BlockTfidf([2, 2]).fit(X)
    W = t.transform(X).toarray()
    for row in W:  # every block of every row has unit length (or is empty)
        for block in (row[:2], row[2:]):
            n = np.linalg.norm(block)
            assert n == 0 or abs(n - 1) < 1e-9
