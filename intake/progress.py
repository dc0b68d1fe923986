"""A one-line progress bar on the terminal for ``oit ingest`` of a folder."""
from __future__ import annotations

import sys
import time
from collections import Counter


class Progress:
    def __init__(self, total: int, enabled: bool = True, stream=sys.stderr):
        self.total, self.enabled, self.stream = total, enabled and total > 1, stream
        self.done = 0
        self.counts: Counter[str] = Counter()
        self.started = time.monotonic()

    def advance(self, status: str) -> None:
        self.done += 1
        self.counts[status] += 1
        self._draw()

    def write(self, line: str) -> None:
        """Print a line above the bar."""
        if self.enabled:
            self.stream.write("\r\033[K")
        print(line, flush=True)
        self._draw()

    def _draw(self) -> None:
        if not self.enabled:
            return
        width = 30
        filled = width * self.done // max(1, self.total)
        rate = self.done / max(1e-6, time.monotonic() - self.started) * 60
        counts = " ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
            f"  {rate:.0f}/min  {counts}"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
