"""One document's path through the pipeline, without side effects:
PDF file → pages of normalised text → O-item and fiscal year."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifiers import DocumentClassifier
from classifiers.labels import Classification, FiscalYearReading, ItemPrediction
from intake.document import ExtractedText
from intake.extract import ExtractionLimits, extract_text

log = logging.getLogger("oit.pipeline")


@dataclass(frozen=True)
class Analysis:
    extracted: ExtractedText
    classification: Classification
    confident: bool  # above the thresholds for filing without a person
    seconds: float

    def index_fields(self) -> dict[str, Any]:
        """What the index keeps of the extraction."""
        return {
            "pages": len(self.extracted.pages),
            "ocr_pages": self.extracted.ocr_pages,
            "extraction_method": self.extracted.method,
            "text": self.extracted.text,
            "seconds": round(self.seconds, 3),
        }

    def as_json(self, file: str) -> dict[str, Any]:
        """The contract's line of ``oit classify``."""
        item, reading = self.classification.item, self.classification.fiscal_year
        return {
            "file": file,
            "item": item.item,
            "item_confidence": round(item.confidence, 4),
            "fiscal_year": reading.fiscal_year,
            "fiscal_year_end": reading.fiscal_year_end,
            "fiscal_year_confidence": round(reading.confidence, 4),
            "candidates": [
                {"item": c.item, "score": round(c.score, 4)} for c in item.candidates
            ],
            "pages": len(self.extracted.pages),
            "ocr_pages": self.extracted.ocr_pages,
            "seconds": round(self.seconds, 3),
            "fiscal_year_evidence": reading.evidence,
            "status": "filed" if self.confident else "review",
        }


def analyse(path: Path, classifier: DocumentClassifier, limits: ExtractionLimits) -> Analysis:
    """Raises ``UnreadablePDF`` when the file cannot be used."""
    started = time.perf_counter()
    extracted = extract_text(path, limits)
    try:
        classification = classifier.classify(
            [page.text for page in extracted.pages], path.name, unconfirmed_digits=extracted.unconfirmed_digits)
        confident = classifier.should_file(classification)
    except Exception as error:
        # The file itself is fine: keep it, unlabelled, for a person to decide.
        log.exception("classification of %s failed", path)
        classification, confident = unlabelled(f"classification failed: {error}"), False
    return Analysis(
        extracted=extracted,
        classification=classification,
        confident=confident,
        seconds=time.perf_counter() - started,
    )


def unlabelled(evidence: str) -> Classification:
    return Classification(
        item=ItemPrediction(item=None, confidence=0.0, candidates=()),
        fiscal_year=FiscalYearReading(None, None, 0.0, evidence),
    )


def error_json(file: str, error: str) -> dict[str, Any]:
    """The line of ``oit classify`` for a file that could not be read."""
    return {
        "file": file,
        "error": error,
        "item": None,
        "item_confidence": None,
        "fiscal_year": None,
        "fiscal_year_end": None,
        "fiscal_year_confidence": None,
        "candidates": [],
        "pages": None,
        "ocr_pages": None,
        "seconds": None,
    }
