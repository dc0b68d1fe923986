"""A document with its confirmed labels: what training and evaluation consume."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class LabelledDocument:
    pages: tuple[str, ...]
    filename: str
    item: str | None  # "O23", or None for none of the items
    fiscal_year: int | None = None
    fiscal_year_end: int | None = None
    # OCR'd Thai numbers the digit reader could not confirm, by 0-based page number
    unconfirmed_digits: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
