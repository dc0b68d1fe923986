"""Classification speed: ms per document to classify, seconds to train on 10,000.

    PYTHAINLP_OFFLINE=1 .venv/bin/python benchmarks/classification.py [--train-size 10000] [--documents 300]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train-size", type=int, default=10000)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--model", type=Path, help="model to time classification with (default: shipped)")
    args = parser.parse_args(argv)

    from classifiers.classifier import DocumentClassifier
    from classifiers.corpus import generate
    from classifiers.training import train_item_model

    classifier = DocumentClassifier.load(args.model)
    docs = generate(args.documents, seed=31337, split="eval")
    classifier.classify(docs[0].pages, docs[0].filename)  # dictionary and model warm
    start = time.perf_counter()
    for d in docs:
        classifier.classify(d.pages, d.filename)
    per_doc = (time.perf_counter() - start) * 1000 / len(docs)
    chars = sum(len("".join(d.pages)) for d in docs) / len(docs)
    print(f"classify: {per_doc:.1f} ms/document, one at a time ({len(docs)} documents, {chars:.0f} characters each on average)")

    with tempfile.TemporaryDirectory() as tmp:
        summary = train_item_model([], Path(tmp) / "bench.joblib", size=args.train_size)
    print(f"train: {summary['seconds']:.1f} s on {args.train_size} documents "
          f"(+ {summary['written_documents']} written by hand; includes generating the corpus, "
          f"calibration and threshold search; {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
