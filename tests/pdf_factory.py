"""Real Thai PDFs for tests and benchmarks, broken the ways agency PDFs are broken.

Every builder writes a genuine PDF with fpdf2 and a Thai TTF font from Debian's
fonts-thai-tlwg, so extraction code under test meets real text layers, real
ToUnicode maps and real images, never mocks.
"""
from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Literal

import numpy as np
import pypdfium2 as pdfium
from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image

FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")
FONT_SIZE = 16
LINE_HEIGHT_MM = 9.0
MARGIN_MM = 20.0

SARA_AA = "\u0e32"
SARA_AM = "\u0e33"
NIKHAHIT = "\u0e4d"
TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c"
UPPER_VOWELS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47\u0e4d"
LOWER_VOWELS = "\u0e38\u0e39\u0e3a"
# Consonants whose ascender collides with upper marks (ป ฝ ฟ) and whose descender
# collides with lower vowels (ญ ฐ, ฎ ฏ): the cases Word's PUA glyph swaps handle.
ASCENDER_CONSONANTS = "\u0e1b\u0e1d\u0e1f"
DESCENDER_REMOVABLE = {"\u0e0d": "\uf70f", "\u0e10": "\uf700"}
DESCENDER_KEPT = "\u0e0e\u0e0f"
# Windows PUA glyph variants, as in HarfBuzz's Thai shaper (hb-ot-shaper-thai.cc).
SHIFT_LEFT = dict(zip(TONE_MARKS + "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47\u0e4d",
                      "\uf713\uf714\uf715\uf716\uf717\uf710\uf701\uf702\uf703\uf704\uf712\uf711"))
SHIFT_DOWN = dict(zip(TONE_MARKS + LOWER_VOWELS,
                      "\uf70a\uf70b\uf70c\uf70d\uf70e\uf718\uf719\uf71a"))
SHIFT_DOWN_LEFT = dict(zip(TONE_MARKS, "\uf705\uf706\uf707\uf708\uf709"))

JUNK_LATIN = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz"


def font_path(font: str) -> Path:
    path = FONT_DIR / f"{font}.ttf"
    if not path.is_file():
        raise FileNotFoundError(f"Thai font {path} is missing: install Debian's fonts-thai-tlwg.")
    return path


def _new_pdf(font: str, compress: bool = True, size: float = FONT_SIZE) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.compress = compress
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, MARGIN_MM)
    pdf.add_font(font, fname=str(font_path(font)))
    pdf.set_font(font, size=size)
    return pdf


def _write_pages(pdf: FPDF, pages: list[str]) -> None:
    line_height = LINE_HEIGHT_MM * pdf.font_size_pt / FONT_SIZE
    # One input string is one page: a string that overflows would silently shift
    # every later page, so fail loudly instead.
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        start = pdf.page
        pdf.multi_cell(0, line_height, text)
        if pdf.page != start:
            raise ValueError(f"the text of page {number} does not fit on one page; split it.")


def make_text_pdf(path: Path | str, pages: list[str], font: str = "Garuda", size: float = FONT_SIZE) -> Path:
    """A PDF with a correct Thai text layer, one string per page (lines wrap), in ``size`` points."""
    path = Path(path)
    pdf = _new_pdf(font, size=size)
    _write_pages(pdf, pages)
    pdf.output(str(path))
    return path


def word_pua_form(text: str) -> str:
    """``text`` as Word's PDF export encodes it: ำ split, shifted marks in the PUA.

    A simplified version of the PUA fallback of HarfBuzz's Thai shaper: ำ becomes
    nikhahit (before any tone mark) + า; marks over ป ฝ ฟ shift left; tone marks
    with no upper vowel shift down; lower vowels drop the descender of ญ ฐ or
    shift down under ฎ ฏ.
    """
    text = re.sub(f"([{TONE_MARKS}]?){SARA_AM}", lambda m: NIKHAHIT + m.group(1) + SARA_AA, text)
    out: list[str] = []
    base = ""
    has_upper = False
    for ch in text:
        if ch in UPPER_VOWELS:
            out.append(SHIFT_LEFT[ch] if base in ASCENDER_CONSONANTS else ch)
            has_upper = True
        elif ch in TONE_MARKS:
            if base in ASCENDER_CONSONANTS:
                out.append(SHIFT_LEFT[ch] if has_upper else SHIFT_DOWN_LEFT[ch])
            else:
                out.append(ch if has_upper else SHIFT_DOWN[ch])
        elif ch in LOWER_VOWELS:
            if base in DESCENDER_REMOVABLE and out:
                out[-1] = DESCENDER_REMOVABLE[base]
                out.append(ch)
            else:
                out.append(SHIFT_DOWN[ch] if base in DESCENDER_KEPT else ch)
        else:
            out.append(ch)
            base, has_upper = ch, False
    return "".join(out)


def make_pua_pdf(path: Path | str, pages: list[str], font: str = "Garuda") -> Path:
    """The same text written as Word's export writes it: the text layer needs repair."""
    return make_text_pdf(path, [word_pua_form(page) for page in pages], font)


def make_sara_am_broken_pdf(
    path: Path | str,
    pages: list[str],
    direction: Literal["am_to_aa", "aa_to_am"] = "am_to_aa",
    font: str = "Garuda",
) -> Path:
    """Correct glyphs on the page, but a ToUnicode map that confuses ำ and า.

    This is what TH Sarabun-era fonts do in the real corpus: the page looks right,
    the extracted text reads every ำ as า ("am_to_aa") or every า as ำ ("aa_to_am").
    """
    if direction not in ("am_to_aa", "aa_to_am"):
        raise ValueError(f"direction must be 'am_to_aa' or 'aa_to_am', not {direction!r}")
    path = Path(path)
    pdf = _new_pdf(font, compress=False)
    _write_pages(pdf, pages)
    data = bytes(pdf.output())
    wrong, right = ("0E33", "0E32") if direction == "am_to_aa" else ("0E32", "0E33")
    # Rewrite only the glyph→Unicode entries of the ToUnicode CMaps; same length,
    # so the xref offsets stay valid.
    entry = re.compile(rb"(<[0-9A-Fa-f]{4}> *)<" + wrong.encode() + rb">")
    replacement = rb"\g<1><" + right.encode() + rb">"
    broken = 0

    def break_block(block: re.Match) -> bytes:
        nonlocal broken
        text, count = entry.subn(replacement, block.group(0))
        broken += count
        return text

    data = re.sub(rb"beginbfchar.*?endbfchar", break_block, data, flags=re.S)
    if broken == 0:
        raise ValueError("no ToUnicode entry to break: the pages must contain the letter being confused.")
    path.write_bytes(data)
    return path


def _degrade(image: Image.Image, rotate_degrees: float, noise: float, rng: np.random.Generator) -> Image.Image:
    gray = image.convert("L").rotate(rotate_degrees, resample=Image.BICUBIC, expand=False, fillcolor=255)
    pixels = np.array(gray)
    flips = rng.random(pixels.shape) < noise
    pixels[flips] = rng.choice(np.array([0, 255], dtype=np.uint8), size=int(flips.sum()))
    return Image.fromarray(pixels)


def make_scanned_pdf(
    path: Path | str,
    pages: list[str],
    dpi: int = 300,
    rotate_degrees: float = 0.7,
    noise: float = 0.02,
    seed: int = 0,
    junk_text_layer: bool = False,
    font: str = "Garuda",
    size: float = FONT_SIZE,
) -> Path:
    """An image-only PDF, like a scanner's: rasterised, slightly rotated, noisy.

    ``noise`` is the share of pixels flipped to black or white. With
    ``junk_text_layer`` an invisible Latin text layer is added, as some scanners'
    OCR leaves behind.
    """
    path = Path(path)
    clean = path.with_name(path.stem + ".clean.pdf")
    make_text_pdf(clean, pages, font, size)
    rng = np.random.default_rng(seed)
    junk = random.Random(seed)
    out = FPDF(format="A4")
    out.set_auto_page_break(False)
    document = pdfium.PdfDocument(str(clean))
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72)
            image = _degrade(bitmap.to_pil(), rotate_degrees, noise, rng)
            bitmap.close()
            page.close()
            out.add_page()
            out.image(image, x=0, y=0, w=out.w, h=out.h)
            if junk_text_layer:
                out.set_font("helvetica", size=10)
                out.text_mode = TextMode.INVISIBLE
                for line in range(20):
                    garbage = "".join(junk.choice(JUNK_LATIN) for _ in range(60))
                    out.text(MARGIN_MM, MARGIN_MM + line * 10, garbage)
                out.text_mode = TextMode.FILL
    finally:
        document.close()
        clean.unlink()
    out.output(str(path))
    return path
