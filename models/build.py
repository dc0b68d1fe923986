"""Build the default item model: ``python -m models.build``.

Reproducible: the bootstrap corpus comes from the generator with a fixed seed, so the
same code and phrase data give the same model. Writes ``item_model.joblib`` and
``item_model.json`` (the recipe and how well it does) next to this file.
"""
from __future__ import annotations

import json
import platform
import sys
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    from classifiers.classifier import DocumentClassifier
    from classifiers.corpus import generate
    from classifiers.evaluate import EVAL_SEED, EVAL_SIZE, evaluate, format_report
    from classifiers.training import train_item_model

    import argparse
    import os
    import shutil
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--into", type=Path, default=HERE, help="directory to write the model to (default: models/)")
    args = parser.parse_args(argv)
    target = args.into
    target.mkdir(parents=True, exist_ok=True)
    # Build in a scratch directory and move into place at the end: never a half-written model.
    scratch = Path(tempfile.mkdtemp(prefix="item_model_"))
    out = scratch / "item_model.joblib"
    summary = train_item_model([], out)
    classifier = DocumentClassifier.load(out)
    figures = evaluate(classifier, generate(EVAL_SIZE, seed=EVAL_SEED, split="eval"))
    print(format_report(figures, f"held-out evaluation ({EVAL_SIZE} documents, seed {EVAL_SEED}, eval phrasings)"))
    meta = {
        **classifier.metadata,
        "python": platform.python_version(),
        "libraries": {name: version(name) for name in ("scikit-learn", "numpy", "scipy", "pythainlp", "joblib")},
        "model_bytes": out.stat().st_size,
        "evaluation": {"size": EVAL_SIZE, "seed": EVAL_SEED, "split": "eval",
                       **{k: v for k, v in figures.items() if k != "per_item"}},
        "training_summary": {k: summary[k] for k in ("documents", "seconds", "thresholds")},
        "command": "python -m models.build",
    }
    (scratch / "item_model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for name in ("item_model.joblib", "item_model.json"):
        shutil.copyfile(scratch / name, target / (name + ".new"))
    for name in ("item_model.joblib", "item_model.json"):
        os.replace(target / (name + ".new"), target / name)
    shutil.rmtree(scratch, ignore_errors=True)
    final = target / "item_model.joblib"
    print(f"wrote {final} ({final.stat().st_size / 1e6:.1f} MB) and item_model.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
