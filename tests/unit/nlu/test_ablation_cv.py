"""The cross-validated ablation's aggregation (bench/nlu_eval.py), without training anything."""

import pytest

from bench.nlu_eval import ROOT, fold_figures, read_pipeline, selected_variants, summarise_cv


def figures(intent, f1=0.8, service=1.0, off_topic=0.9, seconds=60.0):
    return {
        "intent_accuracy": intent,
        "macro_f1": f1,
        "service_accuracy": service,
        "off_topic_rejection": off_topic,
        "training_seconds": seconds,
    }


def test_paired_differences_are_taken_fold_by_fold():
    # The variant is worse than the full pipeline on every fold although its mean
    # lies inside the full pipeline's spread: only the pairing shows it.
    summary = summarise_cv(
        {
            "full pipeline": [figures(0.80), figures(0.90), figures(0.70)],
            "- X": [figures(0.79), figures(0.88), figures(0.69)],
        }
    )
    full, variant = summary["full pipeline"], summary["- X"]
    assert full["intent_accuracy"]["mean"] == pytest.approx(0.80)
    assert full["intent_accuracy"]["sd"] == pytest.approx(0.10)
    assert "diff" not in full["intent_accuracy"]
    diff = variant["intent_accuracy"]["diff"]
    assert diff["mean"] == pytest.approx(-0.04 / 3)
    assert diff["sd"] == pytest.approx(0.0057735, abs=1e-6)
    assert (diff["better"], diff["worse"], diff["equal"], diff["n"]) == (0, 3, 0, 3)
    # Equal figures count as equal, not as better or worse (float noise included).
    assert variant["macro_f1"]["diff"]["equal"] == 3
    assert variant["macro_f1"]["diff"]["mean"] == pytest.approx(0.0)


def test_missing_folds_and_figures_are_left_out_of_the_pairs():
    summary = summarise_cv(
        {
            "full pipeline": [figures(0.8, off_topic=None), figures(0.9), figures(0.7, seconds=90.0)],
            "- X": [figures(0.9), figures(0.95, seconds=30.0), None],
        }
    )
    variant = summary["- X"]
    # Fold 3 was not run for the variant; fold 1 has no off-topic message in the baseline.
    assert variant["intent_accuracy"]["n"] == 2
    assert variant["intent_accuracy"]["diff"]["mean"] == pytest.approx(0.075)
    assert variant["intent_accuracy"]["diff"]["better"] == 2
    assert variant["off_topic_rejection"]["diff"]["n"] == 1
    assert variant["off_topic_rejection"]["diff"]["sd"] is None  # one pair: no spread
    assert variant["training_seconds"]["mean"] == pytest.approx(45.0)
    assert summary["full pipeline"]["training_seconds"]["mean"] == pytest.approx(70.0)
    assert summary["full pipeline"]["off_topic_rejection"]["n"] == 2


def test_fold_figures_read_the_evaluation_result():
    result = {"intent_accuracy": 0.9, "macro_f1": 0.85, "service": {"accuracy": None}, "off_topic_rejection": 0.5}
    assert fold_figures(result, 12.5) == figures(0.9, 0.85, None, 0.5, 12.5)


def test_variant_selection_keeps_the_baseline_and_rejects_unknown_labels():
    pipeline = read_pipeline(ROOT / "config.yml")
    labels = [label for _, label, _ in selected_variants(pipeline, ["- ServiceEntityExtractor"])]
    assert labels == ["full pipeline", "- ServiceEntityExtractor"]
    with pytest.raises(SystemExit, match="unknown variant"):
        selected_variants(pipeline, ["- ServiceEntityExtractr"])
