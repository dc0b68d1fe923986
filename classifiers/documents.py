"""A document with its confirmed labels: what training and evaluation consume."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabelledDocument:
    pages: tuple[str, ...]
    filename: str
    item: str | None  # "O23", or None for none of the items
    fiscal_year: int | None = None
    fiscal_year_end: int | None = None
    # 0-based numbers of pages whose OCR'd Thai digits the digit reader could not confirm
    unsure_digit_pages: frozenset[int] = frozenset()
