"""How good the classifiers are on documents they never saw (``oit evaluate``).

By default: documents generated with a seed and phrasings that training never used.
Given a folder with ``labels.csv`` (file,item,fiscal_year,fiscal_year_end): those PDFs.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Sequence

import numpy as np

from classifiers.documents import LabelledDocument

EVAL_SEED = 4242
EVAL_SIZE = 3000


def _label(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value and value.lower() not in ("none", "null") else None


def load_folder(folder: Path) -> list[LabelledDocument]:
    from intake.extract import extract_text  # written alongside; only needed for real PDFs

    docs = []
    with open(folder / "labels.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            item = (row.get("item") or "").strip()
            extracted = extract_text(folder / row["file"])
            docs.append(LabelledDocument(
                tuple(p.text for p in extracted.pages), Path(row["file"]).name,
                None if item.lower() in ("", "none", "null") else item,
                _label(row.get("fiscal_year", "")), _label(row.get("fiscal_year_end", "")),
                extracted.unconfirmed_digits,
            ))
    return docs


def evaluate(classifier, docs: Sequence[LabelledDocument]) -> dict:
    from classifiers.training import fiscal_year_right
    from sklearn.metrics import precision_recall_fscore_support

    from classifiers.fiscal_year import read_fiscal_year
    from classifiers.labels import Classification

    start = time.perf_counter()
    items = classifier.predict_items([(list(d.pages), d.filename) for d in docs])
    readings = [read_fiscal_year(d.pages, d.unconfirmed_digits) for d in docs]
    ms_per_doc = (time.perf_counter() - start) * 1000 / max(len(docs), 1)

    truth = [d.item or "none" for d in docs]
    pred = [p.item or "none" for p in items]
    labels = sorted(set(truth) | set(pred), key=lambda c: (c == "none", len(c), c))
    p, r, f, n = precision_recall_fscore_support(truth, pred, labels=labels, zero_division=0)
    item_right = np.array([a == b for a, b in zip(truth, pred)])
    fy_right = np.array([fiscal_year_right(d, x.fiscal_year, x.fiscal_year_end) for d, x in zip(docs, readings)])
    filed = np.array([classifier.should_file(Classification(i, x)) for i, x in zip(items, readings)])
    both = item_right & fy_right
    conf = np.array([i.confidence for i in items])
    bins = np.linspace(0, 1, 11)
    curve = []
    for lo, hi in zip(bins[:-1], bins[1:]):
        m = (conf >= lo) & ((conf < hi) if hi < 1 else (conf <= hi))
        if m.any():
            curve.append({"from": round(lo, 1), "to": round(hi, 1), "documents": int(m.sum()),
                          "mean_confidence": round(float(conf[m].mean()), 3),
                          "accuracy": round(float(item_right[m].mean()), 3)})
    ece = sum(c["documents"] * abs(c["mean_confidence"] - c["accuracy"]) for c in curve) / max(len(docs), 1)
    present = [i for i, lab in enumerate(labels) if n[i] > 0]
    return {
        "documents": len(docs),
        "per_item": {lab: {"precision": round(float(p[i]), 3), "recall": round(float(r[i]), 3),
                           "f1": round(float(f[i]), 3), "support": int(n[i])} for i, lab in enumerate(labels)},
        "item_macro_f1": round(float(np.mean([f[i] for i in present])), 4),
        "item_accuracy": round(float(item_right.mean()), 4),
        "confused_pairs": [{"true": a, "predicted": b, "count": c}
                           for (a, b), c in Counter((a, b) for a, b in zip(truth, pred) if a != b).most_common(10)],
        "fiscal_year_accuracy": round(float(fy_right.mean()), 4),
        "filed_share": round(float(filed.mean()), 4),
        "filed_precision": round(float(both[filed].mean()), 4) if filed.any() else None,
        "reliability": curve,
        "expected_calibration_error": round(float(ece), 4),
        "classify_ms_per_document": round(ms_per_doc, 2),
    }


def format_report(figures: dict, title: str) -> str:
    lines = [title, f"documents: {figures['documents']}", "", f"{'item':<6} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>5}"]
    for label, m in figures["per_item"].items():
        lines.append(f"{label:<6} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} {m['support']:>5}")
    lines += [
        "",
        f"item macro-F1:        {figures['item_macro_f1']:.4f}   (target ≥ 0.95)",
        f"item accuracy:        {figures['item_accuracy']:.4f}",
        f"fiscal-year accuracy: {figures['fiscal_year_accuracy']:.4f}   (target ≥ 0.98)",
        f"filed automatically:  {figures['filed_share']:.4f}   (target ≥ 0.85)",
        f"precision of filed:   {figures['filed_precision']}   (target ≥ 0.99, item and fiscal year)",
        f"classify:             {figures['classify_ms_per_document']} ms/document (batch)",
        "",
        "most confused (true → predicted):",
    ]
    lines += [f"  {c['true']} → {c['predicted']}: {c['count']}" for c in figures["confused_pairs"]] or ["  none"]
    lines += ["", "reliability (item confidence → share right):"]
    for c in figures["reliability"]:
        bar = "#" * int(round(c["accuracy"] * 20))
        lines.append(f"  {c['from']:.1f}–{c['to']:.1f}  n={c['documents']:>5}  conf={c['mean_confidence']:.3f}"
                     f"  right={c['accuracy']:.3f}  {bar}")
    lines.append(f"expected calibration error: {figures['expected_calibration_error']:.4f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="oit evaluate", description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, help="folder of PDFs with labels.csv")
    parser.add_argument("--model", type=Path, help="model file (default: the shipped model)")
    parser.add_argument("--size", type=int, default=EVAL_SIZE, help="generated documents (no folder)")
    parser.add_argument("--seed", type=int, default=EVAL_SEED)
    parser.add_argument("--split", choices=["eval", "train", "all"], default="eval",
                        help="phrase families of generated documents (eval: never seen in training)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from classifiers.classifier import DocumentClassifier

    classifier = DocumentClassifier.load(args.model)
    if args.folder is not None:
        if not (args.folder / "labels.csv").is_file():
            print(f"{args.folder}/labels.csv not found", file=sys.stderr)
            return 2
        docs = load_folder(args.folder)
        title = f"evaluation on {args.folder}"
    else:
        from classifiers.corpus import generate

        docs = generate(args.size, seed=args.seed, split=args.split)
        title = f"evaluation on {args.size} generated documents (seed {args.seed}, {args.split} phrasings)"
    figures = evaluate(classifier, docs)
    print(json.dumps(figures, ensure_ascii=False) if args.json else format_report(figures, title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
