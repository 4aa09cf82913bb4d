"""Train the Rasa model only when its inputs changed.

The model is named after a fingerprint of everything that shapes it (config,
domain, training data, our custom NLU components, the pinned dependencies), so
`make run` and `make test` reuse a model whose data has not changed and a stale
model is never served.

    python -m lokseva.devtools.train               # train if needed, print the path
    python -m lokseva.devtools.train --print-path  # only print the expected path

Before training, the examples exported from the portal's trainer inbox
(data/nlu/from_conversations.yml) are checked again (lokseva.portal.nlu_data.check_export):
a broken or contradictory export stops the training with the list of problems.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Iterable, List

from lokseva.portal.nlu_data import check_export
from lokseva.settings import ROOT

MODELS_DIR = ROOT / "models"
KEEP_MODELS = 3

# What a trained model depends on. Custom NLU components are code the model runs.
MODEL_INPUTS = ("config.yml", "domain.yml", "domain", "data", "lokseva/nlu", "requirements.lock")
# Files under those that no pipeline component runs: editing them needs no training.
NOT_MODEL_INPUTS = ("lokseva/nlu/evaluation.py", "lokseva/nlu/clarify.py", "lokseva/nlu/intent_titles.yml")


def _files(paths: Iterable[str]) -> List[Path]:
    found: List[Path] = []
    for rel in paths:
        path = ROOT / rel
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(
                p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
            )
    excluded = {ROOT / rel for rel in NOT_MODEL_INPUTS}
    return sorted(p for p in found if p not in excluded)


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in _files(MODEL_INPUTS):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path() -> Path:
    return MODELS_DIR / f"lokseva-{fingerprint()}.tar.gz"


def _prune_old_models(keep: Path) -> None:
    models = sorted(MODELS_DIR.glob("lokseva-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [m for m in models if m != keep][KEEP_MODELS - 1 :]:
        old.unlink()


def ensure_model() -> Path:
    """Returns a model trained on the current inputs, training one if needed."""
    target = model_path()
    if target.exists():
        print(f"==> model is up to date: {target.relative_to(ROOT)}", file=sys.stderr)
        return target
    problems = check_export(ROOT / "data" / "nlu", ROOT / "domain")
    if problems:
        print("==> the examples exported from the trainer inbox need fixing first:", file=sys.stderr)
        for problem in problems:
            print(f"    {problem}", file=sys.stderr)
        raise SystemExit(1)
    MODELS_DIR.mkdir(exist_ok=True)
    print(f"==> training {target.relative_to(ROOT)} (data or config changed)", file=sys.stderr)
    cmd = [
        sys.executable,
        "-m",
        "rasa",
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain",
        "--data",
        "data",
        "--out",
        str(MODELS_DIR),
        "--fixed-model-name",
        target.name[: -len(".tar.gz")],
    ]
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=sys.stderr)
    if not target.exists():
        raise SystemExit(f"rasa train finished but {target} is missing")
    _prune_old_models(target)
    return target


def main(argv: list | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train the Rasa model if its inputs changed.")
    parser.add_argument("--print-path", action="store_true", help="print the expected model path only")
    args = parser.parse_args(argv)
    path = model_path() if args.print_path else ensure_model()
    print(path)


if __name__ == "__main__":
    main()
