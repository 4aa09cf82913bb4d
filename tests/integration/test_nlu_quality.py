"""Quality gate: the project's trained model on the held-out NLU set.

tests/nlu/heldout.yml was written independently of the training data and is never
trained on. The thresholds sit below what the model reaches (docs/training.md has
the measured figures) so that ordinary retraining noise passes and a real
regression (broken normalisation, a lost featurizer, mislabelled data) fails.
Figures only: speed is measured by bench/nlu_eval.py, not asserted here.
"""
from __future__ import annotations

import asyncio

import pytest

from lokseva.nlu.evaluation import evaluate, load_examples
from lokseva.settings import ROOT

pytestmark = pytest.mark.integration

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"

MIN_INTENT_ACCURACY = 0.93
MIN_MACRO_F1 = 0.93
MIN_SERVICE_ACCURACY = 0.95
MIN_APPLICATION_ID_ACCURACY = 0.98
MIN_OFF_TOPIC_REJECTION = 0.88
MAX_SPURIOUS_SERVICE_MESSAGES = 8


@pytest.fixture(scope="module")
def heldout_result(model_path):
    from rasa.core.agent import Agent

    examples = load_examples(HELDOUT)

    async def parse_all():
        agent = Agent.load(str(model_path))
        return [await agent.parse_message(text) for text, _, _ in examples]

    parses = asyncio.run(parse_all())
    return evaluate(examples, parses, times=[])


def test_heldout_is_not_in_the_training_data():
    from lokseva.nlu.text import normalise_text

    training = {normalise_text(t) for t, _, _ in load_examples(ROOT / "data" / "nlu")}
    leaked = [t for t, _, _ in load_examples(HELDOUT) if normalise_text(t) in training]
    assert not leaked, f"held-out messages copied into data/nlu: {leaked[:5]}"


def test_intents(heldout_result):
    assert heldout_result["intent_accuracy"] >= MIN_INTENT_ACCURACY
    assert heldout_result["macro_f1"] >= MIN_MACRO_F1
    weak = {i: f for i, f in heldout_result["per_intent_f1"].items() if f < 0.8}
    assert not weak, f"intents the model has almost lost: {weak}"


def test_off_topic_messages_are_rejected(heldout_result):
    assert heldout_result["off_topic_rejection"] >= MIN_OFF_TOPIC_REJECTION


def test_service_entity(heldout_result):
    service = heldout_result["service"]
    assert service["accuracy"] >= MIN_SERVICE_ACCURACY
    assert service["spurious"] <= MAX_SPURIOUS_SERVICE_MESSAGES
    assert service["more_entities_than_mentions"] == 0, "one service entity per mention"


def test_application_id_entity(heldout_result):
    application_id = heldout_result["application_id"]
    assert application_id["accuracy"] >= MIN_APPLICATION_ID_ACCURACY
    assert application_id["spurious"] == 0
