"""Where a home's folders are, and the settings the pipeline runs with."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from intake.extract import ExtractionLimits


@dataclass(frozen=True)
class Home:
    """A workspace: ``inbox/`` for arrivals, ``archive/`` for kept files and the index."""

    root: Path

    @classmethod
    def resolve(cls, path: str | os.PathLike | None = None) -> "Home":
        """``--home`` if given, else ``$OIT_HOME``, else the current directory."""
        chosen = path or os.environ.get("OIT_HOME") or "."
        return cls(Path(chosen).expanduser().resolve())

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def index_path(self) -> Path:
        return self.archive / "index.db"

    def ensure(self) -> "Home":
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.archive.mkdir(parents=True, exist_ok=True)
        return self

    def relative(self, path: Path) -> str:
        """A path as the index and the JSON output show it: relative to home when inside it."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def contains(self, path: Path, folder: Path) -> bool:
        try:
            path.resolve().relative_to(folder.resolve())
            return True
        except ValueError:
            return False


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


@dataclass(frozen=True)
class Settings:
    """Tunable behaviour; every field can be set from the environment (``OIT_*``)."""

    limits: ExtractionLimits = field(default_factory=ExtractionLimits)
    workers: int = os.cpu_count() or 1
    # A file is taken only once its size and mtime have not changed for this long.
    stable_seconds: float = 2.0
    # A file that stays unchanged this long without its PDF end marker is taken anyway
    # (and rejected as truncated): long enough for a stalled network copy to resume.
    incomplete_seconds: float = 60.0
    rescan_seconds: float = 60.0
    # After this many review decisions the item model is retrained (0: never automatically).
    retrain_after_decisions: int = 25

    @classmethod
    def from_env(cls) -> "Settings":
        defaults = cls()
        limits = ExtractionLimits(
            max_pages=_env_int("OIT_MAX_PAGES", defaults.limits.max_pages),
            timeout_seconds=_env_float("OIT_TIMEOUT_SECONDS", defaults.limits.timeout_seconds),
            ocr_workers=_env_int("OIT_OCR_WORKERS", defaults.limits.ocr_workers),
            ocr_dpi=_env_int("OIT_OCR_DPI", defaults.limits.ocr_dpi),
        )
        return cls(
            limits=limits,
            workers=_env_int("OIT_WORKERS", defaults.workers),
            stable_seconds=_env_float("OIT_STABLE_SECONDS", defaults.stable_seconds),
            incomplete_seconds=_env_float("OIT_INCOMPLETE_SECONDS", defaults.incomplete_seconds),
            rescan_seconds=_env_float("OIT_RESCAN_SECONDS", defaults.rescan_seconds),
            retrain_after_decisions=_env_int(
                "OIT_RETRAIN_AFTER", defaults.retrain_after_decisions
            ),
        )
