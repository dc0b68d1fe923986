"""The archive of a home: where files are kept, and every change to them.

All side effects of the pipeline live here: copying files into ``archive/``,
removing originals from the inbox, and writing the index. The order of each
step makes a crash at any point recoverable: the planned destination is
recorded before the copy, the copy is verified by sha256 before the index
commit, and the original leaves the inbox only after that commit.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifiers.labels import Classification
from intake.config import Home
from intake.index import FINAL_STATUSES, Index, now

REVIEW_FOLDER = "review"
REJECTED_FOLDER = "rejected"
DUPLICATES_FOLDER = "duplicates"
UNKNOWN_YEAR_FOLDER = "unknown-year"
UNCLASSIFIED_FOLDER = "unclassified"
# ext4 and most file systems allow 255 bytes per name; Thai letters take 3 bytes each.
MAX_NAME_BYTES = 200


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def safe_name(name: str) -> str:
    """A file name that is safe to create: no control characters, separators or
    leading dots, at most MAX_NAME_BYTES, Thai kept as it is."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in name)
    name = re.sub(r"[/\\]", "_", name).strip().lstrip(".")
    name = re.sub(r"\s+", " ", name) or "document"
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = name, ""
    suffix = f".{suffix}" if suffix else ""
    while len((stem + suffix).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem + suffix


@dataclass(frozen=True)
class Outcome:
    """What happened to one file: the contract's line of ``oit ingest``."""

    file: str
    status: str  # filed | review | duplicate | rejected
    id: int | None
    sha256: str | None
    item: str | None = None
    fiscal_year: int | None = None
    confidence: float | None = None
    archived_as: str | None = None
    reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Archive:
    def __init__(self, home: Home):
        self.home = home.ensure()
        self.index = Index(home.index_path)

    def close(self) -> None:
        self.index.close()

    # Where files go

    def folder_for(self, status: str, item: str | None, fiscal_year: int | None) -> Path:
        if status == "filed":
            year = str(fiscal_year) if fiscal_year else UNKNOWN_YEAR_FOLDER
            return self.home.archive / year / (item or UNCLASSIFIED_FOLDER)
        return self.home.archive / {"review": REVIEW_FOLDER, "rejected": REJECTED_FOLDER,
                                    "duplicate": DUPLICATES_FOLDER}[status]

    def _free_path(self, folder: Path, name: str) -> Path:
        """``name`` in ``folder``, or ``name (2)``, ``(3)``… if taken on disk or in the index."""
        name = safe_name(name)
        stem, suffix = os.path.splitext(name)
        candidate, n = folder / name, 1
        while candidate.exists() or self._planned(candidate):
            n += 1
            candidate = folder / f"{stem} ({n}){suffix}"
        return candidate

    def _planned(self, path: Path) -> bool:
        relative = self.home.relative(path)
        return next(self.index.where("archived_as = ?", [relative]), None) is not None

    def _in_inbox(self, path: Path) -> bool:
        return self.home.contains(path, self.home.inbox)

    # Arrival

    def receive(self, source: Path, sha256: str) -> tuple[int, Outcome | None]:
        """Register a file about to be processed.

        Returns its document id, and an Outcome when nothing more is to be done:
        the bytes are already stored (a duplicate), or a crash came between the
        index commit and the removal of the original (finished here).
        """
        relative_source = self.home.relative(source)
        original = self.index.original_of(sha256)
        if original is not None:
            same_file = original["source"] == relative_source
            if same_file and original["status"] in ("received", "processing"):
                self._discard_planned_copy(original)
                return original["id"], None
            if same_file and original["status"] in FINAL_STATUSES and self._in_inbox(source):
                source.unlink()
                return original["id"], self._outcome_of(original, relative_source)
            return original["id"], self._record_duplicate(source, sha256, original)
        with self.index.transaction():
            document_id = self.index.insert_document(
                {
                    "sha256": sha256,
                    "size": source.stat().st_size,
                    "original_name": source.name,
                    "source": relative_source,
                    "status": "received",
                    "received_at": now(),
                }
            )
            self.index.add_event(document_id, "received", note=relative_source)
        return document_id, None

    def _discard_planned_copy(self, row: dict) -> None:
        """A crash left an unverified copy at the planned destination: remove it."""
        if row["archived_as"] and row["status"] not in FINAL_STATUSES:
            (self.home.root / row["archived_as"]).unlink(missing_ok=True)
            self.index.update_document(row["id"], {"archived_as": None})

    def _record_duplicate(self, source: Path, sha256: str, original: dict) -> Outcome:
        # The event names the planned place before the move: a crash in between
        # leaves the file in the inbox, to be recorded again, never unrecorded.
        target = self._aside_path(source, DUPLICATES_FOLDER)
        kept = self.home.relative(target)
        with self.index.transaction():
            self.index.add_event(
                original["id"], "duplicate",
                after={"archived_as": kept, "source": self.home.relative(source)},
                note=f"{self.home.relative(source)} kept as {kept}",
            )
        self._put_aside(source, target)
        return Outcome(
            file=str(source),
            status="duplicate",
            id=original["id"],
            sha256=sha256,
            item=original["item"],
            fiscal_year=original["fiscal_year"],
            confidence=original["item_confidence"],
            archived_as=kept,
        )

    def _aside_path(self, source: Path, folder_name: str) -> Path:
        folder = self.home.archive / folder_name
        folder.mkdir(parents=True, exist_ok=True)
        return self._free_path(folder, source.name)

    def _put_aside(self, source: Path, target: Path) -> None:
        """Move (inbox) or copy (elsewhere) a file to ``target``, never half-written."""
        if self._in_inbox(source) and not source.is_symlink():
            os.replace(source, target)
            return
        partial = target.with_name(f".{target.name}.partial")
        try:
            shutil.copyfile(source, partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        if self._in_inbox(source):
            source.unlink()

    def start(self, document_id: int) -> None:
        with self.index.transaction():
            self.index.update_document(document_id, {"status": "processing"})

    # Outcomes

    def store(
        self, document_id: int, source: Path, classification: Classification, confident: bool,
        extracted_fields: dict[str, Any],
    ) -> Outcome:
        """Copy the file to its place, verify it, commit the labels, release the original."""
        row = self.index.get(document_id)
        status = "filed" if confident else "review"
        item, reading = classification.item, classification.fiscal_year
        folder = self.folder_for(status, item.item, reading.fiscal_year)
        folder.mkdir(parents=True, exist_ok=True)
        # Choosing the name and recording it in one transaction: two processes
        # storing into one home never pick the same name.
        with self.index.transaction():
            destination = self._free_path(folder, row["original_name"])
            archived_as = self.home.relative(destination)
            self.index.update_document(document_id, {"archived_as": archived_as})
        self._copy_verified(source, destination, row["sha256"])
        labels = {
            "item": item.item,
            "item_confidence": item.confidence,
            "candidates": json.dumps(
                [{"item": c.item, "score": c.score} for c in item.candidates], ensure_ascii=False
            ),
            "fiscal_year": reading.fiscal_year,
            "fiscal_year_end": reading.fiscal_year_end,
            "fiscal_year_confidence": reading.confidence,
            "fiscal_year_evidence": reading.evidence,
        }
        with self.index.transaction():
            self.index.update_document(
                document_id,
                {**labels, **extracted_fields, "status": status,
                 "decided_at": now() if confident else None,
                 "decided_by": "oit" if confident else None},
            )
            self.index.add_event(document_id, status, after={**labels, "archived_as": archived_as})
        if self._in_inbox(source):
            source.unlink()
        return self._outcome_of(self.index.get(document_id), str(source))

    def reject(self, document_id: int | None, source: Path, reason: str, message: str,
               sha256: str | None) -> Outcome:
        """Keep an unusable file in ``archive/rejected/`` with a readable reason beside it.

        The index row is committed first with the planned place; a crash before
        the move leaves the file in the inbox and ``recover`` finishes the move.
        """
        target = self._aside_path(source, REJECTED_FOLDER)
        kept = self.home.relative(target)
        values = {"status": "rejected", "reason": f"{reason}: {message}", "archived_as": kept,
                  "decided_at": now(), "decided_by": "oit"}
        with self.index.transaction():
            if document_id is None:
                document_id = self.index.insert_document(
                    {"sha256": sha256 or "", "size": _size_of(source),
                     "original_name": source.name, "source": self.home.relative(source),
                     "received_at": now(), **values}
                )
            else:
                self.index.update_document(document_id, values)
            self.index.add_event(document_id, "rejected", note=values["reason"])
        self._write_sidecar(target, source.name, values["reason"])
        self._put_aside(source, target)
        return Outcome(file=str(source), status="rejected", id=document_id, sha256=sha256,
                       archived_as=kept, reason=values["reason"])

    def _write_sidecar(self, target: Path, original_name: str, reason: str) -> None:
        sidecar = target.with_name(f"{target.name}.reason.txt")
        code, _, message = reason.partition(": ")
        sidecar.write_text(
            f"{original_name}\nrejected {now()}: {code}\n{message}\n", encoding="utf-8"
        )

    def _copy_verified(self, source: Path, destination: Path, sha256: str) -> None:
        partial = destination.with_name(f".{destination.name}.partial")
        try:
            shutil.copyfile(source, partial)
            with open(partial, "rb") as handle:
                os.fsync(handle.fileno())
            if sha256_of(partial) != sha256:
                raise OSError(f"the copy of {source} in the archive does not match the original")
            # A link, not a rename: it fails instead of replacing a file another
            # process placed under the same name meanwhile.
            os.link(partial, destination)
        finally:
            partial.unlink(missing_ok=True)

    def _outcome_of(self, row: dict, file: str) -> Outcome:
        return Outcome(
            file=file,
            status=row["status"],
            id=row["id"],
            sha256=row["sha256"],
            item=row["item"],
            fiscal_year=row["fiscal_year"],
            confidence=row["item_confidence"],
            archived_as=row["archived_as"],
            reason=row["reason"],
        )

    # A person's decision

    def decide(self, document_id: int, item: str | None, fiscal_year: int | None,
               fiscal_year_end: int | None, actor: str) -> dict[str, Any]:
        """Confirm a document's labels: move it to its place, record who decided."""
        row = self.index.get(document_id)
        if row is None or row["status"] not in ("filed", "review"):
            raise LookupError(f"no stored document with id {document_id}")
        current = self.home.root / row["archived_as"]
        folder = self.folder_for("filed", item, fiscal_year)
        if current.parent == folder:
            destination = current
        else:
            folder.mkdir(parents=True, exist_ok=True)
            destination = self._free_path(folder, row["original_name"])
            self._copy_verified(current, destination, row["sha256"])
        before = {k: row[k] for k in ("status", "item", "fiscal_year", "fiscal_year_end",
                                      "archived_as")}
        after = {"status": "filed", "item": item, "fiscal_year": fiscal_year,
                 "fiscal_year_end": fiscal_year_end,
                 "archived_as": self.home.relative(destination)}
        with self.index.transaction():
            self.index.update_document(
                document_id,
                {**after, "item_confidence": 1.0, "fiscal_year_confidence": 1.0,
                 "confirmed": 1, "decided_at": now(), "decided_by": actor},
            )
            self.index.add_event(document_id, "decided", actor=actor, before=before, after=after)
        if destination != current:
            current.unlink()
        return self.index.get(document_id)

    # After a crash

    def recover(self) -> int:
        """Finish or undo what an interrupted run left half done; return how many
        documents were still open (they resume when their file is taken again)."""
        for partial in self.home.archive.rglob(".*.partial"):
            partial.unlink(missing_ok=True)
        open_rows = list(self.index.where("status in ('received', 'processing')"))
        for row in open_rows:
            self._discard_planned_copy(row)
            source = self.home.root / row["source"]
            if self._in_inbox(source) and not source.exists():
                self._close_vanished(row)
        for row in self.index.where("status = 'rejected' and archived_as is not null"):
            self._finish_rejection(row)
        return len(open_rows)

    def _close_vanished(self, row: dict) -> None:
        """The file left the inbox before it was processed (someone took it away):
        close its row so that nothing waits for it forever."""
        reason = "vanished: the file left the inbox before it was processed"
        with self.index.transaction():
            self.index.update_document(
                row["id"], {"status": "rejected", "reason": reason, "archived_as": None,
                            "decided_at": now(), "decided_by": "oit"})
            self.index.add_event(row["id"], "rejected", note=reason)

    def _finish_rejection(self, row: dict) -> None:
        target = self.home.root / row["archived_as"]
        source = self.home.root / row["source"]
        if target.exists() or not self._in_inbox(source) or not source.is_file():
            return
        if row["sha256"] and sha256_of(source) != row["sha256"]:
            return
        self._write_sidecar(target, row["original_name"], row["reason"] or "")
        self._put_aside(source, target)


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
