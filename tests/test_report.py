"""The coverage report (issue 6) for a home built here: complete, missing, waiting,
the previous-year items and the monthly สขร.1, in every format, through the CLI."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intake.config import Home
from intake.index import Index
from intake.report import build_report, months_covered, render
from tests.test_review import REPO, store_document

AGENCY = "องค์การบริหารส่วนตำบลหนองบัว อำเภอเมือง จังหวัดขอนแก่น"


def monthly_summary(month_line: str, entries: str = "") -> list[str]:
    return [f"แบบ สขร.1\nสรุปผลการดำเนินการจัดซื้อจัดจ้าง{month_line}\n{AGENCY}\n{entries}"]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report") / "home"
    Home(root).ensure()
    filed = dict(confident=True)
    store_document(root, "โครงสร้างองค์กร.pdf", [f"แผนผังโครงสร้างส่วนราชการ\n{AGENCY}\nปี ๒๕๖๕"],
                   "O1", [("O1", 0.97)], 2565, **filed)
    store_document(root, "แผนพัฒนาท้องถิ่น.pdf", [f"แผนพัฒนาท้องถิ่น (พ.ศ. 2563 - 2567)\n{AGENCY}"],
                   "O4", [("O4", 0.95)], 2563, fiscal_year_end=2567, **filed)
    # O12 and O20 report on the year before the assessment.
    store_document(root, "ผลการดำเนินงาน 2564.pdf",
                   [f"รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๔\n{AGENCY}"],
                   "O12", [("O12", 0.93)], 2564, **filed)
    store_document(root, "ผลการใช้จ่ายงบ 2565.pdf",
                   [f"รายงานผลการใช้จ่ายงบประมาณประจำปี พ.ศ. 2565\n{AGENCY}"],
                   "O20", [("O20", 0.92)], 2565, **filed)
    store_document(root, "ข่าวประชาสัมพันธ์.pdf", [f"ข่าวประชาสัมพันธ์ กิจกรรมวันเด็ก ๒๕๖๕\n{AGENCY}"],
                   "O7", [("O7", 0.6), ("O9", 0.2)], 2565)
    store_document(root, "ไม่ทราบ.pdf", [f"บันทึกข้อความ เรื่อง ขอความอนุเคราะห์\n{AGENCY}"],
                   None, [(None, 0.4), ("O5", 0.3)], None)
    # The monthly สขร.1: October and November by their titles, December by the file
    # name, January waits for review, February and March are missing.
    store_document(root, "สขร1-a.pdf", monthly_summary(" ประจำเดือนตุลาคม ๒๕๖๔"),
                   "O23", [("O23", 0.96)], 2565, **filed)
    store_document(root, "สขร1-b.pdf", monthly_summary(" ประจำเดือน พ.ย. 64",
                                                         "ลงวันที่ 3 ธันวาคม 2564"),
                   "O23", [("O23", 0.96)], 2565, **filed)
    store_document(root, "สขร1 ธ.ค.64.pdf",
                   monthly_summary("", "สัญญาลงวันที่ 5 ธ.ค. 64\nสัญญาลงวันที่ 20 ธ.ค. 64"),
                   "O23", [("O23", 0.95)], 2565, **filed)
    store_document(root, "สขร1-d.pdf", monthly_summary(" ประจำเดือนมกราคม 2565"),
                   "O23", [("O23", 0.7), ("O22", 0.2)], 2565)
    return root


@pytest.fixture(scope="module")
def report(home: Path):
    index = Index(home / "archive/index.db")
    try:
        return build_report(index, 2565)
    finally:
        index.close()


def test_every_item_is_there_grouped_by_sub_indicator(report):
    assert len(report.items) == 43
    assert [s.code for s in report.sub_indicators] == ["9.1", "9.2", "9.3", "9.4", "9.5",
                                                       "10.1", "10.2"]
    assert report.sub_indicators[0].title == "ข้อมูลพื้นฐาน"
    assert report.totals == {"complete": 3, "waiting": 1, "partial": 1, "missing": 38}


def test_complete_missing_and_waiting(report):
    items = {item.code: item for item in report.items}
    assert items["O1"].status == "complete"
    assert [d.original_name for d in items["O1"].documents] == ["โครงสร้างองค์กร.pdf"]
    assert items["O4"].status == "complete"  # a 2563–2567 plan covers 2565
    assert items["O7"].status == "waiting"
    assert [d.original_name for d in items["O7"].waiting] == ["ข่าวประชาสัมพันธ์.pdf"]
    assert items["O2"].status == "missing" and not items["O2"].documents
    assert [d.original_name for d in report.unlabelled_waiting] == ["ไม่ทราบ.pdf"]


def test_previous_year_items(report):
    items = {item.code: item for item in report.items}
    assert items["O12"].required_fiscal_year == 2564 and items["O12"].status == "complete"
    assert items["O20"].required_fiscal_year == 2564 and items["O20"].status == "missing"
    assert [d.original_name for d in items["O20"].other_years] == ["ผลการใช้จ่ายงบ 2565.pdf"]
    assert items["O24"].required_fiscal_year == 2564


def test_monthly_summaries_month_by_month(report):
    o23 = next(item for item in report.items if item.code == "O23")
    assert o23.status == "partial"
    months = {m.title: (m.status, [d.original_name for d in m.documents + m.waiting])
              for m in o23.months}
    assert months == {
        "ตุลาคม 2564": ("complete", ["สขร1-a.pdf"]),
        "พฤศจิกายน 2564": ("complete", ["สขร1-b.pdf"]),
        "ธันวาคม 2564": ("complete", ["สขร1 ธ.ค.64.pdf"]),
        "มกราคม 2565": ("waiting", ["สขร1-d.pdf"]),
        "กุมภาพันธ์ 2565": ("missing", []),
        "มีนาคม 2565": ("missing", []),
    }


@pytest.mark.parametrize(
    ("text", "name", "months"),
    [
        ("สรุปผลการจัดซื้อจัดจ้าง ประจำเดือน มีนาคม พ.ศ. ๒๕๖๕ ลงวันที่ ๒ เมษายน ๒๕๖๕", "", {(2565, 3)}),
        ("สรุปผลการจัดซื้อจัดจ้าง ไตรมาส ต.ค. 64 - ธ.ค. 64", "", {(2564, 10), (2564, 11), (2564, 12)}),
        ("แบบ สขร.1", "สขร.1 ก.พ. 65.pdf", {(2565, 2)}),
        ("สัญญา 3 ม.ค. 65, สัญญา 12 ม.ค. 65, สัญญา 2 ก.พ. 65", "", {(2565, 1)}),
        ("แบบ สขร.1 ไม่มีวันที่", "scan.pdf", set()),
    ],
)
def test_which_month_a_summary_covers(text: str, name: str, months: set):
    assert months_covered(text, name) == months


def oit(home: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "intake", *args, "--home", str(home)], capture_output=True,
        text=True, cwd=REPO, env={**os.environ, "PYTHAINLP_OFFLINE": "1"}, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_formats_through_the_cli(home: Path):
    markdown = oit(home, "report", "--fiscal-year", "2565")
    assert "# รายงานความครบถ้วนของข้อมูล OIT ปีประเมิน 2565" in markdown
    assert "## ตัวชี้วัดย่อยที่ 9.3 การบริหารเงินงบประมาณ" in markdown
    assert "| O1 | โครงสร้าง | 2565 | ครบ | `archive/2565/O1/โครงสร้างองค์กร.pdf`" in markdown
    assert "O23 สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน (ปีงบประมาณ 2565): " \
           "มกราคม 2565, กุมภาพันธ์ 2565, มีนาคม 2565 — รอตรวจ 1 ฉบับ" in markdown
    assert "- O20 รายงานผลการใช้จ่ายงบประมาณประจำปี (ปีงบประมาณ 2564) — มีเอกสารแต่ไม่ตรงปี (2565)" \
           in markdown

    data = json.loads(oit(home, "report", "--fiscal-year", "2565", "--format", "json"))
    assert data["assessment_year"] == 2565 and data["totals"]["missing"] == 38
    assert sum(len(s["items"]) for s in data["sub_indicators"]) == 43

    rows = list(csv.DictReader(io.StringIO(oit(home, "report", "--fiscal-year", "2565",
                                               "--format", "csv"))))
    assert len(rows) == 43 + 6  # one per item, one per month of O23
    o7 = next(r for r in rows if r["item"] == "O7")
    assert (o7["status"], o7["waiting"]) == ("waiting", "archive/review/ข่าวประชาสัมพันธ์.pdf")
    feb = next(r for r in rows if r["month"] == "2565-02")
    assert feb["status"] == "missing"

    html = render(build_report(Index(home / "archive/index.db"), 2565), "html")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="th">' in html
    assert '"Sarabun", "TH Sarabun New", "Noto Sans Thai", "Garuda", sans-serif' in html
    assert "<script" not in html and "http" not in html  # self-contained
    assert html.count('<tr class="item">') == 43
    assert "ข่าวประชาสัมพันธ์.pdf" in html and "มีเอกสารแต่ไม่ตรงปี (2565)" in html
