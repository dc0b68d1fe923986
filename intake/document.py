"""What extraction produces: the pages of one PDF as normalised text."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PageMethod = Literal["text", "ocr"]


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as a reader counts pages
    method: PageMethod  # how the text was obtained: the PDF's text layer or Tesseract
    text: str  # normalised Thai text, repaired where the text layer was broken
    quality: float  # 0..1: share of the text that reads as real words
    # OCR'd Thai numbers that the digit reader could not confirm, as Tesseract read
    # them, often wrong (๖ as ๒): the fiscal-year reader doubts a year among them.
    unconfirmed_digits: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtractedText:
    pages: tuple[Page, ...]
    seconds: float

    @property
    def text(self) -> str:
        """All pages, separated by form feeds (the plain output of ``oit extract``)."""
        return "\f".join(page.text for page in self.pages)

    @property
    def ocr_pages(self) -> int:
        return sum(1 for page in self.pages if page.method == "ocr")

    @property
    def unconfirmed_digits(self) -> dict[int, tuple[str, ...]]:
        """The unconfirmed OCR'd Thai numbers by 0-based page number (what the
        fiscal-year reader wants)."""
        return {i: page.unconfirmed_digits for i, page in enumerate(self.pages) if page.unconfirmed_digits}

    @property
    def method(self) -> str:
        """``text``, ``ocr`` or ``mixed``: how the document as a whole was read."""
        methods = {page.method for page in self.pages}
        return methods.pop() if len(methods) == 1 else "mixed" if methods else "text"


class UnreadablePDF(Exception):
    """The file cannot be used as a PDF document.

    ``reason`` is a short stable code (one of ``REJECT_REASONS``); ``str(exc)``
    is a sentence a person can act on.
    """

    def __init__(self, reason: str, message: str):
        assert reason in REJECT_REASONS, reason
        super().__init__(message)
        self.reason = reason


REJECT_REASONS = (
    "empty",  # zero bytes
    "not_pdf",  # the bytes are not a PDF, whatever the extension says
    "truncated",  # no end-of-file marker: copied only in part
    "corrupt",  # the PDF structure cannot be parsed
    "encrypted",  # needs a password
    "no_pages",
    "too_many_pages",  # over the configured page limit
    "timeout",  # over the configured time limit
)
