"""Helpers to run our Rasa graph components without training a whole model."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class Components:
    """Creates components the way Rasa's graph does: default config + overrides."""

    def __init__(self, tmp_path) -> None:
        (tmp_path / "model").mkdir()
        self.storage = LocalModelStorage(tmp_path / "model")
        self._count = 0

    def create(self, cls, config: Optional[Dict[str, Any]] = None):
        self._count += 1
        name = f"{cls.__name__}{self._count}"
        context = ExecutionContext(GraphSchema({}), node_name=name)
        return cls.create({**cls.get_default_config(), **(config or {})}, self.storage, Resource(name), context)

    def load(self, cls, trained, config: Optional[Dict[str, Any]] = None):
        context = ExecutionContext(GraphSchema({}), node_name=trained._resource.name)
        return cls.load({**cls.get_default_config(), **(config or {})}, self.storage, trained._resource, context)


@pytest.fixture
def components(tmp_path) -> Components:
    return Components(tmp_path)


def message(text: str, **data) -> Message:
    return Message(data={"text": text, **data})


def training_data(examples: List[tuple], synonyms: Optional[Dict[str, str]] = None) -> TrainingData:
    """examples: (text, intent) or (text, intent, entities)."""
    messages = []
    for ex in examples:
        text, intent = ex[0], ex[1]
        entities = ex[2] if len(ex) > 2 else []
        messages.append(Message.build(text=text, intent=intent, entities=entities))
    return TrainingData(training_examples=messages, entity_synonyms=synonyms or {})


def entity(text: str, mention: str, value: str, name: str = "service") -> Dict[str, Any]:
    start = text.index(mention)
    return {"entity": name, "start": start, "end": start + len(mention), "value": value}
