"""The trainer loop closes: what the portal exported to data/nlu/from_conversations.yml
is checked again before training (duplicates, conflicts, the NLU contract), and a
new export changes the model's fingerprint, so `make train` retrains on it."""

import pytest

from lokseva.devtools import train
from lokseva.portal import nlu_data
from lokseva.settings import ROOT

OTHER = """version: "3.1"
nlu:
- intent: check_status
  examples: |
    - mera status batao
- intent: greet
  examples: |
    - ram ram sa
"""


@pytest.fixture
def nlu_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(nlu_data, "VAR_DIR", tmp_path / "var")
    directory = tmp_path / "nlu"
    directory.mkdir()
    (directory / "status.yml").write_text(OTHER, encoding="utf-8")
    return directory


def export(nlu_dir, pairs):
    nlu_data.append_to_export(nlu_dir, pairs)


def test_no_export_file_and_a_clean_export_have_no_problem(nlu_dir):
    assert nlu_data.check_export(nlu_dir) == []
    export(
        nlu_dir,
        [
            ("check_status", "patwari ne report nahi lagayi abhi tak"),
            ("apply_service", '[aay praman]{"entity": "service", "value": "income_certificate"} banwana hai'),
            ("choose_district", '[indore]{"entity": "district", "value": "indore"} se hu'),
        ],
    )
    assert nlu_data.check_export(nlu_dir) == []


def test_a_hand_edited_export_is_caught_before_training(nlu_dir):
    export(
        nlu_dir,
        [
            ("check_status", "MERA STATUS BATAO!!"),  # already in status.yml
            ("goodbye", "ram ram sa"),  # greet in status.yml
            ("order_pizza", "pizza bhejo"),  # not in the contract
            ("apply_service", '[aay]{"entity": "service", "value": "income"} chahiye'),  # not canonical
            ("apply_service", '[xyz]{"entity": "colour", "value": "red"} chahiye'),  # unknown entity
            ("check_status", "[jba 2026 12](application_id) kaha hai"),
            ("pay_fee", "fees kaise bharu"),
            ("ask_service_info", "Fees kaise bharu?"),  # twice in the file
        ],
    )
    problems = "\n".join(nlu_data.check_export(nlu_dir))
    assert "MERA STATUS BATAO!!: already in status.yml" in problems
    assert "ram ram sa: conflicts with greet in status.yml" in problems
    assert "order_pizza: pizza bhejo: intent not in the domain" in problems
    assert "service value 'income' is not canonical" in problems
    assert "unknown_entity colour" in problems
    assert "application_id value 'jba 2026 12' is not canonical" in problems
    assert "pay_fee: fees kaise bharu: taught twice in the file (ask_service_info)" in problems
    assert len(problems.splitlines()) == 7


def test_an_unreadable_export_is_one_problem(nlu_dir):
    (nlu_dir / nlu_data.EXPORT_FILE_NAME).write_text("nlu: [unclosed\n", encoding="utf-8")
    (problem,) = nlu_data.check_export(nlu_dir)
    assert "not readable" in problem


def test_training_refuses_a_broken_export_and_names_the_problem(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data" / "nlu"
    data.mkdir(parents=True)
    (data / "status.yml").write_text(OTHER, encoding="utf-8")
    monkeypatch.setattr(nlu_data, "VAR_DIR", tmp_path / "var")
    nlu_data.append_to_export(data, [("goodbye", "ram ram sa")])
    (tmp_path / "domain").symlink_to(ROOT / "domain")
    monkeypatch.setattr(train, "ROOT", tmp_path)
    monkeypatch.setattr(train, "MODELS_DIR", tmp_path / "models")
    monkeypatch.setattr(train.subprocess, "run", lambda *a, **k: pytest.fail("must not train"))
    with pytest.raises(SystemExit) as stopped:
        train.ensure_model()
    assert stopped.value.code == 1
    assert "conflicts with greet in status.yml" in capsys.readouterr().err


def test_a_new_export_changes_the_model_fingerprint(tmp_path, monkeypatch):
    data = tmp_path / "data" / "nlu"
    data.mkdir(parents=True)
    (tmp_path / "config.yml").write_text("pipeline: []\n")
    monkeypatch.setattr(nlu_data, "VAR_DIR", tmp_path / "var")
    monkeypatch.setattr(train, "ROOT", tmp_path)
    before = train.fingerprint()
    nlu_data.append_to_export(data, [("check_status", "arzi kaha tak pahuchi")])
    assert train.fingerprint() != before


def test_the_repository_export_if_any_is_clean():
    assert nlu_data.check_export(ROOT / "data" / "nlu") == []
