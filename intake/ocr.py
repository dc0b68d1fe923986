"""The one place Tesseract runs: pages rendered with pypdfium2, read as ``tha+eng``.

Each page is one Tesseract process, limited to one thread (``OMP_THREAD_LIMIT=1``:
Tesseract's own threading gains little and fights the page-level parallelism).
The pool that spreads pages over the cores is a pool of threads that each drive
one Tesseract process: the work happens in the child processes, and a thread pool
also runs inside ingest's daemonic worker processes, where a multiprocessing pool
may not start children. PDFium is not thread-safe, so rendering takes a lock.
"""
from __future__ import annotations

import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Iterable

import pypdfium2 as pdfium
import pytesseract

from intake.thai_text import normalize_text

LANGUAGES = "tha+eng"
# --psm 3: automatic page segmentation, as agency pages mix headings, tables, columns.
TESSERACT_CONFIG = "--psm 3 --oem 1"
# Tesseract's orientation confidence; below this the guess is noise (a sideways
# scan scores about 20, an upright one reports rotation 0).
MIN_ORIENTATION_CONFIDENCE = 2.0

_pdfium_lock = threading.Lock()


class OCRTimeout(Exception):
    """The time budget ran out before every page was read."""


class OCRUnavailable(RuntimeError):
    """Tesseract or its Thai data is not installed."""


def check_tesseract() -> None:
    try:
        languages = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as error:
        raise OCRUnavailable(
            "Tesseract is not installed: install Debian's tesseract-ocr and tesseract-ocr-tha."
        ) from error
    missing = {"tha", "eng"} - languages
    if missing:
        raise OCRUnavailable(
            f"Tesseract lacks the language data {', '.join(sorted(missing))}: "
            "install Debian's tesseract-ocr-tha (and tesseract-ocr-eng)."
        )


def _render(document: pdfium.PdfDocument, number: int, dpi: int):
    with _pdfium_lock:
        page = document[number - 1]
        try:
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            image = bitmap.to_pil()
            bitmap.close()
        finally:
            page.close()
    return image


def _upright(image, dpi: int, timeout: float):
    """The image turned so that its text is upright: scanned leaflets often lie sideways."""
    try:
        osd = pytesseract.image_to_osd(
            image, config=f"--psm 0 --dpi {dpi}", output_type=pytesseract.Output.DICT, timeout=timeout
        )
    except pytesseract.TesseractError:
        return image  # too little text to tell; read it as it is
    if osd["rotate"] and osd["orientation_conf"] >= MIN_ORIENTATION_CONFIDENCE:
        return image.rotate(-osd["rotate"], expand=True, fillcolor=255)
    return image


def _read(document: pdfium.PdfDocument, number: int, dpi: int, timeout: float) -> str:
    image = _upright(_render(document, number, dpi), dpi, timeout)
    text = pytesseract.image_to_string(
        image, lang=LANGUAGES, config=f"{TESSERACT_CONFIG} --dpi {dpi}", timeout=max(1.0, timeout)
    )
    return normalize_text(text)


def ocr_pages(
    document: pdfium.PdfDocument,
    numbers: Iterable[int],
    *,
    dpi: int = 300,
    workers: int = os.cpu_count() or 1,
    deadline: float | None = None,
) -> dict[int, str]:
    """Normalised OCR text of the given 1-based pages of an open document.

    ``deadline`` is a ``time.monotonic()`` instant; past it, raises ``OCRTimeout``.
    """
    numbers = list(numbers)
    if not numbers:
        return {}
    check_tesseract()
    os.environ["OMP_THREAD_LIMIT"] = "1"

    def remaining() -> float:
        return float("inf") if deadline is None else deadline - time.monotonic()

    results: dict[int, str] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(numbers)))) as pool:
        pending: dict[Future, int] = {}
        try:
            for number in numbers:
                budget = remaining()
                if budget <= 0:
                    raise OCRTimeout()
                pending[pool.submit(_read, document, number, dpi, min(budget, 3600.0))] = number
            while pending:
                budget = remaining()
                if budget <= 0:
                    raise OCRTimeout()
                done, _ = wait(pending, timeout=min(budget, 3600.0), return_when=FIRST_COMPLETED)
                for future in done:
                    number = pending.pop(future)
                    try:
                        results[number] = future.result()
                    except RuntimeError as error:
                        # pytesseract reports its own timeout as RuntimeError("Tesseract process timeout").
                        if "timeout" in str(error).lower():
                            raise OCRTimeout() from error
                        raise
        finally:
            for future in pending:
                future.cancel()
    return results
