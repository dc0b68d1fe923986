"""Classifiers for ITA disclosure documents: which O-item, which fiscal year.

The taxonomy (items, titles, which fiscal year each must cover) is data under
``classifiers/data``; the learned item model lives in ``models/``. The model side
(scikit-learn, PyThaiNLP) loads on first use, so reading the taxonomy stays cheap.
"""
from __future__ import annotations

from classifiers.documents import LabelledDocument
from classifiers.fiscal_year import read_fiscal_year
from classifiers.labels import Candidate, Classification, FiscalYearReading, ItemPrediction
from classifiers.taxonomy import Item, Taxonomy, load_taxonomy

__all__ = [
    "Candidate", "Classification", "DocumentClassifier", "FiscalYearReading", "Item", "ItemPrediction",
    "LabelledDocument", "Taxonomy", "load_taxonomy", "read_fiscal_year", "train_item_model",
]


def __getattr__(name: str):
    if name == "DocumentClassifier":
        from classifiers.classifier import DocumentClassifier

        return DocumentClassifier
    if name == "train_item_model":
        from classifiers.training import train_item_model

        return train_item_model
    raise AttributeError(name)
