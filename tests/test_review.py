"""Review (issue 6): what waits, decisions, automatic retraining, and the terminal
review driven through a real pseudo-terminal."""
from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from classifiers.labels import Candidate, Classification, FiscalYearReading, ItemPrediction
from intake import learning, review
from intake.archive import Archive, sha256_of
from intake.config import Home, Settings
from intake.index import Index
from tests.pdf_factory import make_text_pdf

REPO = Path(__file__).resolve().parent.parent

PROCUREMENT = [
    "ประกาศองค์การบริหารส่วนตำบลหนองบัว\nเรื่อง ประกาศผลผู้ชนะการเสนอราคา "
    "โครงการจัดซื้อวัสดุสำนักงาน\nประจำปีงบประมาณ พ.ศ. ๒๕๖๕ ด้วยวิธีเฉพาะเจาะจง\n"
    "ผู้ได้รับการคัดเลือก ร้านรุ่งเรืองการค้า ราคาที่ตกลงซื้อ ๑๒,๕๐๐ บาท",
]
PLAN = [
    "แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ - ๒๕๗๐)\nองค์การบริหารส่วนตำบลหนองบัว\n"
    "ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐานและงบประมาณ",
]


def store_document(
    root: Path,
    name: str,
    pages: list[str],
    item: str | None,
    candidates: list[tuple[str | None, float]],
    fiscal_year: int | None,
    confident: bool = False,
    fiscal_year_end: int | None = None,
    evidence: str | None = None,
) -> int:
    """A real Thai PDF taken in through the archive, as ingest would store it."""
    source = root / "incoming" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    make_text_pdf(source, pages)
    archive = Archive(Home(root))
    try:
        document_id, _ = archive.receive(source, sha256_of(source))
        archive.start(document_id)
        classification = Classification(
            ItemPrediction(item, candidates[0][1] if candidates else 0.0,
                           tuple(Candidate(code, score) for code, score in candidates)),
            FiscalYearReading(fiscal_year, fiscal_year_end, 0.8, evidence),
        )
        archive.store(document_id, source, classification, confident,
                      {"text": "\f".join(pages), "pages": len(pages), "ocr_pages": 0,
                       "extraction_method": "text"})
    finally:
        archive.close()
    return document_id


@pytest.fixture
def home(tmp_path: Path) -> Path:
    root = tmp_path / "home"
    Home(root).ensure()
    return root


def test_waiting_rows_carry_what_a_reviewer_needs(home: Path):
    document_id = store_document(home, "ประกาศผล.pdf", PROCUREMENT, "O24",
                                 [("O24", 0.55), ("O22", 0.30), (None, 0.05)], 2565,
                                 evidence="ประจำปีงบประมาณ พ.ศ. ๒๕๖๕")
    archive = Archive(Home(home))
    try:
        [row] = review.waiting(archive)
    finally:
        archive.close()
    assert row["id"] == document_id
    assert row["file"] == row["archived_as"] == "archive/review/ประกาศผล.pdf"
    assert (row["item"], row["fiscal_year"], row["confidence"]) == ("O24", 2565, 0.55)
    assert [c["item"] for c in row["candidates"]] == ["O24", "O22", None]
    assert row["candidates"][2]["title"] == review.NONE_TITLE
    assert row["pages"] == 1
    assert row["first_lines"][0] == "ประกาศองค์การบริหารส่วนตำบลหนองบัว"
    json.dumps(row, ensure_ascii=False)  # JSON-ready as `oit review list --json` prints it

    block = review.describe(row)
    assert "ประกาศผล.pdf" in block and "1 หน้า" in block
    assert "ประกาศองค์การบริหารส่วนตำบลหนองบัว" in block
    assert row["candidates"][0]["title"] in block and row["candidates"][1]["title"] in block
    assert "2565" in block and "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕" in block


def test_a_decision_moves_the_file_and_is_recorded(home: Path):
    document_id = store_document(home, "ประกาศผล.pdf", PROCUREMENT, "O24",
                                 [("O24", 0.55), ("O22", 0.30), (None, 0.05)], 2565)
    original = (home / "archive/review/ประกาศผล.pdf").read_bytes()
    archive = Archive(Home(home))
    try:
        row = review.decide(archive, document_id, item="O22", actor="สมหญิง")
        assert row["archived_as"] == "archive/2565/O22/ประกาศผล.pdf"
        assert (row["item"], row["fiscal_year"], row["status"]) == ("O22", 2565, "filed")
        assert (row["confirmed"], row["decided_by"]) == (1, "สมหญิง")
        assert "text" not in row and row["retrained"] is None
        assert (home / row["archived_as"]).read_bytes() == original
        assert not (home / "archive/review/ประกาศผล.pdf").exists()
        event = archive.index.events_of(document_id)[-1]
        assert (event["action"], event["actor"]) == ("decided", "สมหญิง")
        assert json.loads(event["before"])["item"] == "O24"
        assert json.loads(event["after"])["archived_as"] == row["archived_as"]
        assert review.waiting(archive) == []

        # Deciding again (a correction) moves it on, and "none" files it as unclassified.
        row = review.decide(archive, document_id, item=None, fiscal_year=2564)
        assert row["archived_as"] == "archive/2564/unclassified/ประกาศผล.pdf"
    finally:
        archive.close()


def test_a_plan_keeps_or_moves_its_span(home: Path):
    document_id = store_document(home, "แผนพัฒนา.pdf", PLAN, "O4", [("O4", 0.6)], 2566,
                                 fiscal_year_end=2570)
    archive = Archive(Home(home))
    try:
        row = review.decide(archive, document_id)
        assert (row["fiscal_year"], row["fiscal_year_end"]) == (2566, 2570)
        row = review.decide(archive, document_id, fiscal_year=2567)
        assert (row["fiscal_year"], row["fiscal_year_end"]) == (2567, 2571)
        row = review.decide(archive, document_id, fiscal_year=2565, fiscal_year_end=None)
        assert (row["fiscal_year"], row["fiscal_year_end"]) == (2565, None)
        row = review.decide(archive, document_id, fiscal_year=None)
        assert (row["fiscal_year"], row["fiscal_year_end"]) == (None, None)
        assert row["archived_as"] == "archive/unknown-year/O4/แผนพัฒนา.pdf"
    finally:
        archive.close()


def test_impossible_decisions_are_refused(home: Path):
    document_id = store_document(home, "ประกาศผล.pdf", PROCUREMENT, "O24", [("O24", 0.5)], 2565)
    archive = Archive(Home(home))
    try:
        with pytest.raises(LookupError):
            review.decide(archive, 999, item="O24")
        with pytest.raises(review.DecisionError):
            review.decide(archive, document_id, item="O99")
        with pytest.raises(review.DecisionError):
            review.decide(archive, document_id, fiscal_year=2022)
        assert archive.index.get(document_id)["status"] == "review"
    finally:
        archive.close()


def test_decisions_are_counted_since_the_last_training(home: Path):
    ids = [store_document(home, f"ประกาศ {n}.pdf", [PROCUREMENT[0] + f" ฉบับที่ {n}"], "O24",
                          [("O24", 0.5)], 2565) for n in range(4)]
    archive = Archive(Home(home))
    try:
        never = replace(Settings(), retrain_after_decisions=0)
        every_three = replace(Settings(), retrain_after_decisions=3)
        for document_id in ids[:2]:
            assert review.decide(archive, document_id, settings=never)["retrained"] is None
        assert review.decisions_since_training(archive) == 2
        # The third decision is due to start a training; one is already running (its lock
        # is held here), so no second one starts. Training itself is `oit train`'s to test.
        with learning._training_lock(archive.home):
            assert learning.is_training(archive.home)
            result = review.decide(archive, ids[2], settings=every_three)
        assert result["retrained"] == {"started": False}
        assert not learning.is_training(archive.home)
        archive.index.add_event(None, "trained")
        assert review.decisions_since_training(archive) == 0
        review.decide(archive, ids[3], settings=every_three)
        assert review.decisions_since_training(archive) == 1
    finally:
        archive.close()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("\n", ("accept", None, None, None)),
        ("2\n", ("item", "O22", None, None)),
        ("o12", ("item", "O12", None, None)),
        ("O 7", ("item", "O7", None, None)),
        ("none", ("item", None, None, None)),
        ("ปี ๒๕๖๔", ("year", None, 2564, None)),
        ("y 2566-2570", ("year", None, 2566, 2570)),
        ("2564", ("year", None, 2564, None)),
        ("ปี none", ("year", None, None, None)),
        ("o", ("open", None, None, None)),
        ("ข้าม", ("skip", None, None, None)),
        ("q", ("quit", None, None, None)),
    ],
)
def test_review_commands(line: str, expected: tuple):
    candidates = [{"item": "O24"}, {"item": "O22"}, {"item": None}]
    command = review.parse_command(line, candidates)
    assert (command.action, command.item, command.year, command.year_end) == expected


@pytest.mark.parametrize("line", ["4", "O99", "ปี 2022", "2570-2566", "อะไรนะ"])
def test_bad_review_commands_explain_themselves(line: str):
    with pytest.raises(review.DecisionError):
        review.parse_command(line, [{"item": "O24"}, {"item": "O22"}, {"item": None}])


class Terminal:
    """``oit review`` on a real pseudo-terminal, read and typed into like a person would."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave,
                                        env=env, cwd=REPO, close_fds=True)
        os.close(slave)
        self.seen = b""
        self.cursor = 0

    def expect(self, text: str, limit_seconds: float = 60.0) -> str:
        """Read until ``text`` appears after what was expected before; the limit only
        keeps a broken run from hanging."""
        wanted = text.encode()
        while wanted not in self.seen[self.cursor:]:
            ready, _, _ = select.select([self.master], [], [], limit_seconds)
            if not ready:
                raise AssertionError(f"no {text!r} in:\n{self.seen.decode(errors='replace')}")
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # the child closed the terminal
                chunk = b""
            if not chunk:
                raise AssertionError(f"ended before {text!r}:\n{self.seen.decode(errors='replace')}")
            self.seen += chunk
        self.cursor = self.seen.index(wanted, self.cursor) + len(wanted)
        return self.seen.decode(errors="replace")

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def close(self) -> int:
        code = self.process.wait(timeout=60)
        os.close(self.master)
        return code


def test_interactive_review_through_a_terminal(home: Path):
    first = store_document(home, "ประกาศผล.pdf", PROCUREMENT, "O24",
                           [("O24", 0.55), ("O22", 0.30), (None, 0.05)], 2565,
                           evidence="ประจำปีงบประมาณ พ.ศ. ๒๕๖๕")
    second = store_document(home, "แผนพัฒนา.pdf", PLAN, "O4", [("O4", 0.6), ("O5", 0.2)], 2566,
                            fiscal_year_end=2570)
    env = {**os.environ, "PYTHAINLP_OFFLINE": "1", "LC_ALL": "C.UTF-8", "USER": "ผู้ตรวจ",
           "OIT_RETRAIN_AFTER": "0"}
    env.pop("DISPLAY", None)
    terminal = Terminal([sys.executable, "-m", "intake", "review", "--home", str(home)], env)
    terminal.expect("เอกสารรอตรวจ 2 ฉบับ")
    screen = terminal.expect("ประกาศองค์การบริหารส่วนตำบลหนองบัว")
    terminal.expect(review.PROMPT.strip())
    assert "ประกาศผล.pdf" in screen and "O22" in screen
    terminal.type("อะไรนะ")
    terminal.expect("พิมพ์ ? เพื่อดูวิธีใช้")
    terminal.type("?")
    terminal.expect("o = เปิดไฟล์")
    terminal.type("o")
    terminal.expect("ประกาศผล.pdf")
    terminal.type("ปี ๒๕๖๔")
    terminal.expect("จะบันทึกเป็น O24 / ปี 2564")
    terminal.type("2")
    terminal.expect("→ archive/2564/O22/ประกาศผล.pdf")
    terminal.expect("แผนพัฒนา.pdf")
    terminal.type("s")
    screen = terminal.expect("ยังรอตรวจ 1 ฉบับ")
    assert terminal.close() == 0
    assert "Traceback" not in screen

    index = Index(home / "archive/index.db")
    try:
        row = index.get(first)
        assert (row["item"], row["fiscal_year"], row["status"]) == ("O22", 2564, "filed")
        assert (row["decided_by"], row["confirmed"]) == ("ผู้ตรวจ", 1)
        assert row["archived_as"] == "archive/2564/O22/ประกาศผล.pdf"
        assert index.get(second)["status"] == "review"
    finally:
        index.close()
    assert (home / "archive/2564/O22/ประกาศผล.pdf").is_file()
    assert not (home / "archive/review/ประกาศผล.pdf").exists()


def test_end_of_input_ends_the_review_quietly(home: Path):
    store_document(home, "ประกาศผล.pdf", PROCUREMENT, "O24", [("O24", 0.55)], 2565)
    env = {**os.environ, "PYTHAINLP_OFFLINE": "1", "LC_ALL": "C.UTF-8"}
    done = subprocess.run([sys.executable, "-m", "intake", "review", "--home", str(home)],
                          input="", capture_output=True, text=True, env=env, cwd=REPO,
                          timeout=120)
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
    assert "ยังรอตรวจ 1 ฉบับ" in done.stdout

