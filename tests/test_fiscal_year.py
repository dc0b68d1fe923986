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


def test_evidence_is_kept():
    r = read_fiscal_year(["สรุปผล (ข้อมูล ณ วันที่ 31 มี.ค. 65)"])
    assert r.fiscal_year == 2565 and r.evidence
