"""Benchmarks of the inbox watcher (issue 5); prints its figures.

    PYTHAINLP_OFFLINE=1 .venv/bin/python benchmarks/inbox.py [--files 500] [--idle-seconds 60]

1. Drop-to-filed latency of a 1-page text PDF: from the rename into ``inbox/``
   to the committed index row, with the default stability delay.
2. Throughput on a backlog of 1-page PDFs already in ``inbox/`` when the
   watcher starts (start-up included), with 1 worker and with all cores.
3. CPU used by an idle ``oit watch`` (and its workers) over a period.
"""
from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

from intake.config import Home, Settings  # noqa: E402
from intake.watch import watch  # noqa: E402
from tests.pdf_factory import make_text_pdf  # noqa: E402

TEXT = ("แบบ สขร.1 สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือนพฤศจิกายน พ.ศ. 2564 "
        "สำนักงานเขตบางรัก เอกสารหมายเลข {n}")
FINAL = "('filed', 'review', 'rejected')"


def final_count(home: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{home / 'archive' / 'index.db'}?mode=ro", uri=True)
        try:
            return db.execute(f"select count(*) from documents where status in {FINAL}").fetchone()[0]
        finally:
            db.close()
    except sqlite3.OperationalError:
        return 0


def wait_until(condition, timeout: float, step: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the watcher did not finish in time")
        time.sleep(step)


class InProcessWatcher:
    def __init__(self, home: Path, settings: Settings):
        self.stop = threading.Event()
        self.thread = threading.Thread(target=watch, args=(Home(home), settings),
                                       kwargs={"stop": self.stop}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=120)


def latency(settings: Settings, runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home, staging = Path(tmp) / "home", Path(tmp) / "staging"
        (home / "inbox").mkdir(parents=True)
        staging.mkdir()
        with InProcessWatcher(home, settings):
            wait_until(lambda: (home / "archive" / "index.db").exists(), 120)
            time.sleep(15)  # let the workers start and load the model
            seconds = []
            for n in range(runs):
                source = make_text_pdf(staging / f"latency-{n}.pdf", [TEXT.format(n=n)])
                started = time.monotonic()
                os.replace(source, home / "inbox" / source.name)
                wait_until(lambda: final_count(home) > n, 120)
                seconds.append(time.monotonic() - started)
    print(f"drop-to-filed latency, 1-page text PDF, stability delay {settings.stable_seconds:g} s: "
          f"median {statistics.median(seconds):.2f} s, min {min(seconds):.2f} s, "
          f"max {max(seconds):.2f} s over {runs} drops "
          f"(so about {statistics.median(seconds) - settings.stable_seconds:.2f} s beyond the delay)")


def throughput(settings: Settings, files: int, sources: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        (home / "inbox").mkdir(parents=True)
        for n, content in enumerate(sources[:files]):
            (home / "inbox" / f"backlog-{n:04}.pdf").write_bytes(content)
        started = time.monotonic()
        with InProcessWatcher(home, settings):
            wait_until(lambda: final_count(home) >= files, 3600, step=0.1)
            seconds = time.monotonic() - started
    print(f"backlog of {files} 1-page PDFs, {settings.workers} worker(s): {seconds:.1f} s, "
          f"{files / seconds * 60:.0f} documents/minute, {files / seconds:.1f} pages/s "
          f"(worker start-up included)")


def idle_cpu(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        log = Path(tmp) / "watch.log"
        with open(log, "wb") as stderr:
            watcher = subprocess.Popen(
                [sys.executable, "-m", "intake", "watch", "--home", str(home)], cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        try:
            wait_until(lambda: "watching" in log.read_text(errors="replace"), 120, step=0.2)
            time.sleep(2)
            before = session_cpu_seconds(watcher.pid)
            time.sleep(seconds)
            used = session_cpu_seconds(watcher.pid) - before
        finally:
            watcher.send_signal(signal.SIGTERM)
            watcher.wait(timeout=60)
    print(f"idle watcher (main process and its workers) over {seconds:g} s: "
          f"{used:.2f} CPU seconds = {used / seconds * 100:.2f}% of one core")


def session_cpu_seconds(session: int) -> float:
    """User + system CPU time of every process in a session (the watcher and its workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # field 6 of stat: the session id
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--idle-seconds", type=float, default=60.0)
    args = parser.parse_args()
    settings = Settings.from_env()
    print(f"machine: {os.cpu_count()} cores")
    latency(settings)
    with tempfile.TemporaryDirectory() as tmp:
        sources = [make_text_pdf(Path(tmp) / f"{n}.pdf", [TEXT.format(n=n)]).read_bytes()
                   for n in range(args.files)]
    for workers in sorted({1, os.cpu_count() or 1}):
        throughput(replace(settings, workers=workers), args.files, sources)
    idle_cpu(args.idle_seconds)


if __name__ == "__main__":
    main()
