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
import re
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import numpy as np
import pypdfium2 as pdfium
import pytesseract
from PIL import Image
from scipy import ndimage

from intake.thai_digits import reread_digits
from intake.thai_text import normalize_text, thai_word_share

LANGUAGES = "tha+eng"
# --psm 3: automatic page segmentation, as agency pages mix headings, tables, columns.
TESSERACT_CONFIG = "--psm 3 --oem 1"
# Tesseract's orientation confidence; below this the guess is noise (a sideways
# scan scores about 20, an upright one reports rotation 0).
MIN_ORIENTATION_CONFIDENCE = 2.0
# The letter height (median, in pixels) Tesseract reads Thai best at, and the most a
# page is shrunk to get there (see ``to_reading_size``).
LETTER_PIXELS = 10
MIN_SCALE = 0.25
# Below this share of real words the page may be sideways: worth asking Tesseract.
# Sideways Thai reads as short real words ("และ", "แต") and scores about 0.6;
# upright pages score above 0.9.
MIN_UPRIGHT_QUALITY = 0.85

# A line with no two Thai letters, Latin letters or digits in a row: Tesseract
# read a row of tone marks and vowels above widely spaced lines as a line of its own.
_MARK_DEBRIS = re.compile(
    r"^(?!.*[\u0e01-\u0e30\u0e40-\u0e46][\u0e01-\u0e4e]*[\u0e01-\u0e30\u0e40-\u0e46])"
    r"(?!.*[A-Za-z]{3})(?!.*(?:[0-9]{2}|[\u0e50-\u0e59]{2})).*\S.*$"
)
# The same debris read as a scatter of short pseudo-words ("๐ ๕ Yau ๓ ๕ ข 1! ca A a"):
# Latin words that are real look like these (Tel., ITA, Data), Thai ones segment into
# dictionary words; numbers and punctuation say nothing either way.
_SOLID_LATIN = re.compile(r"^[(\[\"']?(?:[A-Za-z][a-z]{3,}|[A-Z][a-z]{2}\.|[A-Z]{2,6})[.,:;)\]\"']?$")
_NEUTRAL = re.compile(r"^[\d\u0e50-\u0e59\u0e46\u0e2f.,:;/()\[\]\-–%|\"'“”=+*•●…]+$")
_THAI = re.compile("[\u0e01-\u0e4e]")
# A row of figures ("1 2 3", "๑ ๒ ๓") is not debris; a Thai digit run into an Arabic
# one ("๓7") is.
_FIGURE = re.compile(r"^(?:[0-9.,:/()\-–%]+|[\u0e50-\u0e59.,:/()\-–%]+)$")
# Words Tesseract's Thai model misreads the same way, that are no Thai words, and that the
# item and its fiscal year hang on. Counted in 530 corpus documents made scans: the ี of
# "ปีงบประมาณ" read as ึ 41 times against 497 read right; the ป of "ป้องกัน" (as in
# "แผนป้องกันการทุจริต") read as บ 205 times against 96.
_MISREADINGS = ((re.compile("ปึี?งบ"), "ปีงบ"), (re.compile("บ้องกัน"), "ป้องกัน"))
DEBRIS_MAX_SOLID_SHARE = 0.3
SOLID_THAI_QUALITY = 0.7


def _is_solid(token: str) -> bool:
    if _THAI.search(token):
        return len(token) >= 2 and thai_word_share(token) >= SOLID_THAI_QUALITY
    return bool(_SOLID_LATIN.match(token)) and len(set(token.strip("()[].,:;\"'"))) > 1


def fix_misreadings(text: str) -> str:
    """Words Tesseract misreads the same way often enough to matter, put right."""
    for misread, word in _MISREADINGS:
        text = misread.sub(word, text)
    return text


def is_debris(line: str) -> bool:
    """A line of OCR output that is stray marks and specks, not text."""
    tokens = line.split()
    if all(_FIGURE.match(t) for t in tokens):
        return False
    if _MARK_DEBRIS.match(line):
        return True
    counted = [t for t in tokens if not _NEUTRAL.match(t)]
    if len(counted) < 2:
        return False
    return sum(_is_solid(t) for t in counted) <= DEBRIS_MAX_SOLID_SHARE * len(counted)


_pdfium_lock = threading.Lock()


@dataclass(frozen=True)
class OCRText:
    text: str
    # Numbers of two Thai digits or more that the digit reader could not confirm
    # remain as Tesseract read them, which is wrong more often than not.
    unconfirmed_digits: tuple[str, ...]


class OCRTimeout(Exception):
    """The time budget ran out before every page was read."""


class OCRUnavailable(OSError):
    """Tesseract or its Thai data is not installed: a fault of the machine, not of the PDF."""


@lru_cache(maxsize=1)
def check_tesseract() -> None:
    """Raises ``OCRUnavailable``; a success is remembered (an exception is not cached)."""
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


def despeckle(image: Image.Image) -> Image.Image:
    """Binarise and drop isolated dots: scanner speckle that Tesseract reads as marks.

    A median filter does this too but also erases Thai tone marks, which are
    only two or three pixels wide at 300 dpi; a lone pixel has at most one
    like-coloured neighbour, a stroke pixel has more.
    """
    black = np.asarray(image.convert("L")) < 128
    padded = np.pad(black, 1).astype(np.uint8)
    neighbours = sum(
        padded[1 + dy: padded.shape[0] - 1 + dy, 1 + dx: padded.shape[1] - 1 + dx]
        for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx
    )
    cleaned = (black & (neighbours > 1)) | (~black & (neighbours >= 7))
    return Image.fromarray(np.where(cleaned, 0, 255).astype(np.uint8))


def letter_height(image: Image.Image) -> float:
    """Median height in pixels of the letters on a binarised page (0 if none)."""
    black = np.asarray(image) < 128
    labels, _ = ndimage.label(black)
    boxes = ndimage.find_objects(labels)
    if not boxes:
        return 0.0
    heights = np.array([b[0].stop - b[0].start for b in boxes])
    widths = np.array([b[1].stop - b[1].start for b in boxes])
    # Specks, rules and frames are not letters.
    letters = (heights >= 4) & (widths >= 4) & (heights <= 4 * np.median(heights) + 8) & (widths <= 200)
    return float(np.median(heights[letters])) if letters.any() else 0.0


def to_reading_size(image: Image.Image, dpi: int) -> tuple[Image.Image, int]:
    """The page scaled so that its letters are about LETTER_PIXELS high, and its new dpi.

    Tesseract's line finder cuts Thai upper marks off into a line of their own when
    letters are large (ท้องถิ่น read as ท้องถิน under a line of debris); at this size the
    marks stay with their line. Measured on scans in five TLWG fonts at 10, 16 and 22 pt:
    read at 300 dpi, 3.0% CER on average (worst 4.3%); with letters of 10 pixels, 1.2%
    (worst 1.8%). Pages are never enlarged.
    """
    height = letter_height(image)
    if height <= 0:
        return image, dpi
    factor = min(1.0, max(MIN_SCALE, LETTER_PIXELS / height))
    if factor > 0.9:
        return image, dpi
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.LANCZOS), max(1, round(dpi * factor))


def _rotation(image, dpi: int, timeout: float) -> int:
    """Degrees to turn the page upright if Tesseract is sure it lies sideways or upside down, else 0."""
    try:
        osd = pytesseract.image_to_osd(
            image, config=f"--psm 0 --dpi {dpi}", output_type=pytesseract.Output.DICT, timeout=timeout
        )
    except pytesseract.TesseractError:
        return 0  # too little text to tell
    return osd["rotate"] if osd["orientation_conf"] >= MIN_ORIENTATION_CONFIDENCE else 0


def _tesseract(image, dpi: int, timeout: float) -> tuple[str, str]:
    """Tesseract's text and its TSV (word boxes) from one run."""
    from pytesseract.pytesseract import run_tesseract, save

    with save(image) as (base, input_file):
        run_tesseract(input_file, base, "txt", LANGUAGES,
                      config=f"{TESSERACT_CONFIG} --dpi {dpi} -c tessedit_create_tsv=1", timeout=timeout)
        with open(base + ".txt", encoding="utf-8") as text, open(base + ".tsv", encoding="utf-8") as tsv:
            return text.read(), tsv.read()


def _recognise(image, dpi: int, timeout: float, page: Image.Image) -> OCRText:
    """``page``: the binarised page at full resolution, which ``image`` is a scaled copy of."""
    text, tsv = _tesseract(image, dpi, timeout)
    text, unconfirmed = reread_digits(text, tsv, page, image.width / page.width)
    lines = (line for line in fix_misreadings(normalize_text(text)).split("\n") if not is_debris(line))
    return OCRText("\n".join(lines), unconfirmed)


def _read(document: pdfium.PdfDocument, number: int, dpi: int, timeout: float) -> OCRText:
    started = time.monotonic()
    page = despeckle(_render(document, number, dpi))
    image, reading_dpi = to_reading_size(page, dpi)
    result = _recognise(image, reading_dpi, timeout, page)
    quality = thai_word_share(result.text)
    # Orientation detection costs as much as reading a page, so it is only asked
    # for when the upright reading is poor: sideways leaflets are the exception.
    if quality >= MIN_UPRIGHT_QUALITY:
        return result
    remaining = timeout - (time.monotonic() - started)
    rotate = _rotation(image, reading_dpi, max(1.0, remaining)) if remaining > 1 else 0
    if not rotate:
        return result
    # The letter size is measured again upright: sideways, heights are letter widths.
    upright = page.rotate(-rotate, expand=True, fillcolor=255)
    turned, reading_dpi = to_reading_size(upright, dpi)
    retry = _recognise(turned, reading_dpi, max(1.0, timeout - (time.monotonic() - started)), upright)
    return retry if thai_word_share(retry.text) > quality else result


def ocr_pages(
    document: pdfium.PdfDocument,
    numbers: Iterable[int],
    *,
    dpi: int = 300,
    workers: int = os.cpu_count() or 1,
    deadline: float | None = None,
) -> dict[int, OCRText]:
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

    results: dict[int, OCRText] = {}
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
