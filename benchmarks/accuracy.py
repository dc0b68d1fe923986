"""Accuracy on documents written by other hands: the independent corpus as real PDFs.

    PYTHAINLP_OFFLINE=1 .venv/bin/python benchmarks/accuracy.py [--scanned-share 0.2] [--model FILE]

``benchmarks/data/independent_ita2565.json`` holds 220 labelled documents (4 for each
of the 43 items, 48 that are none of them) written by three writers who never saw
the bootstrap generator, its phrase data or the model: agencies, wordings, layouts and
year styles of their own. It is an evaluation set only: never train or tune on it.

Each document becomes a real PDF (a TLWG font per document, 12 pt); a share of them is
rasterised into a noisy, slightly rotated scan, so the OCR path is measured too. Then
the same evaluation as ``oit evaluate FOLDER`` runs on the folder: per-item precision,
recall and F1, the most confused pairs, fiscal-year accuracy, the share filed and its
precision, and the reliability of the confidences.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

from pdf_factory import make_scanned_pdf, make_text_pdf  # noqa: E402

CORPUS = ROOT / "benchmarks" / "data" / "independent_ita2565.json"
FONTS = ["Garuda", "Laksaman", "Loma", "Norasi", "Kinnari"]
FONT_SIZE = 12


def build_folder(docs: list[dict], folder: Path, scanned_share: float, seed: int) -> int:
    """One PDF per document and ``labels.csv``; returns how many were made scans."""
    rng = random.Random(seed)
    scanned = 0
    with open(folder / "labels.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "item", "fiscal_year", "fiscal_year_end"])
        for doc in docs:
            # Names repeat across writers ("scan0012.pdf"): the id keeps files apart,
            # and the classifier still sees the writer's name as the document's name.
            sub = folder / doc["id"]
            sub.mkdir()
            path = sub / doc["filename"]
            font = rng.choice(FONTS)
            if rng.random() < scanned_share:
                make_scanned_pdf(path, doc["pages"], font=font, size=FONT_SIZE, seed=rng.randrange(1 << 30),
                                 rotate_degrees=rng.uniform(-1.0, 1.0), noise=rng.uniform(0.0, 0.02))
                scanned += 1
            else:
                make_text_pdf(path, doc["pages"], font=font, size=FONT_SIZE)
            writer.writerow([path.relative_to(folder).as_posix(), doc["item"] or "", doc["fiscal_year"] or "",
                             doc["fiscal_year_end"] or ""])
    return scanned


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scanned-share", type=float, default=0.2, help="share of documents made into scans")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--model", type=Path, help="model file (default: the shipped model)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    from classifiers.classifier import DocumentClassifier
    from classifiers.evaluate import evaluate, format_report, load_folder

    docs = json.loads(CORPUS.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        scanned = build_folder(docs, folder, args.scanned_share, args.seed)
        built = time.perf_counter() - started
        started = time.perf_counter()
        labelled = load_folder(folder)
        extracted = time.perf_counter() - started
    figures = evaluate(DocumentClassifier.load(args.model), labelled)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return 0
    print(f"(built {len(docs)} PDFs, {scanned} of them scans, in {built:.0f} s; extracted in {extracted:.0f} s)")
    print(format_report(figures, f"evaluation on the independent corpus ({CORPUS.name})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
