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
from scipy.optimize import minimize_scalar
from sklearn.calibration import CalibratedClassifierCV
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from classifiers.taxonomy import load_taxonomy
from classifiers.text import compact, normalise, repair

NONE_LABEL = "none"  # the class of documents that are none of the items
HEAD_CHARS = 300
BODY_CHARS = 2400  # characters read for n-grams: of the first page, then of the next ones
FIRST_PAGE_CHARS = 1200
NEXT_PAGE_CHARS = 600
WORD_CHARS = 800  # characters tokenised: newmm is the slowest step
# Years, amounts and reference numbers say nothing about the item; short numbers do
# ("รอบ 6 เดือน", "สขร.1", "31 มีนาคม", "ระยะ 5 ปี") and the taxonomy hints look for them.
_DIGITS = re.compile(r"\d{3,}")
_NOT_WORD = re.compile(r"^[\W_]+$")
# A first page that is a foreword, a table of contents or the start of chapter 1 (a long
# document without its cover): it has no title, the next page says more.
_FRONT_MATTER = re.compile(r"^(?:คำนำ|สารบัญ|บทนำ|บทท(?:ี่|ี)?\s*[1๑])\s*(?:บทนำ)?\s*$", re.M)


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


# Letterhead, contact lines, reference numbers, dates, page marks and signatures appear in
# every kind of document: they are not allowed to stand in for the title area.
_MONTH_WORDS = ("มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม|"
                r"ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.")
_CONTACT = re.compile(r"@|www\.|https?://|\.go\.th|\.ac\.th|\.or\.th|e-?mail|อีเมล|ไปรษณีย์อิเล็กทรอนิกส์", re.I)
_ADDRESS = re.compile(r"(?<!\d)\d{5}(?!\d)|เลขที่\s*\d|ถนน\S*\s|ซอย\S*\s.*\d|(?:แขวง|ตำบล)\S+\s+(?:เขต|อำเภอ)|"
                      r"(?:โทร|fax|tel|โทรสาร|แฟกซ์)\S{0,8}\s*[:.]?\s*0|^ที่\s+\S+\s*\d+\s*/\s*\d+|^ส่วนราชการ\s", re.I)
_PAGE_MARK = re.compile(r"^(?:-\s*\d+\s*-|หน้า\s*\d+(?:\s*(?:จาก|/)\s*\d+)?|\d+\s*/\s*\d+|\d+)$")
_DATE_LINE = re.compile(rf"^(?:วันที่|ลงวันที่|ประกาศ ณ|ให้ไว้ ณ|สั่ง ณ|\d{{1,2}}\s*(?:{_MONTH_WORDS}))")
# A name in brackets under a signature has no digits; "(แบบ สขร. 1)" is a title line.
_SIGNATURE = re.compile(r"^\(?ลงชื่อ\)?|^\((?!.*\d).{0,40}\)$|^ตำแหน่ง\s")


def is_boilerplate(line: str) -> bool:
    """A line that any agency document could carry whatever it is about."""
    line = line.strip()
    if not line:
        return True
    if _CONTACT.search(line) or _PAGE_MARK.match(line) or _SIGNATURE.search(line):
        return True
    if re.search(r"\d", line) and _ADDRESS.search(line):
        return True
    return len(line) < 45 and bool(_DATE_LINE.match(line))


def title_area(page: str, limit: int = HEAD_CHARS) -> str:
    """The first lines of a page that are not letterhead, contacts, dates or page marks."""
    out, used = [], 0
    for line in repair(page).splitlines():
        if is_boilerplate(line):
            continue
        if out and limit <= HEAD_CHARS and (len(out) >= 4 or len(line.strip()) > 120):
            break  # the title is over where the running text starts
        out.append(line)
        used += len(line)
        if used >= limit:
            break
    return _model_text(" ".join(out))[:limit]


def document_fields(pages: Sequence[str], filename: str = "") -> Fields:
    # The first page says most, but in a long plan or report page 1 is often a
    # foreword or an introduction: the next pages get a say too.
    body = ""
    for number, page in enumerate(pages):
        if len(body) >= BODY_CHARS:
            break
        body += " " + _model_text(page)[: FIRST_PAGE_CHARS if number == 0 else NEXT_PAGE_CHARS]
    body = body[:BODY_CHARS]
    title_page = pages[1] if len(pages) > 1 and _FRONT_MATTER.match(pages[0].lstrip()) else (pages[0] if pages else "")
    head = title_area(title_page)
    readable = title_area(title_page, WORD_CHARS)
    words = _words(readable[:WORD_CHARS])
    # The title area's words are the leading words of the readable text: tokenise once.
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
    """Taxonomy keyword hints found in one text field, one column per item."""

    def __init__(self, field: str = "head_text", taxonomy: str = "ita2565"):
        self.field = field
        self.taxonomy = taxonomy

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        items = load_taxonomy(self.taxonomy).items
        rows = [[min(item.hint_score(getattr(f, self.field)), 3.0) / 3.0 for item in items] for f in X]
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float32))


# Blank forms and the reports made from them share their words ("แบบสอบถามความพึงพอใจ"):
# what tells them apart is boxes and dotted lines to fill in, against figures.
_BLANKS = re.compile(r"☐|□|○|\[\]|\(\)|\.{5,}|_{4,}|…{2,}|\|\|")
_FIGURES = re.compile(r"\d+\.\d+|\d+%|ร้อยละ\d")


class FormFeatures(BaseEstimator, TransformerMixin):
    """How much of the body is left to fill in and how much is results."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        rows = [[np.log1p(len(pattern.findall(f.body_text))) / 3.0 for pattern in (_BLANKS, _FIGURES)] for f in X]
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


def build_pipeline(taxonomy: str = "ita2565", n_jobs: int = 2, alpha: float = 5e-4, seed: int = 0) -> Pipeline:
    """Features and a linear classifier with cross-validated probabilities."""
    features = FeatureUnion(
        [
            ("head_words", _words_vectorizer("head_words", 4000)),
            ("body_words", _words_vectorizer("body_words", 10000)),
            ("head_chars", _chars_vectorizer("head_text", 8000, (2, 4))),
            ("body_chars", _chars_vectorizer("body_text", 16000, (3, 4))),
            ("filename", _chars_vectorizer("filename", 1500, (2, 4))),
            ("title_hints", HintFeatures("head_text", taxonomy)),
            ("body_hints", HintFeatures("body_text", taxonomy)),
            ("form", FormFeatures()),
        ],
        transformer_weights={"head_words": 1.2, "body_words": 0.8, "head_chars": 1.2, "body_chars": 0.8,
                             "filename": 0.25, "title_hints": 2.0,
                             # Running text names other items too ("ตามอำนาจหน้าที่"): a weak cue.
                             "body_hints": 0.3, "form": 1.0},
    )
    # Sigmoids fitted by cross-validation put the one-vs-rest scores on one scale. Six
    # averaged passes read the independent corpora as well as eight did, in 8 s less.
    classifier = CalibratedClassifierCV(
        SGDClassifier(loss="hinge", alpha=alpha, max_iter=6, tol=None, average=True, n_jobs=n_jobs,
                      random_state=seed),
        method="sigmoid", cv=2, ensemble=False,
    )
    return Pipeline([("fields", DocumentFields(n_jobs)), ("features", features), ("classifier", classifier)])


class Sharpened(BaseEstimator, ClassifierMixin):
    """Probabilities raised to the power 1/T and renormalised, T fitted on documents
    written in phrasings the model never saw.

    The cross-validated sigmoids of the classifier step are fitted on familiar phrasings;
    one temperature fitted on unfamiliar ones corrects their overall over- or
    under-confidence. A single number cannot learn the held-out documents themselves.
    """

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y: Sequence[str]):
        return self.fit_proba(self.estimator.predict_proba(X), y)

    def fit_proba(self, proba: np.ndarray, y: Sequence[str]) -> "Sharpened":
        """Fit on the estimator's probabilities for ``y``'s documents, already computed."""
        logp = np.log(np.clip(proba, 1e-9, 1.0))
        self.classes_ = self.estimator.classes_
        index = {c: i for i, c in enumerate(self.classes_)}
        target = np.array([index[label] for label in y])

        def nll(log_t: float) -> float:
            z = logp / np.exp(log_t)
            z -= z.max(axis=1, keepdims=True)
            return float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(z)), target]))

        self.temperature_ = float(np.exp(minimize_scalar(nll, bounds=(-3, 3), method="bounded").x))
        return self

    def sharpen(self, proba: np.ndarray) -> np.ndarray:
        z = np.log(np.clip(proba, 1e-9, 1.0)) / self.temperature_
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def predict_proba(self, X) -> np.ndarray:
        return self.sharpen(self.estimator.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def shrink(pipeline: Pipeline) -> Pipeline:
    """float32 weights: halves the saved model and changes no decision that matters."""
    for calibrated in pipeline.named_steps["classifier"].calibrated_classifiers_:
        linear = calibrated.estimator
        linear.coef_ = linear.coef_.astype(np.float32)
        linear.intercept_ = linear.intercept_.astype(np.float32)
    return pipeline


def labels_for(items: Sequence[str | None]) -> list[str]:
    return [NONE_LABEL if i is None else i for i in items]


def item_of(label: str) -> str | None:
    return None if label == NONE_LABEL else label
