"""The document classifier: item model + fiscal-year reader + the filing policy."""
from __future__ import annotations

from pathlib import Path
from typing import Collection, Mapping, Sequence

import joblib
import numpy as np

from classifiers.fiscal_year import read_fiscal_year
from classifiers.items import item_of
from classifiers.labels import Candidate, Classification, ItemPrediction



class DocumentClassifier:
    def __init__(self, model, thresholds: dict[str, float], metadata: dict | None = None):
        self.model = model
        self.thresholds = thresholds
        self.metadata = metadata or {}

    @classmethod
    def load(cls, model_path: Path | None = None) -> "DocumentClassifier":
        bundle = joblib.load(model_path or default_model_path())
        return cls(bundle["model"], bundle["thresholds"], bundle.get("metadata"))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"model": self.model, "thresholds": self.thresholds, "metadata": self.metadata}, path,
                    compress=3)

    def predict_items(self, docs: Sequence[tuple[Sequence[str], str]]) -> list[ItemPrediction]:
        return self.predictions(self.model.predict_proba(list(docs)))

    def predictions(self, proba: np.ndarray) -> list[ItemPrediction]:
        """The top three items of each row of the model's probabilities."""
        classes = self.model.classes_
        out = []
        for row in proba:
            top = np.argsort(row)[::-1][:3]
            candidates = tuple(Candidate(item_of(str(classes[i])), round(float(row[i]), 4)) for i in top)
            out.append(ItemPrediction(candidates[0].item, candidates[0].score, candidates))
        return out

    def classify(self, pages: Sequence[str], filename: str = "",
                 unconfirmed_digits: Mapping[int, Collection[str]] | None = None) -> Classification:
        """``unconfirmed_digits``: by 0-based page number, the OCR'd Thai numbers the
        digit reader could not confirm."""
        item = self.predict_items([(list(pages), filename)])[0]
        return Classification(item, read_fiscal_year(pages, unconfirmed_digits))

    def should_file(self, c: Classification) -> bool:
        """File without a person only where held-out validation showed ≥ 99% right."""
        return (c.item.confidence >= self.thresholds["item"]
                and c.fiscal_year.confidence >= self.thresholds["fiscal_year"])


def default_model_path() -> Path:
    import models

    return Path(models.__file__).resolve().parent / "item_model.joblib"
