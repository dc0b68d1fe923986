"""Training the item model: bootstrap corpus, documents written by hand and the home's
confirmed documents, then calibration and filing thresholds on held-out phrasings."""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Sequence

import numpy as np

from classifiers import corpus
from classifiers.classifier import DocumentClassifier
from classifiers.documents import LabelledDocument
from classifiers.fiscal_year import GUESS_BELOW, read_fiscal_year
from classifiers.items import Sharpened, build_pipeline, labels_for, shrink
from classifiers.thresholds import choose_thresholds

BOOTSTRAP_SEED = 2565
BOOTSTRAP_SIZE = 10000
VALIDATION_SIZE = 3000
# A confirmed document counts like this many generated ones: one correction in review
# must move the decision for documents like it.
EXTRA_WEIGHT = 30.0
# A document written by hand counts like this many generated ones: each is one of a
# kind, where the generator repeats its phrases across thousands.
WRITTEN_WEIGHT = 5.0


def _rows(docs: Sequence[LabelledDocument]) -> list[tuple[list[str], str]]:
    return [(list(d.pages), d.filename) for d in docs]


def fiscal_year_right(doc: LabelledDocument, fy: int | None, fy_end: int | None) -> bool:
    return doc.fiscal_year == fy and (doc.fiscal_year_end is None or doc.fiscal_year_end == fy_end)


def train_item_model(extra: Sequence[LabelledDocument], out_path: Path, *, size: int = BOOTSTRAP_SIZE,
                     seed: int = BOOTSTRAP_SEED, validation_size: int = VALIDATION_SIZE,
                     taxonomy: str = "ita2565") -> dict:
    """Fit, calibrate, choose thresholds, save to ``out_path``; returns what it trained on."""
    start = time.time()
    bootstrap = corpus.generate(size, seed=seed, split="train", taxonomy=taxonomy)
    validation = corpus.generate(validation_size, seed=seed + 1, split="eval", taxonomy=taxonomy)

    written = corpus.written_documents(taxonomy)
    docs = list(bootstrap) + written + list(extra)
    weights = np.concatenate([np.ones(len(bootstrap)), np.full(len(written), WRITTEN_WEIGHT),
                              np.full(len(extra), EXTRA_WEIGHT)])
    pipeline = build_pipeline(taxonomy, seed=seed)
    pipeline.fit(_rows(docs), labels_for([d.item for d in docs]), classifier__sample_weight=weights)
    shrink(pipeline)
    # One pass over the validation documents fits the temperature and chooses the
    # thresholds: one number cannot learn 3,000 documents, and the thresholds, set by the
    # few documents that are wrong, need every document there is.
    raw = pipeline.predict_proba(_rows(validation))
    model = Sharpened(pipeline).fit_proba(raw, labels_for([d.item for d in validation]))
    classifier = DocumentClassifier(model, {"item": 1.01, "fiscal_year": 1.01})
    predictions = classifier.predictions(model.sharpen(raw))
    readings = [read_fiscal_year(d.pages) for d in validation]
    correct = [p.item == d.item and fiscal_year_right(d, r.fiscal_year, r.fiscal_year_end)
               for p, r, d in zip(predictions, readings, validation)]
    chosen = choose_thresholds([p.confidence for p in predictions], [r.confidence for r in readings], correct,
                               fy_floor=GUESS_BELOW)
    classifier.thresholds = {"item": chosen["item"], "fiscal_year": chosen["fiscal_year"]}
    seconds = round(time.time() - start, 1)
    counts = Counter(d.item or "none" for d in docs)
    classifier.metadata = {
        "taxonomy": taxonomy,
        "corpus_fingerprint": corpus.fingerprint(taxonomy),
        "bootstrap": {"size": size, "seed": seed, "split": "train"},
        "validation": {"size": validation_size, "seed": seed + 1, "split": "eval",
                       "filed_share": round(chosen["coverage"], 4), "filed_precision": round(chosen["precision"], 4)},
        "written": {"documents": len(written), "weight": WRITTEN_WEIGHT},
        "extra_documents": len(extra),
        "extra_weight": EXTRA_WEIGHT,
        "thresholds": classifier.thresholds,
        "training_seconds": seconds,
    }
    classifier.save(Path(out_path))
    return {
        "documents": len(docs),
        "bootstrap_documents": len(bootstrap),
        "written_documents": len(written),
        "confirmed_documents": len(extra),
        "confirmed_per_item": dict(sorted(Counter(d.item or "none" for d in extra).items())),
        "per_item": dict(sorted(counts.items(), key=lambda kv: (kv[0] == "none", len(kv[0]), kv[0]))),
        "thresholds": classifier.thresholds,
        "validation_filed_share": round(chosen["coverage"], 4),
        "validation_filed_precision": round(chosen["precision"], 4),
        "seconds": seconds,
        "model_path": str(out_path),
    }
