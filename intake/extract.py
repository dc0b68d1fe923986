"""PDF → pages of normalised Thai text: the text layer where it reads, OCR where not.

Every page is judged on its own: a document may mix good text pages, scanned
pages and pages set in a legacy font whose text layer is junk.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from intake.document import ExtractedText, Page, UnreadablePDF
from intake.ocr import OCRTimeout, ocr_pages
from intake.thai_text import repair_pages, thai_word_share

# Below this share of readable words a text layer is junk (a legacy font, a
# scanner's Latin garbage); clean Thai pages score above 0.85.
MIN_TEXT_QUALITY = 0.5
# A page with an image and fewer characters than this is a scan.
MIN_TEXT_CHARS = 20
HEADER_WINDOW = 1024
TAIL_WINDOW = 2048
_ENCRYPT = re.compile(rb"/Encrypt\b")
_EMPTY_PAGE_TREE = re.compile(rb"/Count\s+0\b")
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?!s)\b")


@dataclass(frozen=True)
class ExtractionLimits:
    max_pages: int = 500
    timeout_seconds: float = 900.0
    ocr_workers: int = os.cpu_count() or 1
    ocr_dpi: int = 300


def check_pdf_file(path: Path) -> None:
    """Cheap checks on the bytes, before any parsing. Raises ``UnreadablePDF``."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise UnreadablePDF("empty", f"{path.name} is empty (0 bytes).")
    with path.open("rb") as handle:
        head = handle.read(HEADER_WINDOW)
        if b"%PDF-" not in head:
            raise UnreadablePDF("not_pdf", f"{path.name} is not a PDF: its content does not start with a PDF header.")
        # Some writers pad the end with whitespace or NULs after %%EOF.
        handle.seek(max(0, size - 16 * TAIL_WINDOW))
        tail = handle.read().rstrip(b"\x00\t\n\x0c\r ")
    if b"%%EOF" not in tail[-TAIL_WINDOW:]:
        raise UnreadablePDF(
            "truncated",
            f"{path.name} is incomplete: the PDF's end-of-file marker is missing, so it was probably copied only in part.",
        )


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        # PDFium's error code is process-global and can be stale (a document with
        # no pages fails with "Success"), so the bytes decide what went wrong.
        data = path.read_bytes()
        if _ENCRYPT.search(data):
            raise UnreadablePDF(
                "encrypted", f"{path.name} is protected by a password; save an unprotected copy and add that instead."
            ) from error
        if _EMPTY_PAGE_TREE.search(data) and not _PAGE_OBJECT.search(data):
            raise UnreadablePDF("no_pages", f"{path.name} is a PDF without any pages.") from error
        raise UnreadablePDF("corrupt", f"{path.name} is damaged: its PDF structure cannot be read.") from error


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _read_text_layer(document: pdfium.PdfDocument, count: int, path: Path, deadline: float) -> tuple[list[str], set[int]]:
    """Raw text of each page, and the 1-based numbers of pages that look scanned: an image, little text."""
    texts: list[str] = []
    scanned: set[int] = set()
    for index in range(count):
        if time.monotonic() > deadline:
            raise _timeout(path)
        page = document[index]
        try:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
            if sum(1 for ch in text if not ch.isspace()) < MIN_TEXT_CHARS and _has_image(page):
                scanned.add(index + 1)
        finally:
            page.close()
        texts.append(text)
    return texts, scanned


def _timeout(path: Path) -> UnreadablePDF:
    return UnreadablePDF("timeout", f"{path.name} took longer than the time limit to read; it may be very long or a heavy scan.")


def extract_text(
    path: Path, limits: ExtractionLimits = ExtractionLimits(), pages: int | None = None
) -> ExtractedText:
    """Normalised text of every page (or of the first ``pages``). Raises ``UnreadablePDF``."""
    path = Path(path)
    started = time.monotonic()
    deadline = started + limits.timeout_seconds
    check_pdf_file(path)
    document = _open(path)
    try:
        count = len(document)
        if count == 0:
            raise UnreadablePDF("no_pages", f"{path.name} is a PDF without any pages.")
        if count > limits.max_pages:
            raise UnreadablePDF(
                "too_many_pages", f"{path.name} has {count} pages, more than the limit of {limits.max_pages}."
            )
        count = count if pages is None else min(count, pages)
        raw, scanned = _read_text_layer(document, count, path, deadline)
        texts = repair_pages(raw)
        quality = [thai_word_share(text) for text in texts]
        to_ocr = [
            number
            for number in range(1, count + 1)
            if number in scanned or (texts[number - 1].strip() and quality[number - 1] < MIN_TEXT_QUALITY)
        ]
        try:
            ocr = ocr_pages(document, to_ocr, dpi=limits.ocr_dpi, workers=limits.ocr_workers, deadline=deadline)
        except OCRTimeout as error:
            raise _timeout(path) from error
    finally:
        document.close()
    result = []
    for number in range(1, count + 1):
        text, score, method, unconfirmed = texts[number - 1], quality[number - 1], "text", ()
        if number in ocr:
            ocr_score = thai_word_share(ocr[number].text)
            if ocr_score >= score:
                text, score, method, unconfirmed = ocr[number].text, ocr_score, "ocr", ocr[number].unconfirmed_digits
        result.append(Page(number=number, method=method, text=text, quality=round(score, 3),
                           unconfirmed_digits=unconfirmed))
    return ExtractedText(pages=tuple(result), seconds=time.monotonic() - started)
