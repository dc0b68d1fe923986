"""The `oit` command end to end, through the real CLI, on the real broken agency PDFs
and on Thai PDFs built here (issue 2's "done when")."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pdf_factory import make_text_pdf

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
CONTRACT_INGEST_KEYS = {"file", "status", "id", "sha256", "item", "fiscal_year", "confidence",
                        "archived_as", "reason"}
CONTRACT_CLASSIFY_KEYS = {"file", "item", "item_confidence", "fiscal_year", "fiscal_year_end",
                          "fiscal_year_confidence", "candidates", "pages", "ocr_pages", "seconds"}

PROCUREMENT_SUMMARY = """แบบ สขร.1
สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือนพฤศจิกายน พ.ศ. 2564
สำนักงานเขตบางรัก กรุงเทพมหานคร
ลำดับ งานที่จัดซื้อหรือจัดจ้าง วงเงินงบประมาณ ราคากลาง วิธีซื้อหรือจ้าง
1 จัดซื้อวัสดุสำนักงาน 25,000 บาท 25,000 บาท เฉพาะเจาะจง
2 จัดจ้างซ่อมแซมเครื่องปรับอากาศ 18,500 บาท 18,500 บาท เฉพาะเจาะจง
ผู้ได้รับการคัดเลือกและราคาที่ตกลงซื้อหรือจ้าง เหตุผลที่คัดเลือกโดยสังเขป
เลขที่และวันที่ของสัญญาหรือข้อตกลงในการซื้อหรือจ้าง"""


def oit(*args: str, home: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHAINLP_OFFLINE": "1"}
    command = [sys.executable, "-m", "intake", *args]
    if home is not None:
        command += ["--home", str(home)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    if check and result.returncode not in (0, 1):
        raise AssertionError(f"oit {' '.join(args)} failed:\n{result.stderr}")
    return result


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def real_home(tmp_path_factory) -> tuple[Path, list[dict]]:
    """A home into which the five real agency PDFs were ingested once (OCR is slow)."""
    home = tmp_path_factory.mktemp("home")
    result = oit("ingest", str(REAL), "--json", home=home)
    return home, json_lines(result.stdout)


def test_ingest_of_the_real_corpus_accounts_for_every_file(real_home):
    home, lines = real_home
    pdfs = sorted(p.name for p in REAL.glob("*.pdf"))
    every_file = sorted(p.name for p in REAL.iterdir())
    assert sorted(Path(line["file"]).name for line in lines) == every_file
    readme = next(line for line in lines if line["file"].endswith("README.md"))
    assert readme["status"] == "rejected" and readme["reason"].startswith("not_pdf")
    for line in lines:
        assert CONTRACT_INGEST_KEYS <= line.keys()
        assert line["status"] in ("filed", "review", "rejected")
        assert (home / line["archived_as"]).is_file()
        if line["file"].endswith(".pdf"):
            assert line["status"] != "rejected", line
            archived = (home / line["archived_as"]).read_bytes()
            assert archived == (REAL / Path(line["file"]).name).read_bytes()
    # The shared corpus is read-only input: ingest copies, it never moves files out of it.
    assert sorted(p.name for p in REAL.glob("*.pdf")) == pdfs

    db = sqlite3.connect(home / "archive" / "index.db")
    rows = db.execute("select status, pages, text from documents").fetchall()
    assert len(rows) == len(every_file)
    assert all(pages and text for status, pages, text in rows if status != "rejected")
    assert db.execute("select count(*) from events").fetchone()[0] >= len(pdfs)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_ingest_again_reports_duplicates_not_new_documents(real_home, tmp_path):
    home, first = real_home
    again = json_lines(oit("ingest", str(REAL / "04_strategic_plan.pdf"), "--json",
                           home=home).stdout)
    original = next(line for line in first if line["file"].endswith("04_strategic_plan.pdf"))
    assert again[0]["status"] == "duplicate"
    assert again[0]["id"] == original["id"]


def test_classify_reports_the_contract_line_without_side_effects(tmp_path):
    pdf = make_text_pdf(tmp_path / "scan0012.pdf", [PROCUREMENT_SUMMARY])
    before = sorted(tmp_path.rglob("*"))
    result = oit("classify", str(pdf), "--json")
    assert result.returncode == 0, result.stderr
    (line,) = json_lines(result.stdout)
    assert CONTRACT_CLASSIFY_KEYS <= line.keys()
    assert line["file"] == str(pdf)
    assert line["item"] == "O23"
    assert line["fiscal_year"] == 2565  # November 2564 falls in fiscal year 2565
    assert line["pages"] == 1 and line["ocr_pages"] == 0
    assert 1 <= len(line["candidates"]) <= 3
    scores = [c["score"] for c in line["candidates"]]
    assert scores == sorted(scores, reverse=True)
    assert sorted(tmp_path.rglob("*")) == before


def test_classify_of_an_unreadable_file_gives_an_error_line_and_status_1(tmp_path):
    bad = tmp_path / "not-a-pdf.pdf"
    bad.write_text("นี่ไม่ใช่ PDF", encoding="utf-8")
    result = oit("classify", str(bad), "--json")
    assert result.returncode == 1
    (line,) = json_lines(result.stdout)
    assert line["error"] and line["item"] is None and line["fiscal_year"] is None


def test_extract_gives_pages_with_their_method(tmp_path):
    pdf = make_text_pdf(tmp_path / "two-pages.pdf", ["หน้าแรก สำนักงานเขต", "หน้าที่สอง อำเภอ"])
    (doc,) = json_lines(oit("extract", str(pdf), "--json").stdout)
    assert [p["number"] for p in doc["pages"]] == [1, 2]
    assert {p["method"] for p in doc["pages"]} == {"text"}
    assert "สำนักงานเขต" in doc["pages"][0]["text"]
    plain = oit("extract", str(pdf)).stdout
    assert plain.count("\f") == 1 and "อำเภอ" in plain


def test_search_finds_repaired_thai_in_the_real_documents(real_home):
    home, _ = real_home
    hits = json_lines(oit("search", "สำนักงาน", "--json", home=home).stdout)
    assert hits, "the repaired word สำนักงาน should be found"
    for hit in hits:
        assert {"id", "item", "fiscal_year", "archived_as", "snippet"} <= hit.keys()
    assert not json_lines(oit("search", "สานักงาน", "--json", home=home).stdout)


def test_review_set_moves_the_document_and_report_counts_it(tmp_path):
    home = tmp_path / "home"
    pdf = make_text_pdf(tmp_path / "เอกสาร (3).pdf", [PROCUREMENT_SUMMARY])
    (ingested,) = json_lines(oit("ingest", str(pdf), "--json", home=home).stdout)
    document_id = ingested["id"]

    result = oit("review", "set", str(document_id), "--item", "O23", "--fiscal-year", "2565",
                 home=home)
    assert result.returncode == 0, result.stderr
    moved = home / "archive" / "2565" / "O23" / "เอกสาร (3).pdf"
    assert moved.read_bytes() == pdf.read_bytes()
    db = sqlite3.connect(home / "archive" / "index.db")
    status, item, year, confirmed = db.execute(
        "select status, item, fiscal_year, confirmed from documents where id = ?", [document_id]
    ).fetchone()
    assert (status, item, year, confirmed) == ("filed", "O23", 2565, 1)
    assert db.execute("select count(*) from events where document_id = ? and action = 'decided'",
                      [document_id]).fetchone()[0] == 1
    assert not any(line["id"] == document_id for line in
                   json_lines(oit("review", "list", "--json", home=home).stdout))

    report = json.loads(oit("report", "--fiscal-year", "2565", "--format", "json",
                            home=home).stdout)
    assert "O23" in json.dumps(report)
    markdown = oit("report", "--fiscal-year", "2565", home=home).stdout
    assert "O1" in markdown and "O43" in markdown


def test_usage_errors_exit_2(tmp_path):
    assert oit("report", home=tmp_path, check=False).returncode == 2
    assert oit("review", "set", "1", "--item", "O99", home=tmp_path, check=False).returncode == 2
    assert oit("review", "set", "1", "--fiscal-year", "2021", home=tmp_path,
               check=False).returncode == 2
    assert oit("review", "set", "1", "--fiscal-year", "2570-2566", home=tmp_path,
               check=False).returncode == 2
    assert oit("ingest", str(tmp_path / "missing.pdf"), home=tmp_path,
               check=False).returncode == 2
