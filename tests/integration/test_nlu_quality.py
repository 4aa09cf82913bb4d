"""Quality gate: the project's trained model on the held-out NLU sets.

None of them is ever trained on:
- tests/nlu/heldout_dec2026.yml (every intent) and tests/nlu/chatter_dec2026.yml
  (everyday requests that must come out out_of_scope), the blind sets of issue #18,
  written from the contract without seeing the training data;
- tests/nlu/heldout.yml, written by a separate author who never saw the training
  data. In session 2 its errors were read to find gaps in the training data (new
  examples were written for the kinds of message it missed, never its own
  messages), so it is no longer blind;
- tests/nlu/heldout_fresh.yml, written afterwards by another author who saw
  neither the training data nor the first set, and never tuned against.

Short everyday messages ("नमस्ते", "ok", "bye") come out identical in the training
data and in a held-out set, written by different people. Scoring those would
flatter the model, so the gate scores only the held-out messages whose normalised
text is not a training example (lokseva.nlu.evaluation.unseen_examples).

The thresholds sit below what the model reaches (docs/training.md has the
measured figures) so that ordinary retraining noise passes and a real regression
(broken normalisation, a lost featurizer, mislabelled data) fails. Figures only:
speed is measured by bench/nlu_eval.py, not asserted here.
"""

from __future__ import annotations

import asyncio

import pytest

from lokseva.nlu.evaluation import evaluate, load_examples, unseen_examples
from lokseva.settings import ROOT

pytestmark = pytest.mark.integration

HELDOUT_SETS = ("heldout_dec2026.yml", "heldout.yml", "heldout_fresh.yml")
CHATTER_SET = "chatter_dec2026.yml"

# heldout_dec2026.yml is held to the same thresholds (docs/training.md section 7 has its
# figures). Measured in November on the unseen messages (heldout.yml / heldout_fresh.yml): intent accuracy 0.966 / 0.959, macro-F1 0.983 / 0.977, service
# 1.000 / 1.000, application id 1.000 / 1.000, off-topic rejection 0.987 / 0.976.
MIN_UNSEEN_MESSAGES = {"heldout.yml": 400, "heldout_fresh.yml": 250, "heldout_dec2026.yml": 300, CHATTER_SET: 110}
# chatter_dec2026.yml: share of everyday requests rejected (out_of_scope or the fallback
# question); measured in docs/training.md section 7.
MIN_CHATTER_REJECTION = 0.90
MIN_INTENT_ACCURACY = 0.93
MIN_MACRO_F1 = 0.95
MIN_INTENT_F1 = 0.75
MIN_SERVICE_ACCURACY = 0.94
MIN_APPLICATION_ID_ACCURACY = 0.98
MIN_OFF_TOPIC_REJECTION = 0.93
MAX_SPURIOUS_SERVICE_MESSAGES = 4


def unseen_heldout_examples(name: str):
    return unseen_examples(load_examples(ROOT / "tests" / "nlu" / name), load_examples(ROOT / "data" / "nlu"))


@pytest.fixture(scope="module")
def agent(model_path):
    from rasa.core.agent import Agent

    return Agent.load(str(model_path))


@pytest.fixture(scope="module", params=HELDOUT_SETS)
def heldout_result(request, agent):
    examples = unseen_heldout_examples(request.param)

    async def parse_all():
        return [await agent.parse_message(text) for text, _, _ in examples]

    return evaluate(examples, asyncio.run(parse_all()), times=[])


@pytest.mark.parametrize("name", (*HELDOUT_SETS, CHATTER_SET))
def test_enough_heldout_messages_are_unseen_by_training(name):
    """Copying held-out messages into the training data shrinks what is scored."""
    assert len(unseen_heldout_examples(name)) >= MIN_UNSEEN_MESSAGES[name]


def test_intents(heldout_result):
    assert heldout_result["intent_accuracy"] >= MIN_INTENT_ACCURACY
    assert heldout_result["macro_f1"] >= MIN_MACRO_F1
    weak = {i: f for i, f in heldout_result["per_intent_f1"].items() if f < MIN_INTENT_F1}
    assert not weak, f"intents the model has almost lost: {weak}"


def test_off_topic_messages_are_rejected(heldout_result):
    assert heldout_result["off_topic_rejection"] >= MIN_OFF_TOPIC_REJECTION


def test_service_entity(heldout_result):
    service = heldout_result["service"]
    assert service["accuracy"] >= MIN_SERVICE_ACCURACY
    assert service["spurious"] <= MAX_SPURIOUS_SERVICE_MESSAGES
    assert service["overlapping"] == 0, "one service entity per mention, not one per extractor"


def test_application_id_entity(heldout_result):
    application_id = heldout_result["application_id"]
    assert application_id["accuracy"] >= MIN_APPLICATION_ID_ACCURACY
    assert application_id["spurious"] == 0


def test_everyday_chatter_is_rejected(agent):
    """Alarms, music, weather, calls ... with the words of our flows ("band karo")."""
    examples = unseen_heldout_examples(CHATTER_SET)

    async def parse_all():
        return [await agent.parse_message(text) for text, _, _ in examples]

    result = evaluate(examples, asyncio.run(parse_all()), times=[])
    assert result["off_topic_rejection"] >= MIN_CHATTER_REJECTION
