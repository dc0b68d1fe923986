"""Files dropped on the web page: written into the inbox, nowhere else.

The watcher (``oit watch``) takes them from there like any other arrival.
"""
from __future__ import annotations

import os
from pathlib import Path

from werkzeug.datastructures import FileStorage

from intake.archive import safe_name


class UploadRefused(ValueError):
    pass


def save_to_inbox(upload: FileStorage, inbox: Path) -> Path:
    """Store one upload under a safe, unused name; return where it went."""
    name = safe_name(Path((upload.filename or "").replace("\\", "/")).name)
    if not name.lower().endswith(".pdf"):
        raise UploadRefused(f"{upload.filename!r}: รับเฉพาะไฟล์ PDF")
    inbox.mkdir(parents=True, exist_ok=True)
    # Written under a hidden name first: the watcher ignores dot-files, so it never
    # takes a half-written upload. Linking (not renaming) refuses to replace a file
    # that a simultaneous upload of the same name has just placed.
    partial = inbox / f".{os.urandom(8).hex()}.partial"
    try:
        upload.save(partial)
        while True:
            target = _unused(inbox, name)
            try:
                os.link(partial, target)
                return target
            except FileExistsError:
                continue
    finally:
        partial.unlink(missing_ok=True)


def _unused(folder: Path, name: str) -> Path:
    stem, suffix = os.path.splitext(name)
    candidate, n = folder / name, 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem} ({n}){suffix}"
    return candidate
