"""The web app through Flask's test client: pages, decisions, uploads and what they may not reach."""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest

from classifiers.labels import Candidate, Classification, FiscalYearReading, ItemPrediction
from intake.archive import Archive, sha256_of
from intake.config import Home
from intake.web import create_app, is_loopback
from intake.web.views import current_fiscal_year
from pdf_factory import make_text_pdf

SECRET = "TOP-SECRET-OUTSIDE-THE-ARCHIVE"

# (file name, page text, proposed item, candidates, fiscal year, evidence)
WAITING = [
    ("ประกาศผลการจัดซื้อจัดจ้าง ตุลาคม 2564.pdf",
     "แบบ สขร.1\nสรุปผลการดำเนินการจัดซื้อจัดจ้าง ประจำเดือนตุลาคม 2564\n"
     "องค์การบริหารส่วนตำบลตัวอย่าง อำเภอเมือง จังหวัดตัวอย่าง\n\n"
     "1. จัดซื้อวัสดุสำนักงาน วงเงิน 12,500 บาท วิธีเฉพาะเจาะจง ร้านรุ่งเรืองพาณิชย์\n"
     "2. จ้างซ่อมแซมถนนลูกรัง หมู่ที่ 4 วงเงิน 98,000 บาท วิธีเฉพาะเจาะจง หจก.ก้าวหน้าการโยธา\n"
     "3. จัดซื้อน้ำมันเชื้อเพลิง วงเงิน 35,200 บาท วิธีเฉพาะเจาะจง สหกรณ์การเกษตรตัวอย่าง\n"
     "4. จ้างเหมาบริการทำความสะอาดสำนักงาน วงเงิน 9,000 บาท วิธีเฉพาะเจาะจง นางสาวสมใจ ใจดี\n\n"
     "เหตุผลที่คัดเลือก: ราคาต่ำสุดและมีคุณสมบัติครบถ้วนตามที่กำหนด",
     "O23", [("O23", 0.58), ("O22", 0.27), ("O20", 0.08)], 2565, "ประจำเดือนตุลาคม 2564"),
    ("แผนปฏิบัติการประจำปี.pdf",
     "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2565\nองค์การบริหารส่วนตำบลตัวอย่าง",
     "O11", [("O11", 0.51), ("O10", 0.33), ("O35", 0.05)], 2565, "ปีงบประมาณ พ.ศ. 2565"),
    ("รายงานผลการดำเนินงาน.pdf",
     "รายงานผลการดำเนินงานประจำปี 2564\nงบประมาณที่ได้รับจัดสรร",
     "O12", [("O12", 0.49), ("O13", 0.31), ("O10", 0.11)], 2564, "ประจำปี 2564"),
]
FILED = ("โครงสร้างองค์กร.pdf", "แผนภูมิโครงสร้างองค์การบริหารส่วนตำบลตัวอย่าง", "O1", 2565)


def _store(archive: Archive, source: Path, text: str, item: str, candidates, year, evidence,
           confident: bool) -> int:
    document_id, _ = archive.receive(source, sha256_of(source))
    archive.start(document_id)
    classification = Classification(
        ItemPrediction(item, candidates[0][1],
                       tuple(Candidate(code, score) for code, score in candidates)),
        FiscalYearReading(year, None, 0.8, evidence),
    )
    archive.store(document_id, source, classification, confident,
                  {"text": text, "pages": 1, "ocr_pages": 0, "extraction_method": "text"})
    return document_id


def make_home(root: Path) -> tuple[Home, list[int], int]:
    """A home with three documents waiting for review and one filed, from real Thai PDFs.

    Documents are stored through the archive with fixed proposals, so which of them
    wait for review does not depend on the current classifier model.
    """
    home = Home(root / "home").ensure()
    sources = root / "sources"
    sources.mkdir()
    archive = Archive(home)
    try:
        waiting = []
        for name, text, item, candidates, year, evidence in WAITING:
            pdf = make_text_pdf(sources / name, [text])
            waiting.append(_store(archive, pdf, text, item, candidates, year, evidence, False))
        name, text, item, year = FILED
        pdf = make_text_pdf(sources / name, [text])
        filed = _store(archive, pdf, text, item, [(item, 0.97)], year, None, True)
    finally:
        archive.close()
    (home.root / "secret.txt").write_text(SECRET)
    return home, waiting, filed


def row_of(home: Home, document_id: int) -> dict:
    archive = Archive(home)
    try:
        return archive.index.get(document_id)
    finally:
        archive.close()


def token_of(client) -> str:
    page = client.get("/search").get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


@pytest.fixture
def site(tmp_path):
    home, waiting, filed = make_home(tmp_path)
    app = create_app(home, max_upload_bytes=256 * 1024)
    app.config["TESTING"] = True
    return app.test_client(), home, waiting, filed


def test_queue_shows_the_first_waiting_document(site):
    client, home, waiting, _ = site
    page = client.get("/review").get_data(as_text=True)
    assert "ประกาศผลการจัดซื้อจัดจ้าง ตุลาคม 2564.pdf" in page
    assert "สรุปผลการดำเนินการจัดซื้อจัดจ้าง" in page  # its text
    assert "ประจำเดือนตุลาคม 2564" in page  # the fiscal-year evidence
    assert "58%" in page and "O22" in page  # candidates with scores
    assert f"/documents/{waiting[0]}/page-1.png" in page
    png = client.get(f"/documents/{waiting[0]}/page-1.png")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")


def test_a_file_pdfium_cannot_draw_has_no_preview_but_its_page_opens(site):
    client, home, waiting, _ = site
    (home.root / row_of(home, waiting[1])["archived_as"]).write_bytes(b"%PDF-1.7 broken")
    assert client.get(f"/documents/{waiting[1]}/page-1.png").status_code == 404
    assert client.get(f"/review/{waiting[1]}").status_code == 200


def test_accept_files_the_document_and_shows_the_next(site):
    client, home, waiting, _ = site
    response = client.post(f"/documents/{waiting[0]}/decision", data={"csrf_token": token_of(client)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/review/{waiting[1]}")
    row = row_of(home, waiting[0])
    assert (row["status"], row["item"], row["fiscal_year"], row["confirmed"]) == ("filed", "O23", 2565, 1)
    assert row["archived_as"].startswith("archive/2565/O23/")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "บันทึกแล้ว" in page and "แผนปฏิบัติการประจำปี.pdf" in page


def test_pick_a_candidate_or_choose_any_label(site):
    client, home, waiting, _ = site
    token = token_of(client)
    client.post(f"/documents/{waiting[1]}/decision", data={"csrf_token": token, "item": "O10"})
    row = row_of(home, waiting[1])
    assert (row["status"], row["item"], row["fiscal_year"]) == ("filed", "O10", 2565)

    client.post(f"/documents/{waiting[2]}/decision",
                data={"csrf_token": token, "item": "none", "fiscal_year": "๒๕๖๓"})
    row = row_of(home, waiting[2])
    assert (row["status"], row["item"], row["fiscal_year"]) == ("filed", None, 2563)

    client.post(f"/documents/{waiting[0]}/decision",
                data={"csrf_token": token, "item": "O9", "fiscal_year": "2566 – 2570"})
    row = row_of(home, waiting[0])
    assert (row["item"], row["fiscal_year"], row["fiscal_year_end"]) == ("O9", 2566, 2570)


def test_a_wrong_label_is_refused_and_changes_nothing(site):
    client, home, waiting, _ = site
    token = token_of(client)
    for data in ({"item": "O99"}, {"fiscal_year": "../2565"}, {"item": "../../etc"}):
        response = client.post(f"/documents/{waiting[0]}/decision",
                               data={"csrf_token": token, **data}, follow_redirects=True)
        assert response.status_code == 200
        assert row_of(home, waiting[0])["status"] == "review"


def test_post_without_the_token_is_refused(site):
    client, home, waiting, _ = site
    client.get("/review")  # a session exists, but the forged request does not know its token
    for data in ({}, {"csrf_token": "forged"}):
        response = client.post(f"/documents/{waiting[0]}/decision", data={**data, "item": "O5"})
        assert response.status_code == 403
        response = client.post("/upload", data={**data, "files": (io.BytesIO(b"%PDF-1.4"), "x.pdf")})
        assert response.status_code == 403
    assert row_of(home, waiting[0])["status"] == "review"
    assert list(home.inbox.iterdir()) == []


@pytest.mark.parametrize("url", [
    "/documents/..%2F..%2Fsecret.txt/original",
    "/documents/1/original/../../../secret.txt",
    "/documents/1/..%2F..%2F..%2Fsecret.txt",
    "/static/../../secret.txt",
    "/static/..%2F..%2F..%2Fsecret.txt",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.txt",
    "/report/..%2F..%2Fsecret.txt.html",
    "/review/..%2Fsecret.txt",
    "/search?q=../../secret.txt&item=../../secret.txt&fiscal_year=../1&status=../secret",
    "/report?year=../../secret.txt",
    "/documents/1/original?path=../../secret.txt&file=../secret.txt",
    "/documents/1/page-1.png?path=../../secret.txt",
])
def test_dot_dot_in_any_parameter_reaches_nothing_outside_the_archive(site, url):
    client, home, waiting, filed = site
    response = client.get(url, follow_redirects=True)
    assert SECRET.encode() not in response.data
    assert b"root:x:0:0" not in response.data


def test_files_are_served_by_id_from_the_archive_only(site):
    client, home, waiting, filed = site
    response = client.get(f"/documents/{filed}/original?path=../secret.txt")
    assert response.status_code == 200
    assert response.data == (home.root / row_of(home, filed)["archived_as"]).read_bytes()
    # An index row that points outside the archive (edited by hand, say) serves nothing.
    archive = Archive(home)
    try:
        archive.index.update_document(filed, {"archived_as": "secret.txt"})
    finally:
        archive.close()
    assert client.get(f"/documents/{filed}/original").status_code == 404
    assert client.get("/documents/999/original").status_code == 404


def test_upload_goes_into_the_inbox_only(site):
    client, home, _, _ = site
    pdf = make_text_pdf(home.root / "upload.pdf", ["ประกาศ"]).read_bytes()
    response = client.post("/upload", headers={"Accept": "application/json"}, data={
        "csrf_token": token_of(client),
        "files": [(io.BytesIO(pdf), "../../../ประกาศ ผลจัดซื้อ.pdf"),
                  (io.BytesIO(pdf), "..\\..\\win.pdf"),
                  (io.BytesIO(b"MZ"), "tool.exe")],
    })
    assert response.status_code == 200
    assert response.json["saved"] == ["ประกาศ ผลจัดซื้อ.pdf", "win.pdf"]
    assert len(response.json["refused"]) == 1
    assert sorted(p.name for p in home.inbox.iterdir()) == ["win.pdf", "ประกาศ ผลจัดซื้อ.pdf"]
    assert (home.inbox / "win.pdf").read_bytes() == pdf
    assert not (home.root.parent / "ประกาศ ผลจัดซื้อ.pdf").exists()
    # The same name again is kept beside, never over, the first.
    client.post("/upload", data={"csrf_token": token_of(client),
                                 "files": (io.BytesIO(pdf), "win.pdf")})
    assert (home.inbox / "win (2).pdf").exists()
    assert "inbox/win (2).pdf" in client.get("/upload").get_data(as_text=True)


def test_upload_is_size_limited(site):
    client, home, _, _ = site
    response = client.post("/upload", data={"csrf_token": token_of(client),
                                            "files": (io.BytesIO(b"0" * 300 * 1024), "big.pdf")})
    assert response.status_code == 413
    assert "ไฟล์ใหญ่เกินไป" in response.get_data(as_text=True)
    assert list(home.inbox.iterdir()) == []


def test_search_page_filters_and_marks_the_match(site):
    client, home, waiting, filed = site
    page = client.get("/search?q=จัดซื้อ").get_data(as_text=True)
    assert "<mark>จัดซื้อ</mark>" in page
    assert "ประกาศผลการจัดซื้อจัดจ้าง ตุลาคม 2564.pdf" in page
    page = client.get("/search?q=องค์การ&item=O1").get_data(as_text=True)
    assert "โครงสร้างองค์กร.pdf" in page and "แผนปฏิบัติการประจำปี.pdf" not in page


def test_document_page_shows_metadata_and_history(site):
    client, home, waiting, filed = site
    client.post(f"/documents/{filed}/decision",
                data={"csrf_token": token_of(client), "item": "O2", "return": "document"})
    page = client.get(f"/documents/{filed}").get_data(as_text=True)
    assert "โครงสร้างองค์กร.pdf" in page and "ข้อมูลผู้บริหาร" in page
    assert "ผู้ตรวจตัดสิน" in page and "รับเข้า" in page and "ข้อ O1 → O2" in page
    assert row_of(home, filed)["item"] == "O2"


def test_report_page_shows_the_chosen_year(site):
    client, *_ = site
    page = client.get("/report?year=2565").get_data(as_text=True)
    assert 'src="/report/2565.html"' in page
    report = client.get("/report/2565.html")
    assert report.status_code == 200 and report.mimetype == "text/html"
    assert "2565" in report.get_data(as_text=True)


def test_requests_for_other_host_names_are_refused(site):
    client, *_ = site
    assert client.get("/review", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/review", headers={"Host": "127.0.0.1:8765"}).status_code == 200


def test_only_loopback_hosts_count_as_local():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")


def test_the_report_opens_on_the_current_thai_fiscal_year():
    assert current_fiscal_year(date(2021, 10, 1)) == 2565
    assert current_fiscal_year(date(2022, 9, 30)) == 2565
