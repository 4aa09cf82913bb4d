"""Quality gate: the project's trained model on the held-out NLU set.

tests/nlu/heldout.yml was written independently of the training data and is never
trained on. The thresholds sit below what the model reaches (docs/training.md has
the measured figures) so that ordinary retraining noise passes and a real
regression (broken normalisation, a lost featurizer, mislabelled data) fails.
Figures only: speed is measured by bench/nlu_eval.py, not asserted here.

The held-out set and the training data were written by different people, and
short everyday messages ("नमस्ते", "ok", "menu", "bye") came out identical in
both (96 of 562). Scoring those would flatter the model, so the gate scores only
the held-out messages whose normalised text is not in data/nlu.
"""
from __future__ import annotations

import asyncio

import pytest

from lokseva.nlu.evaluation import evaluate, load_examples, unseen_examples
from lokseva.settings import ROOT

pytestmark = pytest.mark.integration

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"

# Measured on the 466 unseen messages: intent accuracy 0.933, macro-F1 0.951,
# off-topic rejection 0.935, service 0.990, application id 1.000.
MIN_UNSEEN_MESSAGES = 300
MIN_INTENT_ACCURACY = 0.92
MIN_MACRO_F1 = 0.93
MIN_SERVICE_ACCURACY = 0.95
MIN_APPLICATION_ID_ACCURACY = 0.98
MIN_OFF_TOPIC_REJECTION = 0.88
MAX_SPURIOUS_SERVICE_MESSAGES = 8


@pytest.fixture(scope="module")
def heldout_result(model_path):
    from rasa.core.agent import Agent

    examples = unseen_heldout_examples()

    async def parse_all():
        agent = Agent.load(str(model_path))
        return [await agent.parse_message(text) for text, _, _ in examples]

    parses = asyncio.run(parse_all())
    return evaluate(examples, parses, times=[])


def unseen_heldout_examples():
    return unseen_examples(load_examples(HELDOUT), load_examples(ROOT / "data" / "nlu"))


def test_enough_heldout_messages_are_unseen_by_training():
    """Copying held-out messages into the training data shrinks what is scored."""
    assert len(unseen_heldout_examples()) >= MIN_UNSEEN_MESSAGES


def test_intents(heldout_result):
    assert heldout_result["intent_accuracy"] >= MIN_INTENT_ACCURACY
    assert heldout_result["macro_f1"] >= MIN_MACRO_F1
    # Lowest on unseen messages: goodbye 0.73 (most of its held-out messages are
    # the everyday ones that training also has), show_menu 0.88.
    weak = {i: f for i, f in heldout_result["per_intent_f1"].items() if f < 0.65}
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
