"""Thai digits on scans: Tesseract finds them, our glyph reader reads them."""
from __future__ import annotations

import numpy as np
from PIL import ImageFont
from pdf_factory import font_path, make_scanned_pdf

from classifiers.fiscal_year import read_fiscal_year
from intake.extract import extract_text
from intake.thai_digits import ThaiDigitReader, default_reader, digit_runs, glyphs
from models import build_thai_digits


def _rendered(text: str, font: str = "Laksaman", pixels: int = 60) -> np.ndarray:
    face = ImageFont.truetype(str(font_path(font)), size=pixels)
    return np.asarray(build_thai_digits.render(text, face, pad=10)) < 128


def test_the_reader_reads_digits_and_refuses_letters():
    reader = default_reader()
    assert reader.read_glyphs([g.image for g in glyphs(_rendered("๒๕๖๔"))]) == "๒๕๖๔"
    assert reader.read_glyphs([g.image for g in glyphs(_rendered("๑๗๘๙", "Garuda"))]) == "๑๗๘๙"
    assert reader.read_glyphs([g.image for g in glyphs(_rendered("กขค"))]) is None


def test_runs_are_matched_to_tesseracts_boxes_or_not_at_all():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    row = "5\t1\t1\t1\t1\t{n}\t{left}\t10\t30\t12\t90\t{text}"
    tsv = "\n".join([header, row.format(n=1, left=0, text="ปี"), row.format(n=2, left=40, text="๒๕๒๕")])
    (run,) = digit_runs("ปี ๒๕๒๕", tsv)
    assert (run.start, run.end, run.box.left, run.box.right) == (3, 7, 40, 70)
    # Tesseract's text and boxes disagree on the digits: nothing is re-read.
    assert digit_runs("ปี ๒๕๒๕ ๑", tsv) == []


def test_a_scanned_year_in_thai_digits_is_read_right_and_trusted(tmp_path):
    # Tesseract alone reads this year as ๒๕๒๕ (๖ as ๒, ๔ as ๕).
    page = ("รายงานผลการดำเนินงาน รอบ ๖ เดือน\nประจำปีงบประมาณ พ.ศ. ๒๕๖๔\n"
            "ข้อมูลระหว่างวันที่ ๑ ตุลาคม ๒๕๖๓ ถึงวันที่ ๓๑ มีนาคม ๒๕๖๔\nองค์การบริหารส่วนตำบลบ้านใหม่")
    path = make_scanned_pdf(tmp_path / "scan.pdf", [page], font="Laksaman", size=16, seed=3)
    extracted = extract_text(path)
    text = extracted.pages[0].text
    assert extracted.pages[0].method == "ocr"
    assert "๒๕๖๔" in text and "๒๕๖๓" in text and "๒๕๒๕" not in text
    assert not extracted.pages[0].unconfirmed_digits
    reading = read_fiscal_year([text], extracted.unconfirmed_digits)
    assert reading.fiscal_year == 2564 and reading.confidence >= 0.9


def test_the_reader_is_built_from_the_installed_fonts(tmp_path):
    assert build_thai_digits.main(["--into", str(tmp_path), "--skip-held-out", "--strips", "40"]) == 0
    reader = ThaiDigitReader.load(tmp_path / "thai_digits.joblib")
    assert reader.metadata["font_files"] >= 13
    assert reader.read_glyphs([g.image for g in glyphs(_rendered("๒๕๖๖", "Norasi"))]) == "๒๕๖๖"
