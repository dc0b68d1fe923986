"""Repair of Thai text as broken PDF text layers and Tesseract deliver it."""
from __future__ import annotations

import pytest
from pdf_factory import word_pua_form

from intake.thai_text import (
    _pua_table,
    detect_confusion,
    normalize_text,
    repair_pages,
    repair_text,
    thai_word_share,
)

# An ITA-style notice: plenty of ำ and า, the letters the broken fonts confuse.
NOTICE = (
    "ประกาศสำนักงานเทศบาลตำบลบ้านใหม่ อำเภอเมือง จังหวัดเชียงใหม่\n"
    "เรื่อง มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. 2565\n"
    "เพื่อให้การดำเนินงานของสำนักงานเป็นไปด้วยความโปร่งใส ตรวจสอบได้ และเป็นธรรม\n"
    "จึงกำหนดแนวทางการปฏิบัติงานสำหรับเจ้าหน้าที่ทุกคน ให้ถือปฏิบัติอย่างเคร่งครัด\n"
    "ผู้ใหญ่บ้านป่าไม้ฟื้นฟูพื้นที่ ญาติพี่น้องประชาชนร่วมกันทำงานเพื่อชุมชน\n"
    "คู่มือสำหรับประชาชน การขอรับบริการน้ำอุปโภคบริโภค สำเนาบัตรประจำตัวประชาชน"
)


def test_pua_table_follows_harfbuzz_not_the_circulating_table():
    table = _pua_table()
    assert table[0xF700] == "\u0e10"  # ฐ without descender, not ก
    assert table[0xF70F] == "\u0e0d"  # ญ without descender
    assert table[0xF711] == "\u0e4d"  # nikhahit shifted left
    assert table[0xF884] == "\u0e31"  # Mac mai han-akat
    assert len(table) == 54
    assert all("\u0e01" <= ch <= "\u0e4e" for ch in table.values())


@pytest.mark.parametrize("line", NOTICE.split("\n"))
def test_word_pua_form_is_restored_exactly(line):
    broken = word_pua_form(line)
    assert broken != line
    assert normalize_text(broken) == line


def test_sara_am_and_tone_order_are_recomposed():
    assert normalize_text("\u0e01\u0e4d\u0e48\u0e32") == "ก่ำ"
    assert normalize_text("น\u0e49\u0e4d\u0e32ท\u0e4d\u0e32") == "น้ำทำ"


def test_space_before_a_mark_is_removed():
    assert normalize_text("คูมอ ื") == "คูมอื"
    assert normalize_text("ที ่ดิน") == "ที่ดิน"


def test_spaced_nikhahit_becomes_sara_am():
    assert normalize_text("ส านักงานสาธารณสุขอ าเภอ") == "สำนักงานสาธารณสุขอำเภอ"
    assert normalize_text("ส ำนักปลัด น้ ำ") == "สำนักปลัด น้ำ"


def test_line_breaks_and_control_characters():
    assert normalize_text("ก\r\nข\x08ค\ufffe\n  ง  ") == "ก\nขค\nง"


def test_every_sara_am_read_as_sara_aa_is_undone():
    broken = NOTICE.replace("ำ", "า")
    assert detect_confusion(broken) == "am_to_aa"
    assert repair_text(broken) == NOTICE


def test_every_sara_aa_read_as_sara_am_is_undone():
    broken = NOTICE.replace("า", "ำ")
    assert detect_confusion(broken) == "aa_to_am"
    assert repair_text(broken) == NOTICE


def test_clean_text_is_left_alone():
    assert detect_confusion(NOTICE) is None
    assert repair_text(NOTICE) == NOTICE


def test_confusion_is_decided_on_the_whole_document():
    # The first page alone has too little to judge; the document as a whole does.
    broken = [p.replace("ำ", "า") for p in ("ทางาน", NOTICE)]
    assert repair_pages(broken) == ["ทำงาน", NOTICE]


def test_thai_word_share_separates_text_from_junk():
    assert thai_word_share(NOTICE) > 0.9
    assert thai_word_share("Integrity and Transparency Assessment 2022 (ITA)") > 0.9
    # The text layers of the real corpus's legacy-font page and junk-Latin scan:
    assert thai_word_share('1.3 ()ก\t%&\t\tก . -\tก.0% 0ก$0"/&<6กก &.(. 2548 %0ก0671ก$0"/&< %0-7 1.#.กก&<') < 0.5
    assert thai_word_share("EEjB fri Ed)=+ hro -5 El F 'la -- it -aJ -b.-aFr t -t?r13") < 0.5
    assert thai_word_share("") == 0.0


def test_figures_and_punctuation_do_not_make_junk_readable():
    # A page of the real corpus's legacy-font layer: mostly digits and punctuation.
    assert thai_word_share("2. -\t\t73ก6%\n2.1 \t,\n-&\n1!\n6. -0-7\n1. ก6- 6$\n2. %\nก64&0 >\n3. ก.6 .\n1") < 0.5
    # A clean table of figures has nothing unreadable in it.
    assert thai_word_share("1,250,000.00 15% 2.5 (30)") == 1.0
