"""The trainer inbox: grouping, labelling, dismissing, exporting with checks."""

import json
import time

import pytest
import sqlalchemy as sa

from lokseva.db import session_scope
from lokseva.portal import nlu_data, trainer
from lokseva.portal.models import TrainerLabel
from lokseva.portal.service import PortalError
from tests.unit.portal.support import FALLBACK_RANKING, store_conversations

STATUS_YML = 'version: "3.1"\nnlu:\n- intent: check_status\n  examples: |\n    - status batao\n    - kab tak milega\n'


@pytest.fixture
def nlu_dir(tmp_path):
    path = tmp_path / "nlu"
    path.mkdir()
    (path / "status.yml").write_text(STATUS_YML, encoding="utf-8")
    return path


@pytest.fixture
def inbox_data(tracker_url, tracker_engine):
    now = time.time() - 300
    fb = FALLBACK_RANKING
    store_conversations(
        tracker_url,
        [
            (
                "whatsapp:+919000000001",
                [
                    ("user", "Khet ki nakal chahiye!", "nlu_fallback", 0.5, [], fb("ask_service_info", 0.3)),
                    ("user", "/apply_service", "apply_service", 1.0),  # a button: never in the inbox
                    ("user", "mera no 9876543210 pe call karo", "request_human", 0.55),
                ],
                now,
            ),
            (
                "whatsapp:+919000000002",
                [
                    ("user", "khet ki nakal chahiye", "nlu_fallback", 0.5, [], fb("ask_service_info", 0.2)),
                    ("user", "status batao", "check_status", 0.65),  # already in data/nlu
                    ("user", "namaste", "greet", 0.99),  # sure: not in the inbox
                ],
                now + 60,
            ),
        ],
    )
    return tracker_engine


def items_by_text(session, engine):
    return {item.text: item for item in trainer.inbox(session, engine, 0.7)}


def test_inbox_groups_the_same_sentence_and_masks_numbers(engine, inbox_data):
    with session_scope(engine) as s:
        items = items_by_text(s, inbox_data)
    assert set(items) == {"khet ki nakal chahiye", "mera no ******3210 pe call karo", "status batao"}
    nakal = items["khet ki nakal chahiye"]
    assert nakal.count == 2 and len(nakal.event_ids) == 2 and nakal.fallback
    assert nakal.predicted_intent == "ask_service_info"
    assert not items["mera no ******3210 pe call karo"].fallback


def test_label_records_every_message_of_the_group(engine, inbox_data, nlu_dir, staff):
    with session_scope(engine) as s:
        nakal = items_by_text(s, inbox_data)["khet ki nakal chahiye"]
        labels = trainer.label(
            s,
            inbox_data,
            staff["trainer"],
            nakal.event_ids,
            "ask_service_info",
            'khet ki [nakal]{"entity": "service", "value": "land_record_copy"} chahiye',
            nlu_dir,
        )
        assert [label.status for label in labels] == ["labelled", "labelled"]
    with session_scope(engine) as s:
        assert "khet ki nakal chahiye" not in items_by_text(s, inbox_data), "decided messages leave the inbox"
        rows = s.execute(sa.select(TrainerLabel)).scalars().all()
        assert {r.labelled_by for r in rows} == {staff["trainer"].id}
        assert {r.tracker_event_id for r in rows} == set(nakal.event_ids)
        with pytest.raises(PortalError) as again:
            trainer.dismiss(s, inbox_data, staff["admin"], nakal.event_ids)
        assert again.value.code == "already_decided"


def test_label_checks_the_domain_and_the_existing_data(engine, inbox_data, nlu_dir, staff):
    with session_scope(engine) as s:
        items = items_by_text(s, inbox_data)
        ids = items["status batao"].event_ids
        for intent, example, code in [
            ("no_such_intent", "status batao", "unknown_intent"),
            ("nlu_fallback", "status batao", "unknown_intent"),
            ("check_status", "[batao](colour)", "unknown_entity"),
            ("check_status", "   ", "empty_example"),
        ]:
            with pytest.raises(PortalError) as error:
                trainer.label(s, inbox_data, staff["trainer"], ids, intent, example, nlu_dir)
            assert error.value.code == code
        with pytest.raises(PortalError) as conflict:
            trainer.label(s, inbox_data, staff["trainer"], ids, "pay_fee", "Status Batao!", nlu_dir)
        assert conflict.value.code == "conflict" and "check_status" in conflict.value.detail
        duplicate = trainer.label(s, inbox_data, staff["trainer"], ids, "check_status", "status batao", nlu_dir)
        assert duplicate[0].status == "duplicate" and "status.yml" in duplicate[0].note


def test_two_pending_labels_cannot_disagree(engine, inbox_data, nlu_dir, staff):
    with session_scope(engine) as s:
        items = items_by_text(s, inbox_data)
        trainer.label(
            s,
            inbox_data,
            staff["trainer"],
            items["khet ki nakal chahiye"].event_ids,
            "ask_service_info",
            "mujhe call karo",
            nlu_dir,
        )
        with pytest.raises(PortalError) as error:
            trainer.label(
                s,
                inbox_data,
                staff["trainer"],
                items["mera no ******3210 pe call karo"].event_ids,
                "request_human",
                "Mujhe call karo",
                nlu_dir,
            )
        assert error.value.code == "conflict"


def test_export_writes_new_examples_once_and_reports_the_rest(engine, inbox_data, nlu_dir, staff):
    with session_scope(engine) as s:
        items = items_by_text(s, inbox_data)
        trainer.label(
            s,
            inbox_data,
            staff["trainer"],
            items["khet ki nakal chahiye"].event_ids,
            "ask_service_info",
            'khet ki [nakal]{"entity": "service", "value": "land_record_copy"} chahiye',
            nlu_dir,
        )
        trainer.label(
            s,
            inbox_data,
            staff["trainer"],
            items["mera no ******3210 pe call karo"].event_ids,
            "request_human",
            "mera no ******3210 pe call karo",
            nlu_dir,
        )
        trainer.dismiss(s, inbox_data, staff["trainer"], items["status batao"].event_ids)
    # Meanwhile someone taught the phone sentence as another intent by hand.
    (nlu_dir / "human.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: inform\n  examples: |\n    - mera no ******3210 pe call karo\n',
        encoding="utf-8",
    )
    with session_scope(engine) as s:
        result = trainer.export(s, nlu_dir)
    assert len(result.written) == 1, "the two messages of the group become one example"
    assert result.written[0].startswith("ask_service_info: khet ki [nakal]")
    assert len(result.duplicates) == 1, "the group's second label is the same sentence"
    assert len(result.conflicts) == 1 and "inform" in result.conflicts[0]
    exported = nlu_data.read_examples(nlu_dir / "from_conversations.yml")
    assert exported == [
        ("ask_service_info", 'khet ki [nakal]{"entity": "service", "value": "land_record_copy"} chahiye')
    ]
    with session_scope(engine) as s:
        counts = trainer.counts(s)
        assert counts == {"exported": 1, "duplicate": 1, "conflict": 1, "dismissed": 1}
        # A second export has nothing left to write and leaves the file alone.
        assert trainer.export(s, nlu_dir).written == []
    assert nlu_data.read_examples(nlu_dir / "from_conversations.yml") == exported


def test_evaluation_figures(tmp_path):
    assert trainer.evaluation_figures(tmp_path / "missing.json") is None
    path = tmp_path / "nlu_eval.json"
    path.write_text(
        json.dumps(
            {
                "intent": {"accuracy": 0.912, "macro_f1": 0.88, "weighted avg": {"f1-score": 0.9}},
                "entity": {"f1": 0.95},
                "examples": 412,
                "pipeline": "char_wb DIET",
                "ok": True,
            }
        )
    )
    figures = dict(trainer.evaluation_figures(path)["figures"])  # not the bench's shape: its numbers
    assert figures["intent · accuracy"] == 0.912
    assert figures["intent · weighted avg · f1-score"] == 0.9
    assert figures["examples"] == 412 and figures["pipeline"] == "char_wb DIET"
    assert "ok" not in figures
    path.write_text("{not json")
    assert trainer.evaluation_figures(path)["error"] is True


def test_the_nlu_bench_figures_are_read_as_a_comparison(tmp_path):
    path = tmp_path / "nlu_eval.json"
    path.write_text(
        json.dumps(
            {
                "evaluated_on": "tests/nlu/heldout.yml",
                "training_examples": 2008,
                "results": {
                    "ours": {
                        "intent_accuracy": 0.91,
                        "macro_f1": 0.89,
                        "service": {"accuracy": 1.0},
                        "latency_ms": {"p50": 14.2},
                        "per_intent_f1": {"greet": 0.95, "affirm": 0.66, "goodbye": 0.7},
                        "errors": [
                            {
                                "text": "mera no 9826012345 hai call karna",
                                "gold": "request_human",
                                "predicted": "nlu_fallback",
                            }
                        ],
                    },
                    "stock": {"intent_accuracy": 0.62, "macro_f1": 0.55, "latency_ms": {"p50": 9.0}},
                },
            }
        )
    )
    found = trainer.evaluation_figures(path)
    assert found["pipelines"] == ["ours", "stock"]
    rows = {metric: values for metric, _, values in found["rows"]}
    assert rows["intent_accuracy"] == [0.91, 0.62] and rows["service.accuracy"] == [1.0, None]
    assert rows["latency_ms.p50"] == [14.2, 9.0] and "training_seconds" not in rows
    assert found["weak"][0] == ("affirm", 0.66)
    assert found["mistakes"][0]["text"] == "mera no ******2345 hai call karna", "masked like everything staff read"
    assert found["about"] == {"evaluated_on": "tests/nlu/heldout.yml", "training_examples": 2008}
