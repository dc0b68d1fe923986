"""Taking files in (issue 5): the state machine, duplicates, rejections, unsafe
names, symlinks and crash recovery, on real PDFs in real folders."""
from __future__ import annotations

import os
import signal
import sqlite3
from dataclasses import replace
from pathlib import Path


from intake.archive import Archive, sha256_of
from intake.config import Home, Settings
from intake.extract import ExtractionLimits
from intake.ingest import Intake, files_under
from tests.pdf_factory import _new_pdf, _write_pages, make_scanned_pdf, make_text_pdf

TEXT = "รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. 2565 เอกสารหมายเลข {n}"


def settings(**changes) -> Settings:
    # One worker: each test starts its own, and start-up dominates on tiny files.
    return replace(Settings(workers=1, stable_seconds=0.5, rescan_seconds=5.0), **changes)


def make_pdf(path: Path, n: int = 0, pages: int = 1) -> Path:
    """A tiny real Thai text PDF whose bytes differ for each ``n``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return make_text_pdf(path, [TEXT.format(n=f"{n}-{page}") for page in range(pages)])


def make_bad_inputs(folder: Path) -> dict[str, str]:
    """One file per rejection reason (but timeout); returns file name → reason."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "letter.pdf").write_text("ไม่ใช่ PDF แต่เป็นข้อความธรรมดา\n", encoding="utf-8")
    whole = make_pdf(folder / "whole.tmp", 1).read_bytes()
    (folder / "whole.tmp").unlink()
    (folder / "cut.pdf").write_bytes(whole[: len(whole) // 2])
    (folder / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(4000) + b"\n%%EOF\n")
    locked = _new_pdf("Garuda")
    locked.set_encryption(owner_password="owner", user_password="secret")
    _write_pages(locked, ["ลับ"])
    locked.output(str(folder / "locked.pdf"))
    (folder / "nopages.pdf").write_bytes(_pdf_without_pages())
    make_pdf(folder / "long.pdf", 2, pages=4)
    return {"empty.pdf": "empty", "letter.pdf": "not_pdf", "cut.pdf": "truncated",
            "garbage.pdf": "corrupt", "locked.pdf": "encrypted", "nopages.pdf": "no_pages",
            "long.pdf": "too_many_pages"}


def _pdf_without_pages() -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def documents(home: Path) -> list[dict]:
    db = sqlite3.connect(f"file:{home / 'archive' / 'index.db'}?mode=ro", uri=True, timeout=30)
    db.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in db.execute("select * from documents order by id")]
    except sqlite3.OperationalError:  # not created yet
        return []
    finally:
        db.close()


def integrity_ok(home: Path) -> bool:
    db = sqlite3.connect(home / "archive" / "index.db")
    try:
        return db.execute("pragma integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()


def archived_files(home: Path) -> set[str]:
    """Kept files in the archive (not the index, sidecars or models), relative to home."""
    archive = home / "archive"
    return {
        path.relative_to(home).as_posix()
        for path in archive.rglob("*")
        if path.is_file() and not path.name.startswith("index.db")
        and not path.name.endswith(".reason.txt") and "model" not in path.relative_to(archive).parts
    }


def ingest(home: Path, files: list[Path], **changes):
    intake = Intake(Home(home), settings(**changes))
    try:
        return intake.process(files)
    finally:
        intake.close()


def test_each_file_is_stored_once_and_leaves_the_inbox(tmp_path):
    home = tmp_path / "home"
    files = [make_pdf(home / "inbox" / f"doc{n}.pdf", n) for n in range(5)]
    digests = {sha256_of(f) for f in files}
    outcomes = ingest(home, files)
    assert len(outcomes) == 5 and all(o.status in ("filed", "review") for o in outcomes)
    rows = documents(home)
    assert {row["sha256"] for row in rows} == digests and len(rows) == 5
    assert not any((home / "inbox").iterdir())
    assert archived_files(home) == {row["archived_as"] for row in rows}
    for row in rows:
        assert sha256_of(home / row["archived_as"]) == row["sha256"]


def test_same_bytes_again_is_a_duplicate_of_the_first(tmp_path):
    home = tmp_path / "home"
    first = make_pdf(home / "inbox" / "report.pdf", 7)
    second = home / "inbox" / "sub" / "copy of report.pdf"
    second.parent.mkdir()
    second.write_bytes(first.read_bytes())
    outcomes = {Path(o.file).name: o for o in ingest(home, [first, second])}
    original, duplicate = outcomes["report.pdf"], outcomes[second.name]
    assert original.status in ("filed", "review") and duplicate.status == "duplicate"
    assert duplicate.id == original.id
    assert len(documents(home)) == 1
    assert (home / duplicate.archived_as).read_bytes() == (home / original.archived_as).read_bytes()
    assert not second.exists()


def test_each_bad_input_is_rejected_with_its_reason_and_kept(tmp_path):
    home = tmp_path / "home"
    expected = make_bad_inputs(home / "inbox")
    good = make_pdf(home / "inbox" / "good.pdf", 1)
    files = sorted((home / "inbox").iterdir())
    limits = ExtractionLimits(max_pages=3)
    outcomes = {Path(o.file).name: o for o in ingest(home, files, limits=limits)}
    for name, reason in expected.items():
        outcome = outcomes[name]
        assert outcome.status == "rejected", name
        assert outcome.reason.startswith(reason + ":"), (name, outcome.reason)
        kept = home / outcome.archived_as
        assert kept.parent == home / "archive" / "rejected"
        assert reason in Path(f"{kept}.reason.txt").read_text(encoding="utf-8")
    assert outcomes[good.name].status in ("filed", "review")


def test_a_file_over_the_time_limit_is_rejected_as_timed_out(tmp_path):
    home = tmp_path / "home"
    (home / "inbox").mkdir(parents=True)
    scan = make_scanned_pdf(home / "inbox" / "scan.pdf", ["ประกาศ " * 40])
    limits = ExtractionLimits(timeout_seconds=0.01)
    [outcome] = ingest(home, [scan], limits=limits)
    assert outcome.status == "rejected" and outcome.reason.startswith("timeout:")


def test_unsafe_names_are_stored_safely(tmp_path):
    home = tmp_path / "home"
    long_thai = "ประกาศผลการจัดซื้อจัดจ้าง" * 8
    names = ["bell\x07and\ttab.pdf", long_thai[:80] + ".pdf"]  # 244 bytes
    files = [make_pdf(home / "inbox" / name, n) for n, name in enumerate(names)]
    for outcome in ingest(home, files):
        stored = home / outcome.archived_as
        assert stored.is_file()
        assert len(stored.name.encode()) <= 200
        assert not any(ord(ch) < 32 for ch in stored.name)


def test_symlinks_out_of_the_inbox_are_not_followed(tmp_path):
    home = tmp_path / "home"
    outside = make_pdf(tmp_path / "private" / "secret.pdf", 3)
    inside = make_pdf(home / "inbox" / "real.pdf", 4)
    (home / "inbox" / "link.pdf").symlink_to(outside)
    (home / "inbox" / "folder-link").symlink_to(outside.parent, target_is_directory=True)
    assert list(files_under([home / "inbox"], root=home / "inbox")) == [inside]


def test_a_crash_after_the_copy_resumes_without_an_orphan(tmp_path):
    """The state a crash leaves between the verified copy and the index commit:
    the row is processing, the copy sits at its planned place."""
    home = tmp_path / "home"
    source = make_pdf(home / "inbox" / "interrupted.pdf", 5)
    archive = Archive(Home(home))
    document_id, _ = archive.receive(source, sha256_of(source))
    archive.start(document_id)
    planned = home / "archive" / "2565" / "O1" / "interrupted.pdf"
    planned.parent.mkdir(parents=True)
    planned.write_bytes(source.read_bytes())
    archive.index.update_document(document_id, {"archived_as": "archive/2565/O1/interrupted.pdf"})
    assert archive.recover() == 1
    archive.close()
    assert not planned.exists()
    [outcome] = ingest(home, [source])
    assert outcome.id == document_id and outcome.status in ("filed", "review")
    assert archived_files(home) == {outcome.archived_as}
    assert integrity_ok(home)


def test_a_crash_between_rejection_and_move_is_finished_by_recover(tmp_path):
    home = tmp_path / "home"
    source = home / "inbox" / "note.pdf"
    source.parent.mkdir(parents=True)
    source.write_text("not a pdf")
    archive = Archive(Home(home))
    outcome = archive.reject(None, source, "not_pdf", "not a PDF", sha256_of(source))
    kept = home / outcome.archived_as
    os.replace(kept, source)  # as if the process died just before the move
    archive.recover()
    archive.close()
    assert kept.read_text() == "not a pdf" and not source.exists()
    assert len(documents(home)) == 1


def _worker_pids() -> list[int]:
    """This process's pool workers (spawned children), not its resource tracker."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and b"spawn_main" in command and b"resource_tracker" not in command:
            pids.append(int(entry.name))
    return pids


def test_a_worker_crash_loses_and_wrongly_rejects_nothing(tmp_path, caplog):
    """Workers die mid-batch, as a segfault in a PDF library would kill them: the
    files in flight are retried (alone) and end up stored like the others."""
    home = tmp_path / "home"
    files = [make_pdf(home / "inbox" / f"doc{n}.pdf", 100 + n) for n in range(8)]
    killed: list[int] = []

    def crash_workers_once(outcome) -> None:
        if not killed:
            killed.extend(_worker_pids())
            for pid in killed:
                os.kill(pid, signal.SIGKILL)

    intake = Intake(Home(home), settings(workers=2), on_outcome=crash_workers_once)
    try:
        outcomes = intake.process(files)
    finally:
        intake.close()
    # Killed with files in flight, those are retried alone; killed between files,
    # new workers take the next ones.
    assert killed and ("retrying it alone" in caplog.text or "died while idle" in caplog.text)
    assert sorted(Path(o.file).name for o in outcomes) == sorted(f.name for f in files)
    assert all(o.status in ("filed", "review") for o in outcomes), [o.reason for o in outcomes]
    rows = documents(home)
    assert len(rows) == 8 and archived_files(home) == {row["archived_as"] for row in rows}
