"""What classification produces for one document."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    item: str | None  # "O23", or None for "none of the items"
    score: float


@dataclass(frozen=True)
class ItemPrediction:
    item: str | None
    confidence: float  # calibrated probability that ``item`` is right
    candidates: tuple[Candidate, ...]  # top three, best first


@dataclass(frozen=True)
class FiscalYearReading:
    fiscal_year: int | None  # Buddhist Era; the first year of a span
    fiscal_year_end: int | None  # last year of a multi-year span, else None
    confidence: float
    evidence: str | None  # the text that decided, shown to reviewers


@dataclass(frozen=True)
class Classification:
    item: ItemPrediction
    fiscal_year: FiscalYearReading
