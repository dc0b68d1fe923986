"""``oit watch``: the inbox watcher.

File-system events (or polling, for network shares where inotify is silent),
a scan at start and a periodic rescan all feed one list of candidates. A
candidate is taken only once it is complete: size and mtime unchanged for
``stable_seconds`` and the PDF's end-of-file marker present. A file that stays
unchanged without the marker is taken after ``incomplete_seconds`` anyway, so
that it ends up rejected as truncated instead of waiting forever. Everything
else — the state machine, the workers, the bounded queue — is ``Intake``'s.
"""
from __future__ import annotations

import logging
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from intake.config import Home, Settings
from intake.document import UnreadablePDF
from intake.extract import check_pdf_file
from intake.ingest import Intake, files_under, is_ignored

log = logging.getLogger("oit.watch")

# On SIGINT/SIGTERM, the files in hand get this long to finish before being abandoned.
STOP_GRACE_SECONDS = 20.0


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float  # monotonic time at which this size and mtime were first seen


class _Events(FileSystemEventHandler):
    """Hands the paths of file-system events to the main loop (observer thread)."""

    def __init__(self, paths: "queue.SimpleQueue[Path]"):
        self.paths = paths

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("deleted", "opened", "closed_no_write"):
            return
        # A folder's own "modified" events come with each file inside, which has its own.
        if event.is_directory and event.event_type not in ("created", "moved"):
            return
        target = getattr(event, "dest_path", "") or event.src_path
        self.paths.put(Path(os.fsdecode(target)))


class Candidates:
    """Files that may be ready, and how long each has stayed unchanged."""

    def __init__(self, stable_seconds: float, incomplete_seconds: float):
        self.stable_seconds = stable_seconds
        self.incomplete_seconds = incomplete_seconds
        self.seen: dict[Path, _Seen] = {}

    def add(self, path: Path) -> None:
        self.seen.setdefault(path, _Seen(-1, -1, time.monotonic()))

    def __len__(self) -> int:
        return len(self.seen)

    def ready(self) -> list[Path]:
        """The candidates complete now, oldest first; they leave the list."""
        now = time.monotonic()
        taken: list[tuple[float, Path]] = []
        for path, seen in list(self.seen.items()):
            try:
                stat = path.stat()
            except OSError:  # gone (processed, moved away, deleted)
                del self.seen[path]
                continue
            if (stat.st_size, stat.st_mtime_ns) != (seen.size, seen.mtime_ns):
                self.seen[path] = _Seen(stat.st_size, stat.st_mtime_ns, now)
                continue
            unchanged = now - seen.since
            if unchanged >= self.stable_seconds and (
                unchanged >= self.incomplete_seconds or _looks_complete(path)
            ):
                del self.seen[path]
                taken.append((seen.since, path))
        return [path for _, path in sorted(taken)]


def _looks_complete(path: Path) -> bool:
    """False while the file may still be being written: empty, or a PDF without its
    end-of-file marker. Anything else is complete (a non-PDF is rejected at once)."""
    try:
        check_pdf_file(path)
    except UnreadablePDF as error:
        return error.reason not in ("empty", "truncated")
    except OSError:
        return False
    return True


class Watcher:
    def __init__(self, home: Home, settings: Settings, poll_seconds: float | None = None):
        self.home = home.ensure()
        self.settings = settings
        self.poll_seconds = poll_seconds
        self.inbox = home.inbox.resolve()
        self.events: queue.SimpleQueue[Path] = queue.SimpleQueue()
        self.candidates = Candidates(settings.stable_seconds,
                                     max(settings.incomplete_seconds, settings.stable_seconds))
        # Files ready but waiting for room in the bounded queue.
        self.ready: list[Path] = []
        self.intake = Intake(home, settings)
        self.stopping = threading.Event()

    def run(self) -> int:
        reopened = self.intake.archive.recover()
        if reopened:
            log.warning("resuming %d documents left open by an interrupted run", reopened)
        observer = PollingObserver(timeout=self.poll_seconds) if self.poll_seconds else Observer()
        observer.schedule(_Events(self.events), str(self.inbox), recursive=True)
        observer.start()
        try:
            self.intake.start_workers()
            log.info("watching %s (%s)", self.inbox,
                     f"polling every {self.poll_seconds:g} s" if self.poll_seconds else "events")
            self._loop()
        finally:
            observer.stop()
            log.warning("stopping: finishing the files in hand")
            self.intake.close(grace_seconds=STOP_GRACE_SECONDS)
            observer.join(timeout=5)
        return 0

    def _loop(self) -> None:
        next_scan = 0.0  # the scan at start
        tick = min(1.0, max(0.05, self.settings.stable_seconds / 4))
        while not self.stopping.is_set():
            if time.monotonic() >= next_scan:
                self._scan(self.inbox)
                next_scan = time.monotonic() + self.settings.rescan_seconds
            self._take_events()
            self.ready.extend(p for p in self.candidates.ready() if p not in self.ready)
            while self.ready and self.intake.has_room() and not self.stopping.is_set():
                path = self.ready.pop(0)
                if not self.intake.holds(path) and path.exists():
                    self.intake.submit(path)
            if self.intake.busy():
                self.intake.collect(timeout=tick)
            elif self.candidates or self.ready:
                self.stopping.wait(tick)
            else:
                # Idle: sleep until an event arrives or the next rescan is due.
                self._wait_for_event(max(0.0, next_scan - time.monotonic()))

    def _wait_for_event(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                # Short slices so that a stop request is seen promptly.
                self.candidates_from(self.events.get(timeout=min(left, 1.0)))
                return
            except queue.Empty:
                continue

    def _take_events(self) -> None:
        while True:
            try:
                self.candidates_from(self.events.get_nowait())
            except queue.Empty:
                return

    def candidates_from(self, path: Path) -> None:
        if not _inside(path, self.inbox):  # moved out of the inbox
            return
        if path.is_dir() and not path.is_symlink():
            self._scan(path)  # a folder moved in brings files without events of their own
        elif self._wanted(path):
            self.candidates.add(path)

    def _wanted(self, path: Path) -> bool:
        if is_ignored(path) or self.intake.holds(path):
            return False
        if any(part.startswith(".") for part in path.relative_to(self.inbox).parts[:-1]):
            return False
        return next(files_under([path], root=self.inbox), None) is not None and path.is_file()

    def _scan(self, folder: Path) -> None:
        for path in files_under([folder], root=self.inbox):
            if not self.intake.holds(path) and path.is_file():
                self.candidates.add(path)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def watch(home: Home, settings: Settings, poll_seconds: float | None = None,
          stop: threading.Event | None = None) -> int:
    """Run until SIGINT/SIGTERM (or until ``stop`` is set); return the exit status.

    Bad files never stop the watcher; only an installation that cannot work does
    (the worker processes cannot start), with status 1."""
    logging.getLogger("oit").setLevel(logging.INFO)
    watcher = Watcher(home, settings, poll_seconds)
    if stop is not None:
        watcher.stopping = stop
    if threading.current_thread() is threading.main_thread():
        def request_stop(signum, frame) -> None:
            log.warning("received %s", signal.Signals(signum).name)
            watcher.stopping.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
    try:
        return watcher.run()
    except RuntimeError as error:
        log.error("oit watch cannot run: %s", error)
        return 1
