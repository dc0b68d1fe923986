"""Taking files in: the same path for ``oit ingest`` and the inbox watcher.

For each file: hash it, refuse what is not a PDF, register it in the index,
analyse it in a worker process (extraction and classification are the slow,
side-effect-free part), then let the archive store it in the main process, so
that only one process ever moves files or writes the index.
"""
from __future__ import annotations

import json
import logging
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
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


# The worker processes each hold one classifier, loaded once.
_worker_classifier = None
_worker_limits: ExtractionLimits | None = None


def _init_worker(home: Home, limits: ExtractionLimits) -> None:
    global _worker_classifier, _worker_limits
    from intake.learning import load_classifier

    _worker_classifier = load_classifier(home)
    _worker_limits = limits


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
    """Processes files into one home's archive."""

    def __init__(self, home: Home, settings: Settings | None = None):
        self.home = home
        self.settings = settings or Settings.from_env()
        self.archive = Archive(home)

    def close(self) -> None:
        self.archive.close()

    def process(
        self, files: Iterable[Path], on_outcome: Callable[[Outcome], None] | None = None
    ) -> list[Outcome]:
        """Process every file; return (and report, as they come) one Outcome per file."""
        outcomes: list[Outcome] = []

        def report(outcome: Outcome) -> None:
            outcomes.append(outcome)
            log.info(json.dumps(outcome.as_json(), ensure_ascii=False))
            if on_outcome:
                on_outcome(outcome)

        workers = max(1, self.settings.workers)
        # Document workers share the cores with the OCR processes each of them starts.
        limits = replace(
            self.settings.limits,
            ocr_workers=max(1, self.settings.limits.ocr_workers // workers),
        )
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(self.home, limits)
        ) as pool:
            running: dict[Future, _Job] = {}
            for path in files:
                job = self._admit(path, report)
                if job is None:
                    continue
                self.archive.start(job.document_id)
                running[pool.submit(_analyse_in_worker, str(job.source))] = job
                if len(running) >= 2 * workers:
                    self._finish(running, report, FIRST_COMPLETED)
            while running:
                self._finish(running, report, FIRST_COMPLETED)
        return outcomes

    def _admit(self, path: Path, report: Callable[[Outcome], None]) -> _Job | None:
        """Register a file; report it at once if nothing more is to be done."""
        try:
            sha256 = sha256_of(path)
        except OSError as error:
            log.error("cannot read %s: %s", path, error)
            return None
        try:
            check_pdf_file(path)
        except UnreadablePDF as error:
            report(self.archive.reject(None, path, error.reason, str(error), sha256))
            return None
        document_id, outcome = self.archive.receive(path, sha256)
        if outcome is not None:
            report(outcome)
            return None
        return _Job(document_id, path)

    def _finish(self, running: dict[Future, _Job], report, return_when) -> None:
        done, _ = wait(running, return_when=return_when)
        for future in done:
            job = running.pop(future)
            kind, payload = future.result()
            if kind == "ok":
                report(
                    self.archive.store(
                        job.document_id,
                        job.source,
                        payload.classification,
                        payload.confident,
                        payload.index_fields(),
                    )
                )
            else:
                reason, message = payload
                report(self.archive.reject(job.document_id, job.source, reason, message,
                                           self.archive.index.get(job.document_id)["sha256"]))
