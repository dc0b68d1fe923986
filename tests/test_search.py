"""Thai full-text search (issue 6) on a real SQLite index holding real Thai text:
words inside compounds, short words, Thai and Arabic digits, mixed Thai/English,
filters, ranking and marked snippets."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intake.index import Index, now
from intake.search import MARK_END, MARK_START, parse_query, search
from tests.test_review import REPO

DOCUMENTS = {
    "procurement": dict(
        item="O22", fiscal_year=2565, status="filed", original_name="ประกาศผู้ชนะ.pdf",
        text="ประกาศองค์การบริหารส่วนตำบลหนองบัว\nเรื่อง ประกาศผลผู้ชนะการจัดซื้อจัดจ้าง "
             "โครงการก่อสร้างถนนคอนกรีต\nประจำปีงบประมาณ พ.ศ. ๒๕๖๕ โดยวิธีเฉพาะเจาะจง"),
    "plan": dict(
        item="O21", fiscal_year=2566, status="filed", original_name="แผนจัดซื้อ 2566.pdf",
        text="แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. 2566\nเผยแพร่ในระบบ e-GP "
             "ของกรมบัญชีกลาง\fรายการงบลงทุน ค่าครุภัณฑ์สำนักงาน"),
    "budget": dict(
        item="O20", fiscal_year=2565, status="review", original_name="รายงานงบ.pdf",
        text="รายงานผลการใช้จ่ายงบประมาณประจำปี พ.ศ. ๒๕๖๕\nเบิกจ่ายแล้วร้อยละ 87.5"),
    "ita": dict(
        item="O42", fiscal_year=2565, status="filed", original_name="มาตรการ.pdf",
        text="มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน\nตามแนวทาง ITA "
             "(Integrity and Transparency Assessment) ปี 2565\nไตรมาสที่ 2 บุคลากรต้องปฏิบัติต่อทาง\n"
             "ราชการด้วยความเป็นธรรม"),
    "plan_span": dict(
        item="O4", fiscal_year=2563, fiscal_year_end=2567, status="filed",
        original_name="แผนพัฒนาท้องถิ่น.pdf",
        text="แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๓ – ๒๕๖๗)\nยุทธศาสตร์ด้านการพัฒนาคุณภาพชีวิต"),
    "rejected": dict(
        status="rejected", original_name="เสีย.pdf", text="จัดซื้อจัดจ้าง งบประมาณ 2565"),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("search") / "archive" / "index.db"
    index = Index(path)
    ids = {}
    for key, values in DOCUMENTS.items():
        ids[key] = index.insert_document({
            "sha256": key, "received_at": now(),
            "archived_as": f"archive/x/{values['original_name']}", **values})
    index.ids = ids
    yield index
    index.close()


def found(index: Index, query: str, **filters) -> list[str]:
    names = {v: k for k, v in index.ids.items()}
    return [names[hit["id"]] for hit in search(index, query, **filters)]


def test_a_word_inside_a_compound(index):
    assert set(found(index, "จัดซื้อ")) == {"procurement", "plan"}
    assert found(index, "ถนนคอนกรีต") == ["procurement"]
    assert found(index, "ครุภัณฑ์") == ["plan"]  # on the second page


def test_short_words(index):
    assert set(found(index, "งบ")) == {"procurement", "plan", "budget"}
    assert found(index, "งบ", item="O21") == ["plan"]
    assert found(index, "ถน") == ["procurement"]
    assert found(index, "ฮฮ") == []


def test_thai_and_arabic_digits_are_the_same(index):
    both = {"procurement", "budget", "ita"}
    assert set(found(index, "2565")) == both
    assert set(found(index, "๒๕๖๕")) == both
    assert found(index, "๒๕๖๖") == ["plan"]
    assert found(index, "87.5") == ["budget"]
    assert found(index, "๘๗.๕") == ["budget"]


def test_mixed_thai_and_english(index):
    assert found(index, "e-GP จัดซื้อ") == ["plan"]
    assert found(index, "ita โปร่งใส") == ["ita"]  # case does not matter
    assert found(index, "Integrity คุณธรรม 2565") == ["ita"]
    assert found(index, "ITA จัดซื้อ") == []  # every word must occur


def test_a_single_letter_belongs_to_the_word_before(index):
    assert [t.forms for t in parse_query("ไตรมาสที่ 2")] == [
        ("ไตรมาสที่ 2", "ไตรมาสที่ ๒", "ไตรมาสที่2", "ไตรมาสที่๒")]
    assert found(index, "ไตรมาสที่ ๒") == ["ita"]


def test_a_word_wrapped_across_lines(index):
    # PDF text keeps the layout's line breaks, which fall inside Thai words.
    [hit] = search(index, "ทางราชการ")
    assert hit["id"] == index.ids["ita"]
    assert f"{MARK_START}ทางราชการ{MARK_END}ด้วยความเป็นธรรม" in hit["snippet"]


def test_quoted_phrases(index):
    assert found(index, '"ประจำปีงบประมาณ พ.ศ. 2566"') == ["plan"]
    assert found(index, '"จัดจ้าง ประจำปี"') == ["plan"]


def test_filters(index):
    assert found(index, "จัดซื้อ", item="O22") == ["procurement"]
    assert found(index, "จัดซื้อ", fiscal_year=2566) == ["plan"]
    assert found(index, "งบประมาณ", status="review") == ["budget"]
    # A 2563–2567 plan is about 2565 too.
    assert found(index, "แผนพัฒนา", fiscal_year=2565) == ["plan_span"]
    # Rejected files are found only when asked for.
    assert "rejected" not in found(index, "จัดซื้อ")
    assert found(index, "จัดซื้อ", status="rejected") == ["rejected"]
    assert set(found(index, "", fiscal_year=2565)) == {"procurement", "budget", "ita",
                                                       "plan_span"}


def test_ranked_with_the_file_name_first(index):
    # "งบ" is in the file name of the budget report: it ranks first.
    assert found(index, "งบ")[0] == "budget"
    hits = search(index, "จัดซื้อ")
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_hits_and_snippets(index):
    [hit] = search(index, "ถนนคอนกรีต")
    assert {"id", "item", "fiscal_year", "archived_as", "snippet", "status", "original_name",
            "score"} <= hit.keys()
    assert (hit["item"], hit["fiscal_year"], hit["status"]) == ("O22", 2565, "filed")
    assert f"{MARK_START}ถนนคอนกรีต{MARK_END}" in hit["snippet"]
    assert "\n" not in hit["snippet"]
    [hit] = search(index, "๘๗.๕")
    assert f"{MARK_START}87.5{MARK_END}" in hit["snippet"]
    [hit] = search(index, "งบ", status="review")
    assert f"{MARK_START}งบ{MARK_END}ประมาณ" in hit["snippet"]
    # Found by its file name only: the name is shown, marked.
    [hit] = search(index, "มาตรการ.pdf")
    assert hit["snippet"].startswith(f"{MARK_START}มาตรการ.pdf{MARK_END} — มาตรการส่งเสริม")


def test_search_through_the_cli(index):
    home = Path(index.path).parent.parent
    done = subprocess.run(
        [sys.executable, "-m", "intake", "search", "จัดซื้อ", "--fiscal-year", "๒๕๖๖",
         "--json", "--home", str(home)],
        capture_output=True, text=True, cwd=REPO, timeout=120,
        env={**os.environ, "PYTHAINLP_OFFLINE": "1"})
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["id"] for line in lines] == [index.ids["plan"]]
    assert lines[0]["archived_as"] == "archive/x/แผนจัดซื้อ 2566.pdf"


def test_many_rejected_matches_do_not_hide_a_filed_one(tmp_path: Path):
    index = Index(tmp_path / "index.db")
    try:
        for n in range(30):
            index.insert_document({"sha256": f"r{n}", "status": "rejected", "received_at": now(),
                                   "original_name": f"สำเนาเสีย {n}.pdf",
                                   "text": "หนังสือรับรองการหักภาษี ณ ที่จ่าย " * 5})
        filed = index.insert_document({"sha256": "f", "status": "filed", "received_at": now(),
                                       "original_name": "ภาษี.pdf", "item": "O20",
                                       "text": "หนังสือรับรองการหักภาษี ณ ที่จ่าย"})
        assert [hit["id"] for hit in search(index, "หักภาษี", limit=3)] == [filed]
    finally:
        index.close()


def test_the_search_index_follows_changes_and_older_indexes_get_it(tmp_path: Path):
    path = tmp_path / "index.db"
    index = Index(path)
    document_id = index.insert_document({"sha256": "a", "status": "filed", "received_at": now(),
                                         "original_name": "ก.pdf", "text": "คู่มือการให้\nบริการ"})
    index.update_document(document_id, {"text": "คู่มือการปฏิบัติงาน\nด้านพัสดุ"})
    assert search(index, "การให้บริการ") == []
    assert [h["id"] for h in search(index, "งานด้านพัสดุ")] == [document_id]
    # An index made before ``documents_search`` existed.
    for trigger in ("ai", "ad", "au"):
        index.db.execute(f"drop trigger documents_search_{trigger}")
    index.db.execute("drop table documents_search")
    index.close()
    index = Index(path)
    try:
        assert [h["id"] for h in search(index, "งานด้านพัสดุ")] == [document_id]
        index.db["documents"].delete(document_id)
        assert search(index, "งานด้านพัสดุ") == []
        assert index.db.execute("pragma integrity_check").fetchone()[0] == "ok"
        index.db.execute("insert into documents_search(documents_search) values('integrity-check')")
    finally:
        index.close()
