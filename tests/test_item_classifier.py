"""The item model end to end on a small corpus (kept small so the suite stays fast)."""
import json

import pytest

from classifiers import DocumentClassifier, LabelledDocument, train_item_model
from classifiers.corpus import generate

SMALL = {"size": 1500, "validation_size": 600}

# A kind of document the generator never writes: a person files it under O33 in review.
CONFIRMED = [
    LabelledDocument(
        ("ขอขอบคุณอาสาสมัครพิทักษ์คลองที่ร่วมเก็บผักตบชวา ณ คลอง" + place + "\nกิจกรรมจิตอาสาพัฒนาคลอง ปีงบประมาณ 2565",),
        f"thanks{i}.pdf", "O33", 2565)
    for i, place in enumerate(["แสนแสบ", "ลาดพร้าว", "บางซื่อ", "เปรมประชากร", "ประเวศบุรีรมย์"])
]
SIMILAR = ["ขอขอบคุณอาสาสมัครพิทักษ์คลองที่ร่วมเก็บผักตบชวา ณ คลองบางลำพู\nกิจกรรมจิตอาสาพัฒนาคลอง ปีงบประมาณ 2566"]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "base.joblib"
    summary = train_item_model([], path, **SMALL)
    return DocumentClassifier.load(path), summary


def test_summary_says_what_it_trained_on(baseline):
    _, summary = baseline
    assert summary["documents"] == SMALL["size"]
    assert sum(summary["per_item"].values()) == SMALL["size"]
    assert summary["seconds"] > 0
    json.dumps(summary)


def test_classification_shape(baseline):
    classifier, _ = baseline
    doc = generate(1, seed=11, split="eval")[0]
    c = classifier.classify(doc.pages, doc.filename)
    assert len(c.item.candidates) == 3
    scores = [x.score for x in c.item.candidates]
    assert scores == sorted(scores, reverse=True)
    assert 0.0 <= c.item.confidence <= 1.0
    assert c.item.item == c.item.candidates[0].item


def test_better_than_chance_on_unseen_phrasings(baseline):
    classifier, _ = baseline
    docs = generate(200, seed=12, split="eval")
    predictions = classifier.predict_items([(list(d.pages), d.filename) for d in docs])
    right = sum(p.item == d.item for p, d in zip(predictions, docs))
    assert right / len(docs) > 0.5


def test_should_file_uses_stored_thresholds(baseline):
    classifier, _ = baseline
    assert set(classifier.thresholds) == {"item", "fiscal_year"}
    doc = generate(1, seed=13)[0]
    c = classifier.classify(doc.pages, doc.filename)
    strict = DocumentClassifier(classifier.model, {"item": 1.01, "fiscal_year": 0.0})
    assert not strict.should_file(c)
    lax = DocumentClassifier(classifier.model, {"item": 0.0, "fiscal_year": 0.0})
    assert lax.should_file(c)


def test_a_correction_changes_similar_documents(baseline, tmp_path):
    classifier, _ = baseline
    before = classifier.classify(SIMILAR)
    assert before.item.item != "O33"
    path = tmp_path / "corrected.joblib"
    summary = train_item_model(CONFIRMED, path, **SMALL)
    assert summary["confirmed_documents"] == len(CONFIRMED)
    after = DocumentClassifier.load(path).classify(SIMILAR)
    assert after.item.item == "O33"


def test_classify_is_fast(baseline):
    import time

    classifier, _ = baseline
    docs = generate(20, seed=14, split="eval")
    classifier.classify(docs[0].pages)
    start = time.perf_counter()
    for d in docs:
        classifier.classify(d.pages, d.filename)
    assert (time.perf_counter() - start) / len(docs) < 0.25  # generous: CI machines are slow
