"""The OCR stage on real rendered pages: reading size and debris lines."""
from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from pdf_factory import make_text_pdf

from intake.ocr import despeckle, fix_misreadings, is_debris, letter_height, to_reading_size


@pytest.mark.parametrize("line", [
    "๐ ๕ Yau ๓ ๕ ข 1! ca 1 ข ๑=3 A a ๐ = za ๓",  # tone marks of the line below, read apart
    "ow a y a 3 y AoA a A 1",
    "่ ้ ั",
    "๓7",
])
def test_lines_of_stray_marks_are_debris(line):
    assert is_debris(line)


@pytest.mark.parametrize("line", [
    "1 2 3 4 5", "๑ ๒ ๓", "12,000.00 5%", "ข้อ ๑ ให้", "ลำดับ ที่ วัน เดือน ปี",
    "Tel. 0 2281 1234 Fax", "จำนวนครู 1 คน จำนวนนักเรียน 176 คน", "ต.ค. 64 – มี.ค. 65",
    "Integrity and Transparency Assessment (ITA)", "ดวงนั้น ๆ",
])
def test_text_and_figures_are_not_debris(line):
    assert not is_debris(line)


def _page(tmp_path, size: int):
    path = make_text_pdf(tmp_path / f"{size}.pdf", ["ประกาศสำนักงานเทศบาลตำบลบ้านใหม่ เรื่อง การจัดซื้อจัดจ้าง"], size=size)
    document = pdfium.PdfDocument(str(path))
    image = despeckle(document[0].render(scale=300 / 72, grayscale=True).to_pil())
    document.close()
    return image


def test_large_letters_are_shrunk_to_reading_size_small_ones_left(tmp_path):
    large = _page(tmp_path, 16)
    assert 30 < letter_height(large) < 50  # 16 pt at 300 dpi
    shrunk, dpi = to_reading_size(large, 300)
    assert shrunk.width < large.width and 60 <= dpi <= 110
    assert 7 <= letter_height(shrunk) <= 13
    small = _page(tmp_path, 4)
    assert to_reading_size(small, 300) == (small, 300)


def test_words_tesseract_misreads_are_put_right():
    assert fix_misreadings("ประจำปึงบประมาณ พ.ศ. ๒๕๖๕\nในปึีงบประมาณถัดไป") == (
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕\nในปีงบประมาณถัดไป")
    assert fix_misreadings("แผนบ้องกันการทุจริต") == "แผนป้องกันการทุจริต"
    assert fix_misreadings("ปึกหนังสือ บ้าน") == "ปึกหนังสือ บ้าน"
