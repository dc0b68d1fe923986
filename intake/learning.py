"""The home's own item model: people's review decisions become training data."""
from __future__ import annotations

import fcntl
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from classifiers import DocumentClassifier, LabelledDocument, train_item_model
from intake.config import Home
from intake.index import Index


class TrainingBusy(Exception):
    """Another process is training this home's model right now."""


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


@contextmanager
def _training_lock(home: Home) -> Iterator[None]:
    """One training per home at a time, across processes; released if the process dies."""
    path = home_model_path(home).parent / "training.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise TrainingBusy("a training of this home's model is already running") from None
        yield


def retrain(home: Home, index: Index) -> dict:
    """Train on the bootstrap corpus plus the home's confirmed documents; save for the home.

    Raises TrainingBusy when another process is already training.
    """
    with _training_lock(home):
        summary = train_item_model(confirmed_documents(index), home_model_path(home))
    index.add_event(None, "trained", note=str(summary.get("documents", "")))
    return summary


def is_training(home: Home) -> bool:
    try:
        with _training_lock(home):
            return False
    except TrainingBusy:
        return True


def retrain_in_background(home: Home) -> bool:
    """Start ``oit train`` for the home in its own process; False if one is running.

    Training takes about a minute; a reviewer's click must not wait for it.
    """
    if is_training(home):
        return False
    log_path = home_model_path(home).parent / "training.log"
    with open(log_path, "a") as log:
        subprocess.Popen(
            [sys.executable, "-m", "intake", "train", "--home", str(home.root)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
        )
    return True
