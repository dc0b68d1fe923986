"""Extraction on real PDFs: generated ones with known text, and the real broken corpus."""
from __future__ import annotations

import difflib
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from pdf_factory import make_pua_pdf, make_sara_am_broken_pdf, make_scanned_pdf, make_text_pdf

from intake.document import UnreadablePDF
from intake.extract import ExtractionLimits, check_pdf_file, extract_text

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"

PAGES = [
    "ประกาศสำนักงานเทศบาลตำบลบ้านใหม่ อำเภอเมือง จังหวัดเชียงใหม่\n"
    "เรื่อง มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. 2565\n"
    "เพื่อให้การดำเนินงานของสำนักงานเป็นไปด้วยความโปร่งใส ตรวจสอบได้ และเป็นธรรม",
    "จึงกำหนดแนวทางการปฏิบัติงานสำหรับเจ้าหน้าที่ทุกคน ให้ถือปฏิบัติอย่างเคร่งครัด\n"
    "ผู้ใหญ่บ้านป่าไม้ฟื้นฟูพื้นที่ ญาติพี่น้องประชาชนร่วมกันทำงานเพื่อชุมชน\n"
    "คู่มือสำหรับประชาชน การขอรับบริการน้ำอุปโภคบริโภค สำเนาบัตรประจำตัวประชาชน",
]
SCAN_TEXT = ["ประกาศสำนักงานเทศบาลตำบลบ้านใหม่\nเรื่อง การจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. 2565"]


def squeeze(text: str) -> str:
    """Text without whitespace: line wrapping is the PDF's business, not the content."""
    return re.sub(r"\s+", "", text)


def char_error_rate(expected: str, actual: str) -> float:
    expected, actual = squeeze(expected), squeeze(actual)
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    edits = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return edits / max(1, len(expected))


@pytest.mark.parametrize(
    "build",
    [
        make_text_pdf,
        make_pua_pdf,
        lambda path, pages: make_sara_am_broken_pdf(path, pages, "am_to_aa"),
        lambda path, pages: make_sara_am_broken_pdf(path, pages, "aa_to_am"),
    ],
    ids=["clean", "pua", "am_to_aa", "aa_to_am"],
)
def test_text_layers_are_read_and_repaired_exactly(tmp_path, build):
    path = build(tmp_path / "doc.pdf", PAGES)
    extracted = extract_text(path)
    assert [p.method for p in extracted.pages] == ["text", "text"]
    assert [squeeze(p.text) for p in extracted.pages] == [squeeze(p) for p in PAGES]
    assert all(p.quality > 0.85 for p in extracted.pages)
    assert extracted.text.count("\f") == 1


def test_a_scan_is_read_by_ocr(tmp_path):
    path = make_scanned_pdf(tmp_path / "scan.pdf", SCAN_TEXT)
    extracted = extract_text(path)
    assert extracted.method == "ocr" and extracted.ocr_pages == 1
    assert char_error_rate(SCAN_TEXT[0], extracted.pages[0].text) < 0.08


def test_a_junk_latin_layer_is_replaced_by_ocr_page_by_page(tmp_path):
    text_part = make_text_pdf(tmp_path / "text.pdf", PAGES[:1])
    scan_part = make_scanned_pdf(tmp_path / "scan.pdf", SCAN_TEXT, junk_text_layer=True)
    mixed = pdfium.PdfDocument.new()
    for part in (text_part, scan_part):
        source = pdfium.PdfDocument(str(part))
        mixed.import_pages(source)
        source.close()
    mixed.save(str(tmp_path / "mixed.pdf"))
    mixed.close()
    extracted = extract_text(tmp_path / "mixed.pdf")
    assert [p.method for p in extracted.pages] == ["text", "ocr"]
    assert extracted.method == "mixed"
    assert "สำนักงานเทศบาล" in extracted.pages[1].text


def test_a_blank_page_is_empty_text_not_ocr(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.output(str(tmp_path / "blank.pdf"))
    extracted = extract_text(tmp_path / "blank.pdf")
    assert [(p.method, p.text) for p in extracted.pages] == [("text", "")]


def test_a_short_text_page_keeps_its_text_layer(tmp_path):
    path = make_text_pdf(tmp_path / "short.pdf", ["หน้าที่สอง อำเภอ"])
    assert [(p.method, p.text) for p in extract_text(path).pages] == [("text", "หน้าที่สอง อำเภอ")]


def test_pages_limits_reading_to_the_first_pages(tmp_path):
    path = make_text_pdf(tmp_path / "doc.pdf", PAGES)
    assert len(extract_text(path, pages=1).pages) == 1


# --- bad input -------------------------------------------------------------------


def _reason(path: Path, limits: ExtractionLimits = ExtractionLimits()) -> str:
    with pytest.raises(UnreadablePDF) as caught:
        extract_text(path, limits)
    assert str(caught.value).startswith(path.name)  # a sentence about the file
    return caught.value.reason


def test_empty_file(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert _reason(tmp_path / "empty.pdf") == "empty"


def test_not_a_pdf_whatever_the_extension(tmp_path):
    (tmp_path / "page.pdf").write_bytes("<html><body>ไม่พบหน้า</body></html>".encode())
    assert _reason(tmp_path / "page.pdf") == "not_pdf"


def test_truncated_copy(tmp_path):
    whole = make_text_pdf(tmp_path / "whole.pdf", PAGES).read_bytes()
    (tmp_path / "half.pdf").write_bytes(whole[: len(whole) // 2])
    assert _reason(tmp_path / "half.pdf") == "truncated"


def test_trailing_padding_after_eof_is_not_truncation(tmp_path):
    path = make_text_pdf(tmp_path / "padded.pdf", PAGES)
    path.write_bytes(path.read_bytes() + b"\0" * 5000 + b"\r\n")
    check_pdf_file(path)


def test_corrupt_structure(tmp_path):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    assert _reason(tmp_path / "bad.pdf") == "corrupt"


def test_password_protected(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica")
    pdf.cell(text="secret")
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.output(str(tmp_path / "locked.pdf"))
    assert _reason(tmp_path / "locked.pdf") == "encrypted"


def test_no_pages(tmp_path):
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>"]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<</Size 3/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    (tmp_path / "nopages.pdf").write_bytes(body)
    assert _reason(tmp_path / "nopages.pdf") == "no_pages"


def test_too_many_pages(tmp_path):
    path = make_text_pdf(tmp_path / "long.pdf", PAGES)
    assert _reason(path, ExtractionLimits(max_pages=1)) == "too_many_pages"


def test_time_limit(tmp_path):
    path = make_text_pdf(tmp_path / "doc.pdf", PAGES)
    assert _reason(path, ExtractionLimits(timeout_seconds=0)) == "timeout"


# --- the real corpus -------------------------------------------------------------

BROKEN_SPELLINGS = ["ตาบล", "สานักงาน", "อาเภอ", "ประชำชน", "ยุทธศำสตร์", "กาหนด", "จัดทาแผน", "องค์กำร", "ต าบล"]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("04_strategic_plan.pdf", ["องค์การบริหารส่วนตำบลไทรย้อย", "จัดทำแผนยุทธศาสตร์", "อำนาจ"]),
        ("07_service_manual.pdf", ["สำหรับประชาชน", "องค์การบริหารส่วนตำบล", "สำเนาบัตรประจำตัวประชาชน"]),
        ("21_integrity_measures.pdf", ["สำนักงานสาธารณสุขอำเภอหนองใหญ่", "ประจำปีงบประมาณ"]),
    ],
)
def test_real_broken_text_layers_are_repaired(name, expected):
    extracted = extract_text(REAL / name)
    assert extracted.method == "text"
    text = extracted.text
    for word in BROKEN_SPELLINGS:
        assert word not in text, word
    for phrase in expected:
        assert phrase in text, phrase


@pytest.mark.parametrize(
    "name, expected",
    [
        ("03_strategic_plan.pdf", ["องค์การบริหารส่วนตำบล", "รัฐธรรมนูญ"]),
        ("08_service_manual.pdf", ["ภาษี", "ป้าย"]),
    ],
)
def test_real_junk_text_layers_are_ocrd_as_thai(name, expected):
    extracted = extract_text(REAL / name, pages=1)
    page = extracted.pages[0]
    assert page.method == "ocr"
    assert page.quality > 0.7
    for phrase in expected:
        assert phrase in page.text, phrase


def test_every_junk_page_of_a_legacy_font_document_is_ocrd():
    # Pages of figures and punctuation in the legacy font ("2. -73ก6%") once passed
    # as readable and kept their junk.
    extracted = extract_text(REAL / "03_strategic_plan.pdf")
    assert [p.method for p in extracted.pages] == ["ocr"] * len(extracted.pages)
    assert all(p.quality > 0.85 for p in extracted.pages)


def test_upper_marks_stay_with_their_words():
    # At 300 dpi Tesseract cut the tone marks of this font off into lines of debris
    # (ท้องถิ่น → ท้องถิน, หน้าที่ → หน้าที); read at letter size they stay.
    text = extract_text(REAL / "03_strategic_plan.pdf", pages=1).pages[0].text
    assert text.count("ท้องถิ่น") > 2 * text.count("ท้องถิน")
    assert "อำนาจหน้าที่" in text and "รัฐธรรมนูญแห่ง" in text


def test_a_sideways_scan_is_turned_upright():
    page = extract_text(REAL / "08_service_manual.pdf", pages=1).pages[0]
    assert "เป็นภาษีที่จัดเก็บจากป้ายแสดงชื่อ" in page.text
    assert page.quality > 0.9
