"""The home's own item model: people's review decisions become training data."""
from __future__ import annotations

from pathlib import Path

from classifiers import DocumentClassifier, LabelledDocument, train_item_model
from intake.config import Home
from intake.index import Index


def home_model_path(home: Home) -> Path:
    return home.archive / "model" / "item_model.joblib"


def load_classifier(home: Home | None = None) -> DocumentClassifier:
    """The home's retrained model when there is one, else the project's default model."""
    if home is not None and home_model_path(home).exists():
        return DocumentClassifier.load(home_model_path(home))
    return DocumentClassifier.load()


def confirmed_documents(index: Index) -> list[LabelledDocument]:
    return [
        LabelledDocument(
            pages=tuple((row["text"] or "").split("\f")),
            filename=row["original_name"],
            item=row["item"],
            fiscal_year=row["fiscal_year"],
        )
        for row in index.where("confirmed = 1 and status = 'filed'")
    ]


def retrain(home: Home, index: Index) -> dict:
    """Train on the bootstrap corpus plus the home's confirmed documents; save for the home."""
    path = home_model_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    summary = train_item_model(confirmed_documents(index), path)
    index.add_event(None, "trained", note=str(summary.get("documents", "")))
    return summary
