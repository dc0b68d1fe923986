"""Thai digits on scanned pages, read again by a glyph classifier of our own.

Tesseract's ``tha`` model reads most Thai digits as other Thai digits (๖ as ๒ or ๐,
๔ ๘ ๙ as ๕: "๒๕๖๔" comes back as "๒๕๒๕"), and the digits are what dates and fiscal
years are made of. Tesseract does find where the digits are, so each run of Thai
digits it reports is cut out of the full-resolution page, split into glyphs by
connected components, and every glyph is classified by a small model trained on
rendered TLWG glyphs (``python -m models.build_thai_digits``). A run is replaced only
when every glyph is a confident Thai digit; otherwise Tesseract's reading stays.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import joblib
import numpy as np
from PIL import Image
from scipy import ndimage

DIGITS = "๐๑๒๓๔๕๖๗๘๙"
NOT_DIGIT = "x"  # the class of glyphs that are not Thai digits
GLYPH_PIXELS = 16  # side of the square a glyph is scaled into
# A glyph is read only if the model gives its class at least this probability.
MIN_GLYPH_PROBABILITY = 0.9
_RUN = re.compile("[\u0e50-\u0e59]+")


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels: left, top, right, bottom (exclusive)."""

    left: int
    top: int
    right: int
    bottom: int

    def scaled(self, factor: float) -> "Box":
        return Box(int(self.left * factor), int(self.top * factor),
                   int(np.ceil(self.right * factor)), int(np.ceil(self.bottom * factor)))


@dataclass(frozen=True)
class DigitRun:
    """A run of Thai digits in Tesseract's text and where it lies on the page."""

    start: int  # offset in the text
    end: int
    box: Box


@dataclass(frozen=True)
class Glyph:
    image: np.ndarray  # True where ink
    box: Box  # in the strip it was cut from


def glyphs(black: np.ndarray) -> list[Glyph]:
    """The glyphs of a strip, left to right: connected components, specks dropped,
    pieces stacked above one another (a broken stroke) joined."""
    labels, count = ndimage.label(black, structure=np.ones((3, 3), dtype=bool))
    if not count:
        return []
    slices = ndimage.find_objects(labels)
    heights = np.array([s[0].stop - s[0].start for s in slices])
    tallest = heights.max()
    kept = [i for i, s in enumerate(slices) if heights[i] >= 0.3 * tallest]
    kept.sort(key=lambda i: slices[i][1].start)
    groups: list[list[int]] = []
    for i in kept:
        left, right = slices[i][1].start, slices[i][1].stop
        if groups:
            g_left = min(slices[j][1].start for j in groups[-1])
            g_right = max(slices[j][1].stop for j in groups[-1])
            overlap = min(right, g_right) - max(left, g_left)
            if overlap > 0.5 * min(right - left, g_right - g_left):
                groups[-1].append(i)
                continue
        groups.append([i])
    out = []
    for group in groups:
        box = Box(min(slices[j][1].start for j in group), min(slices[j][0].start for j in group),
                  max(slices[j][1].stop for j in group), max(slices[j][0].stop for j in group))
        cut = labels[box.top: box.bottom, box.left: box.right]
        out.append(Glyph(np.isin(cut, [j + 1 for j in group]), box))
    return out


def _overlapping(found: list[Glyph], run: Box, left: int) -> list[int]:
    return [i for i, g in enumerate(found)
            if min(run.right, left + g.box.right) - max(run.left, left + g.box.left) >= 0.4 * (g.box.right - g.box.left)]


def glyphs_of_run(black: np.ndarray, run: Box) -> tuple[list[Glyph], int, int]:
    """The glyphs of the run at ``run`` (Tesseract's box on the page ``black``), and
    which of them (from, to) lie in that box.

    Tesseract's boxes clip glyphs and sometimes miss one at either end, so the run
    is grown to the glyphs of the same line set close to it (closer than a word
    space). The cut is then narrowed to the band the run's glyphs sit in: marks and
    descenders of the lines above and below, even where a speck joins them to a
    digit, are left out.
    """
    height = run.bottom - run.top
    pad_x, pad_y = max(8, 2 * height), max(2, height // 4)
    top, left = max(0, run.top - pad_y), max(0, run.left - pad_x)
    right = run.right + pad_x
    found = glyphs(black[top: run.bottom + pad_y, left: right])
    core = _overlapping(found, run, left)
    if not core:
        return [], 0, 0
    band_top = top + int(np.median([found[i].box.top for i in core]))
    band_bottom = top + int(np.median([found[i].box.bottom for i in core]))
    margin = max(2, (band_bottom - band_top) // 4)
    found = glyphs(black[max(0, band_top - margin): band_bottom + margin, left: right])
    core = _overlapping(found, run, left)
    if not core:
        return [], 0, 0
    gap = 0.35 * (band_bottom - band_top)
    first, last = core[0], core[-1]
    while first > 0 and found[first].box.left - found[first - 1].box.right <= gap:
        first -= 1
    while last < len(found) - 1 and found[last + 1].box.left - found[last].box.right <= gap:
        last += 1
    return found[first: last + 1], core[0] - first, core[-1] + 1 - first


def glyph_features(glyph: np.ndarray) -> np.ndarray:
    """The glyph scaled into a GLYPH_PIXELS square (aspect kept), and its aspect ratio."""
    height, width = glyph.shape
    scale = GLYPH_PIXELS / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = np.asarray(Image.fromarray(glyph.astype(np.uint8) * 255).resize(size, Image.BILINEAR), dtype=np.float32)
    canvas = np.zeros((GLYPH_PIXELS, GLYPH_PIXELS), dtype=np.float32)
    top, left = (GLYPH_PIXELS - size[1]) // 2, (GLYPH_PIXELS - size[0]) // 2
    canvas[top: top + size[1], left: left + size[0]] = small / 255.0
    return np.concatenate([canvas.ravel(), [np.log(width / height)]]).astype(np.float32)


class ThaiDigitReader:
    """Classifies glyph images as a Thai digit or not; ``model`` is any classifier
    with ``predict_proba`` over glyph features whose classes are DIGITS and NOT_DIGIT."""

    def __init__(self, model, metadata: dict | None = None):
        self.model = model
        self.metadata = metadata or {}

    @classmethod
    def load(cls, path: Path | None = None) -> "ThaiDigitReader":
        bundle = joblib.load(path or default_model_path())
        return cls(bundle["model"], bundle.get("metadata"))

    def save(self, path: Path) -> None:
        joblib.dump({"model": self.model, "metadata": self.metadata}, path, compress=3)

    def read_glyphs(self, glyph_images: list[np.ndarray], core: tuple[int, int] | None = None) -> str | None:
        """The digits the glyphs show, or None if any glyph is not surely a Thai digit.

        Glyphs outside ``core`` (from, to) may be something else: they are dropped
        from either end if so (a full stop or bracket set close to a number)."""
        if not glyph_images:
            return None
        proba = self.model.predict_proba(np.stack([glyph_features(g) for g in glyph_images]))
        best = proba.argmax(axis=1)
        labels = [str(self.model.classes_[i]) for i in best]
        sure = proba[np.arange(len(best)), best] >= MIN_GLYPH_PROBABILITY
        first, last = core or (0, len(labels))
        while first > 0 and labels[first - 1] != NOT_DIGIT:
            first -= 1
        while last < len(labels) and labels[last] != NOT_DIGIT:
            last += 1
        # Every glyph must be sure, those left out too: else a digit may be lost.
        if not sure.all() or NOT_DIGIT in labels[first:last]:
            return None
        return "".join(labels[first:last])


def default_model_path() -> Path:
    import models

    return Path(models.__file__).resolve().parent / "thai_digits.joblib"


@lru_cache(maxsize=1)
def default_reader() -> ThaiDigitReader:
    return ThaiDigitReader.load()


def digit_runs(text: str, tsv: str) -> list[DigitRun]:
    """The Thai-digit runs of Tesseract's text with their boxes from its TSV output.

    The TSV lists the same characters in the same order as the text, in words whose
    boxes it gives: the Thai digits of both are matched one for one. If they do not
    match, no run is returned and the text stays as Tesseract read it.
    """
    boxes: list[Box] = []
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < 12 or fields[0] != "5":
            continue
        left, top, width, height = (int(v) for v in fields[6:10])
        box = Box(left, top, left + width, top + height)
        boxes += [box] * sum(len(r) for r in _RUN.findall(fields[11]))
    runs = list(_RUN.finditer(text))
    if sum(len(m.group()) for m in runs) != len(boxes):
        return []
    out, used = [], 0
    for m in runs:
        out.append(DigitRun(m.start(), m.end(), _line_box(boxes[used: used + len(m.group())])))
        used += len(m.group())
    return out


def _line_box(boxes: list[Box]) -> Box:
    """From the left of the first box to the right of the last, as high as most of
    them: now and then Tesseract gives a digit a box reaching into the next line."""
    top = int(np.median([b.top for b in boxes]))
    bottom = int(np.median([b.bottom for b in boxes]))
    return Box(min(b.left for b in boxes), top, max(b.right for b in boxes), max(bottom, top + 1))


def reread_digits(text: str, tsv: str, page: Image.Image, factor: float,
                  reader: ThaiDigitReader | None = None) -> tuple[str, tuple[str, ...]]:
    """``text`` with each Thai-digit run read again from ``page`` (the binarised
    full-resolution image; ``factor`` scales it to the image Tesseract read), and the
    runs of two digits or more that could not be read again, as Tesseract read them."""
    if not _RUN.search(text):
        return text, ()
    runs = digit_runs(text, tsv)
    if not runs:
        return text, tuple(m.group() for m in _RUN.finditer(text) if len(m.group()) >= 2)
    reader = reader or default_reader()
    black = np.asarray(page) < 128
    pieces, last, unconfirmed = [], 0, []
    for run in runs:
        found, core_from, core_to = glyphs_of_run(black, run.box.scaled(1 / factor))
        reading = reader.read_glyphs([g.image for g in found], (core_from, core_to))
        as_read = text[run.start: run.end]
        # A day of the month or a list number does not change a fiscal year; a year does.
        if reading is None and len(as_read) >= 2:
            unconfirmed.append(as_read)
        pieces += [text[last: run.start], reading or as_read]
        last = run.end
    pieces.append(text[last:])
    return "".join(pieces), tuple(unconfirmed)
