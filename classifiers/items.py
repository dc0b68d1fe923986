"""The item model: which O-item (or none) a document is, with calibrated probabilities.

Thai has no spaces between words and PDF text layers break words apart, so the model
reads each document twice: as PyThaiNLP words and as character n-grams of the text
with all spaces removed. The title area gets its own features (it names the item far
more reliably than page 40), the file name is a small, down-weighted feature block, and
the taxonomy's keyword hints enter as features the model weighs against everything else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from classifiers.taxonomy import load_taxonomy
from classifiers.text import compact, normalise

NONE_LABEL = "none"  # the class of documents that are none of the items
HEAD_CHARS = 300
BODY_CHARS = 3000  # characters read for n-grams
WORD_CHARS = 800  # characters tokenised: newmm is the slowest step
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"^[\W_]+$")


@dataclass(frozen=True)
class Fields:
    head_words: list[str]
    body_words: list[str]
    head_text: str
    body_text: str
    filename: str


def _model_text(text: str) -> str:
    # Years and amounts say nothing about the item and would tie it to the training years.
    return _DIGITS.sub("0", normalise(text))


def _words(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return [w for w in word_tokenize(text, engine="newmm", keep_whitespace=False) if not _NOT_WORD.match(w)]


def document_fields(pages: Sequence[str], filename: str = "") -> Fields:
    first = _model_text(pages[0]) if pages else ""
    body = first[:BODY_CHARS]
    for page in pages[1:]:
        if len(body) >= BODY_CHARS:
            break
        body += " " + _model_text(page)[: BODY_CHARS // 2]
    body = body[:BODY_CHARS]
    head = first[:HEAD_CHARS]
    words = _words(body[:WORD_CHARS])
    # The title area's words are the leading words of the body: tokenise once.
    head_words, used, limit = [], 0, len(compact(head))
    for w in words:
        used += len(w)
        if used > limit:
            break
        head_words.append(w)
    stem = re.sub(r"\.pdf$", "", filename.lower())
    return Fields(head_words, words, compact(head), compact(body), _DIGITS.sub("0", compact(stem)))


def _fields_batch(rows: Sequence[tuple[Sequence[str], str]]) -> list[Fields]:
    return [document_fields(pages, name) for pages, name in rows]


class DocumentFields(BaseEstimator, TransformerMixin):
    """(pages, filename) rows → ``Fields``; tokenising is the slow part, so large
    batches are split across processes."""

    def __init__(self, n_jobs: int = 2):
        self.n_jobs = n_jobs

    def fit(self, X, y=None):
        return self

    def transform(self, X) -> list[Fields]:
        rows = list(X)
        if len(rows) < 400 or self.n_jobs == 1:
            return _fields_batch(rows)
        _words("ก")  # load the dictionary once, before the workers fork
        chunks = [rows[i::self.n_jobs * 4] for i in range(self.n_jobs * 4)]
        parts = Parallel(n_jobs=self.n_jobs, backend="multiprocessing")(delayed(_fields_batch)(c) for c in chunks)
        out: list[Fields | None] = [None] * len(rows)
        for i, part in enumerate(parts):
            out[i::self.n_jobs * 4] = part
        return out


class FieldSelector(BaseEstimator, TransformerMixin):
    def __init__(self, field: str):
        self.field = field

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [getattr(f, self.field) for f in X]


class HintFeatures(BaseEstimator, TransformerMixin):
    """Taxonomy keyword hints, in the title area and in the body, one column per item each."""

    def __init__(self, taxonomy: str = "ita2565"):
        self.taxonomy = taxonomy

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        t = load_taxonomy(self.taxonomy)
        rows = [
            [min(item.hint_score(f.head_text), 3.0) / 3.0 for item in t.items]
            + [min(item.hint_score(f.body_text), 3.0) / 3.0 for item in t.items]
            for f in X
        ]
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float32))


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _words_vectorizer(field: str, max_features: int) -> Pipeline:
    return Pipeline([
        ("select", FieldSelector(field)),
        ("tfidf", TfidfVectorizer(analyzer=_identity, ngram_range=(1, 1), min_df=2, max_features=max_features,
                                  sublinear_tf=True, dtype=np.float32)),
    ])


def _chars_vectorizer(field: str, max_features: int, ngrams: tuple[int, int]) -> Pipeline:
    return Pipeline([
        ("select", FieldSelector(field)),
        ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=ngrams, min_df=2, max_features=max_features,
                                  sublinear_tf=True, dtype=np.float32)),
    ])


def build_pipeline(taxonomy: str = "ita2565", n_jobs: int = 2, alpha: float = 1e-4, seed: int = 0) -> Pipeline:
    """The uncalibrated model: features and a linear classifier (scores, not probabilities)."""
    features = FeatureUnion(
        [
            ("head_words", _words_vectorizer("head_words", 4000)),
            ("body_words", _words_vectorizer("body_words", 10000)),
            ("head_chars", _chars_vectorizer("head_text", 8000, (2, 4))),
            ("body_chars", _chars_vectorizer("body_text", 16000, (3, 4))),
            ("filename", _chars_vectorizer("filename", 1500, (2, 4))),
            ("hints", HintFeatures(taxonomy)),
        ],
        transformer_weights={"head_words": 1.2, "body_words": 0.8, "head_chars": 1.2, "body_chars": 0.8,
                             "filename": 0.25, "hints": 2.0},
    )
    classifier = SGDClassifier(loss="hinge", alpha=alpha, max_iter=10, tol=None, n_jobs=n_jobs, random_state=seed)
    return Pipeline([("fields", DocumentFields(n_jobs)), ("features", features), ("classifier", classifier)])


class ScoreCalibrated(BaseEstimator, ClassifierMixin):
    """Probabilities as softmax(a_k * score_k + b_k), fitted on documents the model did
    not train on ("vector scaling").

    One-vs-rest hinge scores are not comparable across classes: each class has its own
    scale and offset. Two numbers per class put them on one scale; that is too few to
    learn the held-out documents themselves, so the evaluation on other documents of the
    same held-out phrasings stays honest. Fitted on unfamiliar phrasings, 0.9 means 90%
    right on unfamiliar documents, not on near-copies of the training set.
    """

    def __init__(self, estimator, l2: float = 1e-3):
        self.estimator = estimator
        self.l2 = l2

    def fit(self, X, y: Sequence[str]):
        scores = np.asarray(self.estimator.decision_function(X), dtype=np.float64)
        self.classes_ = self.estimator.classes_
        index = {c: i for i, c in enumerate(self.classes_)}
        onehot = np.zeros_like(scores)
        onehot[np.arange(len(y)), [index[label] for label in y]] = 1.0
        k, n = scores.shape[1], scores.shape[0]

        def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
            a, b = params[:k], params[k:]
            z = scores * a + b
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            nll = -np.sum(onehot * np.log(p + 1e-12)) / n
            dz = (p - onehot) / n
            reg = self.l2 * (np.sum((a - 1) ** 2) + np.sum(b ** 2))
            grad = np.concatenate([(dz * scores).sum(axis=0) + 2 * self.l2 * (a - 1),
                                   dz.sum(axis=0) + 2 * self.l2 * b])
            return nll + reg, grad

        start = np.concatenate([np.ones(k), np.zeros(k)])
        result = minimize(loss, start, jac=True, method="L-BFGS-B")
        self.scale_, self.offset_ = result.x[:k], result.x[k:]
        return self

    def predict_proba(self, X) -> np.ndarray:
        z = np.asarray(self.estimator.decision_function(X), dtype=np.float64) * self.scale_ + self.offset_
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def calibrate(pipeline: Pipeline, X, y: Sequence[str]) -> ScoreCalibrated:
    return ScoreCalibrated(pipeline).fit(X, y)


def shrink(pipeline: Pipeline) -> Pipeline:
    """float32 weights: halves the saved model and changes no decision that matters."""
    clf = pipeline.named_steps["classifier"]
    clf.coef_ = clf.coef_.astype(np.float32)
    clf.intercept_ = clf.intercept_.astype(np.float32)
    for _, transformer in pipeline.named_steps["features"].transformer_list:
        if isinstance(transformer, Pipeline):
            transformer.named_steps["tfidf"].stop_words_ = None
    return pipeline


def labels_for(items: Sequence[str | None]) -> list[str]:
    return [NONE_LABEL if i is None else i for i in items]


def item_of(label: str) -> str | None:
    return None if label == NONE_LABEL else label
