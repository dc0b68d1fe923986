import pytest

from classifiers.fiscal_year import read_fiscal_year


@pytest.mark.parametrize(
    "pages, year, end",
    [
        (["แผนปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๕"], 2565, None),
        (["แผนปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ.2565"], 2565, None),
        (["รายงานผลการใช้จ่ายงบประมาณ ปีงบ 64"], 2564, None),
        (["นโยบายไม่รับของขวัญ ประจำปี 2566"], 2566, None),
        (["รายงานการกำกับติดตาม (ข้อมูล ณ วันที่ 31 มีนาคม 2565)"], 2565, None),
        (["สรุปผลการจัดซื้อจัดจ้าง ประจำเดือน ต.ค. 64"], 2565, None),
        (["สรุปผลการจัดซื้อจัดจ้าง ประจำเดือนมีนาคม 2565"], 2565, None),
        (["รอบ 6 เดือน ระหว่าง 1 ต.ค. 2564 – 31 มี.ค. 2565"], 2565, None),
        (["แผนพัฒนาท้องถิ่น (พ.ศ. 2566-2570)"], 2566, 2570),
        (["แผนยุทธศาสตร์ พ.ศ. ๒๕๖๖ – ๒๕๗๐"], 2566, 2570),
        (["แผนพัฒนาบุคลากร ปี 2566 ถึง 2570"], 2566, 2570),
        (["คำสั่ง ที่ 12/2565 ให้ไว้ ณ วันที่ 15 ตุลาคม 2564"], 2565, None),
        (["โครงสร้างการแบ่งส่วนราชการ สำนักงานเขตบางรัก"], None, None),
        (["ป ีงบประมาณ ๒๕๗๐"], 2570, None),  # a stray space inside a word
        (["ให้ไว้ ณ วันที่ 3 กรกฎาคม พ .ศ. 2567"], 2567, None),
        (["แผนปฏิบัติการป้องกันการทุจริต ปี ๒๕๖๖"], 2566, None),
        (["นโยบายไม่รับของขวัญ ประจำปี 66"], 2566, None),
        (["รายงานสถิติการให้บริการ ไตรมาส 2/2565"], 2565, None),
        (["สถิติเรื่องร้องเรียน (ไตรมาส 1-2/65)"], 2565, None),
        (["รายงานการจัดซื้อจัดจ้าง 1 - 31 ตุลาคม 2564\nลงวันที่ 5 พฤศจิกายน 2564"], 2565, None),
    ],
)
def test_readings(pages, year, end):
    r = read_fiscal_year(pages)
    assert (r.fiscal_year, r.fiscal_year_end) == (year, end), r
    assert 0.0 <= r.confidence <= 1.0


def test_stated_year_beats_dates():
    r = read_fiscal_year(["รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2564\nประกาศ ณ วันที่ 20 ตุลาคม 2564"])
    assert r.fiscal_year == 2564
    assert "2564" in r.evidence


def test_report_maps_to_its_period_not_its_signing_day():
    pages = ["รายงานผลการใช้จ่ายงบประมาณ\nตั้งแต่วันที่ 1 ตุลาคม 2563 ถึงวันที่ 30 กันยายน 2564",
             "ลงวันที่ 15 พฤศจิกายน 2564"]
    assert read_fiscal_year(pages).fiscal_year == 2564


def test_title_beats_a_quoted_year_on_a_later_page():
    pages = ["แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2566"] + ["เปรียบเทียบกับปีงบประมาณ 2565"] * 3
    assert read_fiscal_year(pages).fiscal_year == 2566


def test_law_year_is_not_the_documents_year():
    r = read_fiscal_year(["กฎหมายที่เกี่ยวข้อง\nพระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. 2560"])
    assert r.fiscal_year is None
    page = ("๑ | พระราชบัญญัติเทศบาล พ.ศ. ๒๔๙๖ และที่แก้ไขเพิ่มเติมถึง (ฉบับที่ ๑๔) พ.ศ. ๒๕๖๒ | PDF\n"
            "๒ | เทศบัญญัติ เรื่อง ตลาด พ.ศ. ๒๕๖๐ | PDF\nปรับปรุงล่าสุด ๒๐ ธ.ค. ๒๕๖๔")
    assert read_fiscal_year([page]).fiscal_year == 2565  # the page's own date, not the laws'


def test_evidence_is_kept():
    r = read_fiscal_year(["สรุปผล (ข้อมูล ณ วันที่ 31 มี.ค. 65)"])
    assert r.fiscal_year == 2565 and r.evidence


def test_an_unconfirmed_thai_digit_year_from_ocr_is_a_guess_for_review():
    # Tesseract reads ๖ as ๒: "๒๕๖๕" comes out "๒๕๒๕".
    page = ["รายงานผลการดำเนินงาน\nประจำปีงบประมาณ พ.ศ. ๒๕๒๕"]
    from_text_layer = read_fiscal_year(page)
    from_ocr = read_fiscal_year(page, {0: ("๒๕๒๕",)})
    assert from_text_layer.fiscal_year == 2525 and from_text_layer.confidence > 0.9
    assert from_ocr.fiscal_year == 2565 and from_ocr.confidence < 0.6
    # A figure in a table the reader could not confirm casts no doubt on a year it did.
    with_figures = read_fiscal_year(["ประจำปีงบประมาณ พ.ศ. ๒๕๖๕\nงบประมาณ ๔๕๐ บาท"], {0: ("๔๕๐",)})
    assert with_figures.fiscal_year == 2565 and with_figures.confidence > 0.9


def test_no_year_found_on_a_page_with_unconfirmed_thai_digits_is_unsure():
    assert read_fiscal_year(["ช่องทางการติดต่อ ปีงบประมาณ พ.ศ. ๒๕๐"], {0: ("๒๕๐",)}).confidence < 0.6
    assert read_fiscal_year(["ช่องทางการติดต่อ โทร 0 2281 1234"]).confidence >= 0.9


def test_a_browser_print_stamp_is_not_evidence():
    r = read_fiscal_year(["15/1/65 10:42 แจ้งเบาะแสการทุจริต - สำนักงานเขตคลองสามวัง\nหน้าแรก | ติดต่อเรา"])
    assert r.fiscal_year is None
    assert read_fiscal_year(["กฎหมายที่เกี่ยวข้อง\nhttps://dds.bangkok.go.th/law    12/1/2021, 11:20 AM"]).fiscal_year is None
    assert read_fiscal_year(["e-Service บริการออนไลน์\nhttps://www.huathale.go.th/eservice   1/1   2/3/2022"]).fiscal_year is None


def test_a_span_referred_to_in_the_body_is_not_the_documents_period():
    title = "รายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี ๒๕๖๕\n(๑ ตุลาคม ๒๕๖๔ – ๓๐ กันยายน ๒๕๖๕)\n"
    body = "ผลการดำเนินงานด้านต่าง ๆ ของบุคลากรทุกระดับ " * 8 + "ตามแผนพัฒนาบุคลากร ๓ ปี (๒๕๖๔ - ๒๕๖๖)"
    r = read_fiscal_year([title + body])
    assert (r.fiscal_year, r.fiscal_year_end) == (2565, None)


def test_a_stated_first_year_joins_the_plans_span():
    r = read_fiscal_year(["แผนกลยุทธ์การบริหารทรัพยากรบุคคล\nพ.ศ. 2566 – 2570\nเริ่มใช้ปีงบประมาณ พ.ศ. 2566\nปีงบประมาณ 2566"])
    assert (r.fiscal_year, r.fiscal_year_end) == (2566, 2570)


def test_a_plans_span_on_its_first_pages_beats_a_year_stated_in_passing_later():
    pages = ["บทที่ 1 บทนำ\nแผนยุทธศาสตร์การพัฒนา ระยะ 5 ปี (พ.ศ. 2551-2555) ภายใต้การมีส่วนร่วมของประชาคม "
             + "การพัฒนาท้องถิ่นอย่างยั่งยืน " * 30] + ["รายละเอียดโครงการ"] * 11 + ["อ้างอิงงบประมาณ ปีงบประมาณ 2548"]
    r = read_fiscal_year(pages)
    assert (r.fiscal_year, r.fiscal_year_end) == (2551, 2555)


def test_a_year_in_the_body_does_not_outweigh_the_plans_span():
    page = ("แผนยุทธศาสตร์ ระยะ ๕ ปี (พ.ศ. ๒๕๖๑ - ๒๕๖๕)\nเป้าหมายภายในปี ๒๕๖๕ ประชาชนได้รับบริการ"
            "ครบถ้วน และภายในปี ๒๕๖๕ ทุกชุมชนมีแผนของตนเอง")
    assert (read_fiscal_year([page]).fiscal_year, read_fiscal_year([page]).fiscal_year_end) == (2561, 2565)


def test_a_bare_year_is_proposed_for_review_not_ignored():
    r = read_fiscal_year(["แผนการจัดซื้อจัดจ้าง 2566\nหน่วยงาน สำนักงานเขตบางรัก"])
    assert r.fiscal_year == 2566 and r.evidence == "2566"
    assert r.confidence < 0.5
    # An amount is not a year, and a law's year is not the document's.
    assert read_fiscal_year(["ค่าวัสดุ 2560 บาท"]).fiscal_year is None
    assert read_fiscal_year(["ติดต่อ โทร. 0 2565 1234"]).fiscal_year is None
    # A table of laws with the year each was enacted names no year of its own.
    assert read_fiscal_year(["ชื่อกฎหมาย | ปีที่ประกาศ\nกฎหมายว่าด้วยการอำนวยความสะดวก | 2558\n"
                             "กฎหมายว่าด้วยการบริหารงานบุคคล | 2554"]).fiscal_year is None
    assert read_fiscal_year(["พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล (ฉบับที่ 7) 2562"]).fiscal_year is None


def test_the_date_of_a_cited_document_is_not_the_documents_own():
    letter = ("ตามหนังสือกรมบัญชีกลาง ด่วนที่สุด ที่ กค 0405.2/ว 119 ลงวันที่ 7 มีนาคม 2561 "
              "ได้กำหนดแนวทางการเผยแพร่ข้อมูล\nจึงเรียนมาเพื่อโปรดทราบ\n5 มกราคม 2565")
    r = read_fiscal_year([letter])
    assert r.fiscal_year == 2565 and r.confidence >= 0.5
    # Dated only by what it cites: a guess for a person, not a year to file under.
    cited_only = read_fiscal_year(["ตามมติคณะรัฐมนตรีเมื่อวันที่ 5 ธันวาคม 2560 ให้หน่วยงานของรัฐดำเนินการ"])
    assert cited_only.fiscal_year == 2561 and cited_only.confidence < 0.5


def test_a_long_law_title_and_its_amendments_are_the_laws_years():
    page = ("อำนาจหน้าที่ขององค์การบริหารส่วนตำบลห้วยทราย\nตามพระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล "
            "พ.ศ. ๒๕๓๗ และที่แก้ไขเพิ่มเติม ถึง (ฉบับที่ ๗) พ.ศ. ๒๕๖๒ ดังนี้")
    assert read_fiscal_year([page]).fiscal_year is None
    cited = ("ตามที่ประกาศคณะกรรมการพนักงานส่วนตำบลจังหวัดนครราชสีมา เรื่อง หลักเกณฑ์และเงื่อนไขเกี่ยวกับ"
             "การบริหารงานบุคคล พ.ศ. ๒๕๔๔\nประกาศ ณ วันที่ ๒๒ พฤศจิกายน พ.ศ. ๒๕๖๔")
    assert read_fiscal_year([cited]).fiscal_year == 2565


def test_the_titles_year_is_not_outvoted_by_last_years_results():
    page = ("มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน\nประจำปีงบประมาณ พ.ศ. 2564\n"
            "ส่วนที่ 1 ผลการประเมิน ITA ปีงบประมาณ พ.ศ. 2563\nในปีงบประมาณ พ.ศ. 2563 ได้คะแนน 84.37\n"
            "ผลการประเมินปีงบประมาณ พ.ศ. 2563 จำแนกรายตัวชี้วัด")
    assert read_fiscal_year([page]).fiscal_year == 2564
    # A project that prepares a plan names the plan's span first, its own year after.
    project = "รายงานผลโครงการประชาคมเพื่อจัดทำแผนพัฒนาท้องถิ่น (พ.ศ. 2566 – 2570)\nประจำปีงบประมาณ พ.ศ. 2565"
    assert read_fiscal_year([project]).fiscal_year_end is None


def test_a_cited_date_in_the_title_area_does_not_outvote_the_signing():
    policy = ("นโยบายไม่รับของขวัญ\nตามที่คณะรัฐมนตรีได้มีมติเมื่อวันที่ ๒๐ ธันวาคม ๒๕๕๓ เห็นชอบมาตรการ\n"
              + "ข้อปฏิบัติของเจ้าหน้าที่\n" * 30 + "ประกาศ ณ วันที่ ๑ ตุลาคม พ.ศ. ๒๕๖๗")
    assert read_fiscal_year([policy]).fiscal_year == 2568


def test_an_announcement_cited_below_the_title_is_a_rule_not_the_documents_year():
    table = ("กฎหมายที่เกี่ยวข้องกับการปฏิบัติงาน สำนักการโยธา\n" + "ลำดับ | ชื่อกฎหมาย | ประเภท\n" * 20
             + "18 | ประกาศกรุงเทพมหานคร เรื่อง หลักเกณฑ์การขออนุญาตใช้ทางสาธารณะ พ.ศ. 2561 | ประกาศ")
    assert read_fiscal_year([table]).fiscal_year is None
    own = "ประกาศสำนักงานเขตบางรัก เรื่อง นโยบายไม่รับของขวัญ พ.ศ. 2565\nเจ้าหน้าที่ทุกคนต้องปฏิบัติ"
    assert read_fiscal_year([own]).fiscal_year == 2565


def test_the_links_to_other_pages_under_a_printed_web_page_are_not_its_year():
    page = ("หน้าแรก > ข่าวประชาสัมพันธ์ > ข่าวกิจกรรม\nโรงพยาบาลออกหน่วยฉีดวัคซีนเชิงรุก\n"
            "โพสต์เมื่อ 22 ธ.ค. 64 | โดย งานประชาสัมพันธ์\n\nข่าวที่เกี่ยวข้อง\n"
            "- กิจกรรมวันเอดส์โลก ประจำปี 2564      1 ธ.ค. 64")
    assert read_fiscal_year([page]).fiscal_year == 2565


def test_dates_alone_that_disagree_on_the_year_are_a_guess_for_review():
    page = "กิจกรรมจิตอาสาพัฒนาชุมชน สิงหาคม 2565\nผู้เข้าร่วม 25 คน\nวันที่ 3 ตุลาคม 2565"
    r = read_fiscal_year([page])
    assert r.fiscal_year in (2565, 2566) and r.confidence < 0.5
    # Dates that agree, or a stated year above them, still decide.
    assert read_fiscal_year(["กิจกรรมจิตอาสาพัฒนาชุมชน สิงหาคม 2565\nวันที่ 3 กันยายน 2565"]).confidence >= 0.5
    stated = read_fiscal_year(["รายงานผล ประจำปีงบประมาณ พ.ศ. 2565\nวันที่ 3 ตุลาคม 2565"])
    assert stated.fiscal_year == 2565 and stated.confidence >= 0.5


def test_the_terms_in_a_history_table_are_not_the_documents_period():
    page = ("ทำเนียบผู้บริหาร โรงพยาบาลบ้านนา\nนายแพทย์สมชาย ใจดี ผู้อำนวยการ\n" + "ข้อมูลผู้บริหาร\n" * 20
            + "ทำเนียบผู้อำนวยการ (อดีต - ปัจจุบัน)\n1 | นพ.ก | พ.ศ. 2530 - 2538\n2 | นพ.ข | พ.ศ. 2538 - 2549\n"
            "3 | นพ.ค | พ.ศ. 2561 - ปัจจุบัน\nปรับปรุงข้อมูลล่าสุด 1 มิถุนายน 2565")
    r = read_fiscal_year([page])
    assert (r.fiscal_year, r.fiscal_year_end) == (2565, None) and r.confidence >= 0.5
    # A plan's own span at its head still decides, whatever plans it lists after.
    plan = ("แผนยุทธศาสตร์ พ.ศ. 2566 - 2570\n" + "ความเชื่อมโยง\n" * 20 + "ยุทธศาสตร์ชาติ (พ.ศ. 2561 - 2580)\n"
            "แผนฉบับเดิม (พ.ศ. 2561 - 2565)\nแผนพัฒนาฯ ฉบับที่ 13 (พ.ศ. 2566 - 2570)")
    own = read_fiscal_year([plan])
    assert (own.fiscal_year, own.fiscal_year_end) == (2566, 2570)


@pytest.mark.parametrize(
    "page, year",
    [
        ("ประจำปีงบประมาณ Wea. 2565\nแผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)", 2565),
        ("ประกาศ ณ วันที่ ๑ ตุลาคม WA. ๒๕๖๔", 2565),
        ("นโยบายไม่รับของขวัญ\nประกาศ ณ วันที่ 3 มีนาคม ‘wa, 2566", 2566),
        # OCR drops tone marks: "ข้อบัญญัติ" read as "ขอบัญญัติ" is still a law's title.
        ("กฎหมายที่เกี่ยวข้อง\n" + "ลำดับ | ชื่อ\n" * 20 + "15 | ขอบัญญัติกรุงเทพมหานคร เรื่อง การขุดดิน พ.ศ. 2548", None),
    ],
)
def test_what_ocr_makes_of_the_era_and_of_law_titles(page, year):
    assert read_fiscal_year([page]).fiscal_year == year


def test_the_plan_a_document_helps_to_make_is_not_its_period():
    letter = ("ที่ ชบ 52302/ว 031\nเทศบาลตำบลบ่อวิน\n2 กุมภาพันธ์ 2560\n"
              "เรื่อง ขอเชิญร่วมประชุมประชาคมท้องถิ่นเพื่อจัดทำแผนพัฒนาท้องถิ่นสี่ปี (พ.ศ. 2561 - 2564)\nเรียน ประธานชุมชน")
    r = read_fiscal_year([letter])
    assert (r.fiscal_year, r.fiscal_year_end) == (2560, None)


def test_an_unconfirmed_year_is_read_as_its_likelier_value_before_its_span_is_judged():
    # Tesseract read ๒๕๖๕ as ๒๕๒๕, and the digit reader could not confirm it.
    plan = ("แผนพัฒนาบุคลากร ระยะ ๕ ปี (พ.ศ. ๒๕๒๕ - ๒๕๖๙)\n" + "ส่วนที่ ๑ บทนำ\n" * 20
            + "ข้าราชการเกษียณจำนวนมากในช่วง พ.ศ. ๒๕๖๖-๒๕๖๘")
    r = read_fiscal_year([plan], {0: ("๒๕๒๕",)})
    assert (r.fiscal_year, r.fiscal_year_end) == (2565, 2569) and r.confidence < 0.5


def test_a_garbled_year_in_the_title_leaves_the_rest_a_guess():
    # The title's span lost a digit ("๒๕๗๐" read "๒๕๐"): the year stated below is the old plan's.
    pages = ["แผนยุทธศาสตร์ ระยะ ๕ ปี (พ.ศ. ๒๕๖๖ - ๒๕๐)", "แผนฉบับเดิมสิ้นสุดในปีงบประมาณ พ.ศ. ๒๕๖๕"]
    assert read_fiscal_year(pages, {0: ("๒๕๐",)}).confidence < 0.5
    assert read_fiscal_year(pages).confidence >= 0.5
    # Letters where the title's year belongs are OCR's reading of Thai digits too.
    lettered = ["แผนพัฒนาบุคลากร พ.ศ. Wedd", "แผนฉบับเดิมสิ้นสุดในปีงบประมาณ พ.ศ. ๒๕๖๕"]
    assert read_fiscal_year(lettered).confidence < 0.5
    # The title's own year, read and confirmed, still decides.
    titled = ["รายงานผล ประจำปีงบประมาณ พ.ศ. ๒๕๖๖\nอ้างถึง ๒๕๐"]
    assert read_fiscal_year(titled, {0: ("๒๕๐",)}).confidence >= 0.5


def test_a_law_whose_name_ocr_garbled_is_still_a_law():
    table = ("กฎหมายที่เกี่ยวข้อง\n" + "ลำดับ | ชื่อ\n" * 20
             + "3.2 wie ะราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐")
    assert read_fiscal_year([table]).fiscal_year is None
