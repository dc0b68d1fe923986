"""The first page of a PDF as a PNG, for the reviewer to see what the text came from."""
from __future__ import annotations

import io
import threading
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium

WIDTH_PX = 900
# PDFium is not thread-safe and the server answers requests in threads.
_pdfium_lock = threading.Lock()


class NoPreview(Exception):
    """PDFium cannot draw this file (it may still have text and metadata)."""


def first_page_png(path: Path, sha256: str) -> bytes:
    """Rendered once per file content and place."""
    try:
        return _render(str(path), sha256)
    except (pdfium.PdfiumError, IndexError, OSError) as error:
        raise NoPreview(str(error)) from error


@lru_cache(maxsize=64)
def _render(path: str, sha256: str) -> bytes:
    with _pdfium_lock:
        document = pdfium.PdfDocument(path)
        try:
            page = document[0]
            bitmap = page.render(scale=WIDTH_PX / page.get_width())
            image = bitmap.to_pil()
            bitmap.close()
            page.close()
        finally:
            document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
