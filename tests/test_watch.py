"""The inbox watcher (issue 5): a real ``oit watch`` process with its real
observer on real folders. Nothing is timed: each test waits, with generous
limits, for the state it expects."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from intake.archive import sha256_of
from tests.test_ingest import archived_files, documents, integrity_ok, make_bad_inputs, make_pdf

FINAL = ("filed", "review", "rejected")
ROOT = Path(__file__).resolve().parents[1]


class Watcher:
    """``oit watch`` in its own session, so that a kill takes its workers too,
    as a power cut would."""

    def __init__(self, home: Path, log: Path, poll: float | None = None, **env: str):
        self.home, self.log = home, log
        command = [sys.executable, "-m", "intake", "watch", "--home", str(home)]
        if poll:
            command += ["--poll", str(poll)]
        environment = {**os.environ, "PYTHAINLP_OFFLINE": "1", "OIT_WORKERS": "2",
                       "OIT_STABLE_SECONDS": "0.5", "OIT_RESCAN_SECONDS": "5",
                       "OIT_INCOMPLETE_SECONDS": "4", **env}
        # The log may hold an earlier run's lines: wait for this run's own.
        start = log.stat().st_size if log.exists() else 0
        with open(log, "ab") as stderr:
            self.process = subprocess.Popen(command, cwd=ROOT, env=environment,
                                            stdout=subprocess.DEVNULL, stderr=stderr,
                                            start_new_session=True)
        wait_for(lambda: "watching" in log.read_bytes()[start:].decode(errors="replace"), 120, self)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


def wait_for(condition, timeout: float, watcher: Watcher | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if watcher is not None and not watcher.alive():
            raise AssertionError(f"the watcher died:\n{watcher.log.read_text(errors='replace')[-3000:]}")
        if time.monotonic() > deadline:
            log = watcher.log.read_text(errors="replace")[-3000:] if watcher else ""
            raise AssertionError(f"timed out waiting for {condition.__doc__ or condition}\n{log}")
        time.sleep(0.2)


def final_rows(home: Path) -> list[dict]:
    return [row for row in documents(home) if row["status"] in FINAL]


@pytest.fixture
def home(tmp_path) -> Path:
    (tmp_path / "home" / "inbox").mkdir(parents=True)
    return tmp_path / "home"


def assert_all_accounted_for(home: Path, names: list[str]) -> None:
    rows = documents(home)
    assert all(row["status"] in FINAL for row in rows), [r["status"] for r in rows]
    counts = Counter(row["original_name"] for row in rows)
    assert counts == Counter(names), "each file exactly one document"
    assert len({row["sha256"] for row in rows}) == len(rows), "no bytes stored twice"
    assert not [p for p in (home / "inbox").rglob("*") if p.is_file()]
    assert archived_files(home) == {row["archived_as"] for row in rows}, "no orphan in archive"
    for row in rows:
        assert sha256_of(home / row["archived_as"]) == row["sha256"]
    assert integrity_ok(home)
    assert outcome_events(home) == Counter({row["id"]: 1 for row in rows}), "each decided once"


def outcome_events(home: Path) -> Counter:
    db = sqlite3.connect(home / "archive" / "index.db")
    try:
        return Counter(document_id for (document_id,) in db.execute(
            "select document_id from events where action in ('filed', 'review', 'rejected')"))
    finally:
        db.close()


def test_a_slow_writer_is_taken_once_complete(home, tmp_path):
    watcher = Watcher(home, tmp_path / "watch.log")
    content = make_pdf(tmp_path / "source.pdf", 1).read_bytes()
    target = home / "inbox" / "slow.pdf"
    chunks = [content[i: i + len(content) // 5 + 1] for i in range(0, len(content), len(content) // 5 + 1)]
    with open(target, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
            handle.flush()
            # Pauses longer than the stability delay: only the missing %%EOF holds it back.
            time.sleep(1.0)
    wait_for(lambda: final_rows(home), 60, watcher)
    [row] = documents(home)
    assert row["status"] in ("filed", "review"), row["reason"]
    assert row["sha256"] == sha256_of(tmp_path / "source.pdf")
    assert row["pages"] == 1
    assert watcher.stop() == 0


def test_200_files_dropped_at_once_are_each_processed_once(home, tmp_path):
    staging = tmp_path / "staging"
    names = [f"batch/{n // 50}/doc-{n:03}.pdf" for n in range(200)]
    for n, name in enumerate(names):
        make_pdf(staging / name, 1000 + n)
    watcher = Watcher(home, tmp_path / "watch.log")
    os.replace(staging / "batch", home / "inbox" / "batch")  # all at once, as a folder
    wait_for(lambda: len(final_rows(home)) >= 200, 180, watcher)
    assert watcher.stop() == 0
    assert_all_accounted_for(home, [Path(name).name for name in names])
    assert all(row["status"] in ("filed", "review") for row in documents(home))


def stage_batch(staging: Path, count: int, first_seed: int) -> list[str]:
    names = [f"doc-{n:03}.pdf" for n in range(count)]
    for n, name in enumerate(names):
        make_pdf(staging / name, first_seed + n)
    return names


def drop(staging: Path, names: list[str], inbox: Path) -> None:
    for name in names:
        os.replace(staging / name, inbox / name)


def test_killed_mid_batch_then_restarted_every_file_is_accounted_for(home, tmp_path):
    names = stage_batch(tmp_path / "staging", 40, 2000)
    log = tmp_path / "watch.log"
    watcher = Watcher(home, log)
    drop(tmp_path / "staging", names, home / "inbox")
    wait_for(lambda: len(final_rows(home)) >= 10, 120, watcher)
    watcher.kill()
    assert len(final_rows(home)) < len(names), "the kill came mid-batch"
    watcher = Watcher(home, log)
    wait_for(lambda: len(final_rows(home)) >= len(names), 180, watcher)
    assert watcher.stop() == 0
    assert_all_accounted_for(home, names)


def test_bad_inputs_are_rejected_with_their_reason_and_the_watcher_goes_on(home, tmp_path):
    watcher = Watcher(home, tmp_path / "watch.log", poll=0.5, OIT_MAX_PAGES="3")
    expected = make_bad_inputs(tmp_path / "bad")
    for name in expected:
        os.replace(tmp_path / "bad" / name, home / "inbox" / name)
    (home / "inbox" / "~$draft.pdf").write_bytes(b"owner file of an office program")
    (home / "inbox" / "download.pdf.crdownload").write_bytes(b"%PDF-1.7 half")
    (home / "inbox" / "outside.pdf").symlink_to(make_pdf(tmp_path / "private" / "secret.pdf", 9))
    wait_for(lambda: len(final_rows(home)) >= len(expected), 120, watcher)
    make_pdf(home / "inbox" / "after.pdf", 10)
    wait_for(lambda: len(final_rows(home)) >= len(expected) + 1, 60, watcher)
    rows = {row["original_name"]: row for row in documents(home)}
    for name, reason in expected.items():
        assert rows[name]["status"] == "rejected"
        assert rows[name]["reason"].startswith(reason + ":"), rows[name]["reason"]
        kept = home / rows[name]["archived_as"]
        assert kept.is_file() and Path(f"{kept}.reason.txt").is_file()
    assert rows["after.pdf"]["status"] in ("filed", "review")
    assert set(rows) == set(expected) | {"after.pdf"}, "ignored and outside files are not taken"
    assert (home / "inbox" / "~$draft.pdf").exists()
    assert watcher.stop() == 0


def test_sigint_mid_batch_stops_cleanly_and_a_restart_finishes(home, tmp_path):
    names = stage_batch(tmp_path / "staging", 20, 3000)
    log = tmp_path / "watch.log"
    watcher = Watcher(home, log)
    drop(tmp_path / "staging", names, home / "inbox")
    wait_for(lambda: len(final_rows(home)) >= 3, 120, watcher)
    watcher.process.send_signal(signal.SIGINT)
    assert watcher.process.wait(timeout=60) == 0
    for row in documents(home):  # finished, or left whole for the next run
        if row["status"] not in FINAL:
            assert (home / row["source"]).is_file()
    watcher = Watcher(home, log)
    wait_for(lambda: len(final_rows(home)) >= len(names), 120, watcher)
    assert watcher.stop() == 0
    assert_all_accounted_for(home, names)
