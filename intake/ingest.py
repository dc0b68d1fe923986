"""Taking files in: the same path for ``oit ingest`` and the inbox watcher.

For each file: hash it, refuse what is not a PDF, register it in the index,
analyse it in a worker process (extraction and classification are the slow,
side-effect-free part), then let the archive store it in the main process, so
that only one process ever moves files or writes the index.
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import os
import signal
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from fnmatch import fnmatch
from pathlib import Path
from typing import Callable, Iterable, Iterator

from intake.archive import Archive, Outcome, sha256_of
from intake.config import Home, Settings
from intake.document import UnreadablePDF
from intake.extract import ExtractionLimits, check_pdf_file

log = logging.getLogger("oit.intake")

# Files that copy tools, office programs and operating systems leave behind.
IGNORED_PATTERNS = (
    "*.part", "*.partial", "*.crdownload", "*.tmp", "~$*", ".~lock*", ".*", "Thumbs.db",
    "desktop.ini", "*.reason.txt",
)


def is_ignored(path: Path) -> bool:
    return any(fnmatch(path.name, pattern) for pattern in IGNORED_PATTERNS)


def files_under(paths: Iterable[Path], root: Path | None = None) -> Iterator[Path]:
    """Files in the given files and folders (recursively), without ignorable ones.

    With ``root``, symlinks that lead outside it are not followed.
    """
    for path in paths:
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    yield from _accepted(Path(dirpath) / name, root)
        else:
            yield from _accepted(path, root)


def _accepted(path: Path, root: Path | None) -> Iterator[Path]:
    if is_ignored(path):
        return
    if root is not None and path.is_symlink():
        try:
            path.resolve(strict=True).relative_to(root.resolve())
        except (ValueError, OSError):
            log.warning("not following %s: it points outside %s", path, root)
            return
    yield path


@dataclass(frozen=True)
class _Job:
    document_id: int
    source: Path
    alone: bool = False  # retried by itself after a worker crash, to find the culprit


# The worker processes each hold one classifier, loaded once.
_worker_classifier = None
_worker_limits: ExtractionLimits | None = None


def _init_worker(home: Home, limits: ExtractionLimits) -> None:
    global _worker_classifier, _worker_limits
    from intake.learning import load_classifier

    # Ctrl-C reaches the whole process group; the main process decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_classifier = load_classifier(home)
    _worker_limits = limits


def _ready() -> bool:
    return True


def _analyse_in_worker(path: str):
    from intake.pipeline import analyse

    try:
        return "ok", analyse(Path(path), _worker_classifier, _worker_limits)
    except UnreadablePDF as error:
        return "unreadable", (error.reason, str(error))
    except Exception as error:  # one bad file must never stop the others
        log.exception("analysis of %s failed", path)
        return "failed", ("failed", f"{type(error).__name__}: {error}")


class Intake:
    """Processes files into one home's archive.

    ``process`` handles a batch (``oit ingest``); the watcher streams files with
    ``submit`` / ``collect``. Files wait in a bounded queue and are analysed in
    worker processes; only this process moves files and writes the index.
    """

    def __init__(self, home: Home, settings: Settings | None = None,
                 on_outcome: Callable[[Outcome], None] | None = None):
        self.home = home
        self.settings = settings or Settings.from_env()
        self.archive = Archive(home)
        self.on_outcome = on_outcome
        self.workers = max(1, self.settings.workers)
        # Document workers share the cores with the OCR processes each of them starts.
        self._limits = replace(
            self.settings.limits,
            ocr_workers=max(1, self.settings.limits.ocr_workers // self.workers),
        )
        # Past the extractor's own time limit a worker is stuck in native code: kill it.
        self._hard_timeout = self._limits.timeout_seconds * 1.5 + 60
        self._pool: ProcessPoolExecutor | None = None
        self._waiting: deque[_Job] = deque()
        self._suspects: deque[_Job] = deque()
        self._running: dict[Future, tuple[_Job, float]] = {}
        self._held: set[Path] = set()
        self._overdue: set[int] = set()

    # The streaming interface

    @property
    def capacity(self) -> int:
        return 2 * self.workers

    def has_room(self) -> bool:
        return len(self._held) < self.capacity

    def busy(self) -> bool:
        return bool(self._held)

    def holds(self, path: Path) -> bool:
        return path in self._held

    def start_workers(self) -> None:
        """Start the worker processes now (they load the classifier) rather than on the first file."""
        self._ensure_pool()

    def submit(self, path: Path) -> Outcome | None:
        """Take one file: settle it at once (duplicate, not a PDF…) or queue it for analysis.

        A file that cannot be read now (it vanished, no permission) is logged and left alone.
        """
        try:
            job = self._admit(path)
        except OSError as error:
            log.warning("cannot take %s now: %s", path, error)
            return None
        except Exception:  # the index, say: the file stays where it is, to be taken again
            log.exception("cannot take %s now", path)
            return None
        if isinstance(job, Outcome):
            self._report(job, path)
            return job
        self._held.add(job.source)
        self._waiting.append(job)
        self._dispatch()
        return None

    def collect(self, timeout: float | None = None) -> list[Outcome]:
        """Wait up to ``timeout`` for analyses to finish; store them and start the next ones."""
        outcomes: list[Outcome] = []
        if self._running:
            done, _ = wait(self._running, timeout=timeout, return_when=FIRST_COMPLETED)
            crashed: list[_Job] = []
            for future in done:
                job, _ = self._running.pop(future)
                try:
                    kind, payload = future.result()
                except BrokenProcessPool:
                    crashed.append(job)
                    continue
                if kind == "failed" and not job.alone:
                    # An error of ours, not of the file (memory short while others ran, say):
                    # a second chance alone before the file is rejected for it.
                    log.warning("analysis of %s failed (%s); retrying it alone", job.source,
                                payload[1])
                    self._suspects.append(replace(job, alone=True))
                    continue
                outcome = self._settle(job, kind, payload)
                if outcome is not None:
                    outcomes.append(outcome)
            if crashed:
                outcomes.extend(self._after_crash(crashed))
            self._kill_overdue()
        self._dispatch()
        return outcomes

    def close(self, grace_seconds: float | None = None) -> None:
        """Stop: finish the files in hand within ``grace_seconds`` (None: all of them),
        then abandon the rest safely — their rows stay open and resume on the next run."""
        self._waiting.clear()
        self._suspects.clear()
        deadline = None if grace_seconds is None else time.monotonic() + grace_seconds
        while self._running:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            self.collect(timeout=left)
            self._waiting.clear()
            self._suspects.clear()
        for job, _ in self._running.values():
            log.warning("abandoned %s: it resumes on the next run", job.source)
        self._stop_pool(kill=bool(self._running))
        self._running.clear()
        self._held.clear()
        self.archive.close()

    # The batch interface

    def process(
        self, files: Iterable[Path], on_outcome: Callable[[Outcome], None] | None = None
    ) -> list[Outcome]:
        """Process every file; return (and report, as they come) one Outcome per file."""
        outcomes: list[Outcome] = []
        previous = self.on_outcome

        def report(outcome: Outcome) -> None:
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
            if previous:
                previous(outcome)

        self.on_outcome = report
        try:
            for path in files:
                while not self.has_room():
                    self.collect(timeout=1.0)
                if not self.holds(path):
                    self.submit(path)
            while self.busy():
                self.collect(timeout=1.0)
        finally:
            self.on_outcome = previous
            if self.busy():  # interrupted: leave the rest to resume safely
                self._abandon()
        return outcomes

    # Inside

    def _report(self, outcome: Outcome, source: Path, seconds: float | None = None) -> None:
        self._held.discard(source)
        line = {**outcome.as_json(), "event": "outcome"}
        if seconds is not None:
            line["seconds"] = round(seconds, 3)
        log.info(json.dumps(line, ensure_ascii=False))
        if self.on_outcome:
            self.on_outcome(outcome)

    def _admit(self, path: Path) -> _Job | Outcome:
        """Register a file, or the Outcome when nothing more is to be done."""
        sha256 = sha256_of(path)
        try:
            check_pdf_file(path)
        except UnreadablePDF as error:
            return self.archive.reject(None, path, error.reason, str(error), sha256)
        document_id, outcome = self.archive.receive(path, sha256)
        return outcome if outcome is not None else _Job(document_id, path)

    def _dispatch(self) -> None:
        """Give queued files to idle workers; a crash suspect runs alone."""
        while len(self._running) < self.workers:
            if self._suspects:
                if self._running:
                    return
                job = self._suspects.popleft()
            elif self._waiting and not any(j.alone for j, _ in self._running.values()):
                job = self._waiting.popleft()
            else:
                return
            pool = self._ensure_pool()
            try:
                self.archive.start(job.document_id)
                future = pool.submit(_analyse_in_worker, str(job.source))
            except BrokenProcessPool:
                # A worker died since the last collect: the job waits its turn again.
                (self._suspects if job.alone else self._waiting).appendleft(job)
                if self._running:
                    return  # collect() sees the crash, retries those files and starts a new pool
                log.warning("the workers died while idle; starting new ones for %s", job.source)
                self._stop_pool(kill=True)
                continue
            except Exception:
                log.exception("cannot start %s; it resumes when taken again", job.source)
                self._held.discard(job.source)
                continue
            self._running[future] = (job, time.monotonic())

    def _settle(self, job: _Job, kind: str, payload) -> Outcome | None:
        """Store or reject an analysed file. Never raises: a failure leaves the row
        open and the file in the inbox, to be taken again."""
        started = time.monotonic()
        try:
            if kind == "ok":
                outcome = self.archive.store(job.document_id, job.source, payload.classification,
                                             payload.confident, payload.index_fields())
            else:
                reason, message = payload
                outcome = self.archive.reject(
                    job.document_id, job.source, reason, message,
                    self.archive.index.get(job.document_id)["sha256"])
        except Exception:
            log.exception("cannot store %s; it resumes when taken again", job.source)
            self._held.discard(job.source)
            return None
        seconds = payload.seconds if kind == "ok" else None
        self._report(outcome, job.source, (seconds or 0) + time.monotonic() - started)
        return outcome

    def _after_crash(self, crashed: list[_Job]) -> list[Outcome]:
        """A worker died (a segfault in a PDF library, or killed for time): every file
        in flight lost its analysis. Each is retried alone; one that kills its worker
        alone is the culprit and is rejected, the others go on normally."""
        outcomes: list[Outcome] = []
        for future, (job, _) in list(self._running.items()):
            try:
                kind, payload = future.result(timeout=30)
            except Exception:
                crashed.append(job)
                continue
            finally:
                del self._running[future]
            crashed_outcome = self._settle(job, kind, payload)
            if crashed_outcome is not None:
                outcomes.append(crashed_outcome)
        self._stop_pool(kill=True)
        for job in crashed:
            overdue = job.document_id in self._overdue
            if job.alone:
                self._overdue.discard(job.document_id)
                reason, message = (
                    ("timeout", f"{job.source.name} took longer than "
                                f"{self._hard_timeout:.0f} s to read and was stopped.")
                    if overdue else
                    ("corrupt", f"{job.source.name} is damaged: reading it crashed the PDF reader.")
                )
                outcome = self._settle(job, "unreadable", (reason, message))
                if outcome is not None:
                    outcomes.append(outcome)
            else:
                log.warning("a worker crashed while %s was in flight; retrying it alone",
                            job.source)
                self._overdue.discard(job.document_id)
                self._suspects.append(replace(job, alone=True))
        return outcomes

    def _kill_overdue(self) -> None:
        now = time.monotonic()
        late = [job for job, started in self._running.values()
                if now - started > self._hard_timeout]
        if not late:
            return
        for job in late:
            log.warning("%s is over the time limit: stopping its worker", job.source)
            self._overdue.add(job.document_id)
        # concurrent.futures cannot cancel a running call: end its process instead.
        for process in list((self._pool._processes or {}).values()):
            process.kill()

    def _ensure_pool(self) -> ProcessPoolExecutor:
        """The worker pool, started and ready; a pool that cannot start (no model, say)
        is an error of the installation, not of a file, and is raised."""
        if self._pool is None:
            # spawn, not fork: the watcher has threads (the observer) that fork would copy mid-lock.
            pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker, initargs=(self.home, self._limits),
            )
            try:
                for ready in as_completed([pool.submit(_ready) for _ in range(self.workers)]):
                    ready.result()
            except BrokenProcessPool as error:
                pool.shutdown(wait=True, cancel_futures=True)
                raise RuntimeError(
                    "the worker processes could not start (see the error above)") from error
            self._pool = pool
        return self._pool

    def _stop_pool(self, kill: bool) -> None:
        if self._pool is None:
            return
        if kill:
            for process in list((self._pool._processes or {}).values()):
                process.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None

    def _abandon(self) -> None:
        self._waiting.clear()
        self._suspects.clear()
        self._stop_pool(kill=True)
        self._running.clear()
        self._held.clear()
