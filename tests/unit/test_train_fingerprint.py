from lokseva.devtools import train


def test_fingerprint_changes_with_training_data(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "config.yml").write_text("pipeline: []\n")
    example = tmp_path / "data" / "nlu.yml"
    example.write_text("- नमस्ते\n")
    monkeypatch.setattr(train, "ROOT", tmp_path)
    first = train.fingerprint()
    assert train.fingerprint() == first, "the same inputs give the same model name"
    example.write_text("- नमस्कार\n")
    assert train.fingerprint() != first
    (tmp_path / "data" / "__pycache__").mkdir()
    (tmp_path / "data" / "__pycache__" / "x.pyc").write_bytes(b"junk")
    example.write_text("- नमस्ते\n")
    assert train.fingerprint() == first, "caches do not count"


def test_code_that_no_component_runs_does_not_retrain(tmp_path, monkeypatch):
    nlu = tmp_path / "lokseva" / "nlu"
    nlu.mkdir(parents=True)
    (nlu / "tokenizer.py").write_text("# component\n")
    (nlu / "evaluation.py").write_text("# metrics\n")
    monkeypatch.setattr(train, "ROOT", tmp_path)
    first = train.fingerprint()
    (nlu / "evaluation.py").write_text("# metrics, edited\n")
    assert train.fingerprint() == first
    (nlu / "tokenizer.py").write_text("# component, edited\n")
    assert train.fingerprint() != first
