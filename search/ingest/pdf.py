"""`.pdf`: the text layer, read with pypdf (maintained, pure Python), then the `.txt` path.

A PDF made of scanned page images has no text layer; that is reported (run OCR first),
never indexed as an empty article. A PDF cut short in transfer usually lacks its `%%EOF`
trailer; pypdf can sometimes limp through it, but half an article indexed silently is worse
than a clear failure, so it is reported as truncated.
"""
from __future__ import annotations

import io
import logging

from ..errors import IngestError


def pdf_text(data: bytes, path) -> str:
    """Text of every page, pages separated by a line break."""
    if not data.strip():
        raise IngestError(path, "empty file")
    if not data.lstrip()[:5] == b"%PDF-":
        raise IngestError(path, "not a PDF file (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        raise IngestError(path, "truncated PDF (no %%EOF end marker)")
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(path, "encrypted PDF: a password is needed to read it")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except Exception as err:                       # pypdf raises many types on bad input
        raise IngestError(path, f"unreadable PDF ({type(err).__name__}: {err})") from None
    if not pages:
        raise IngestError(path, "PDF has no pages")
    if not any(page.strip() for page in pages):
        raise IngestError(path, "PDF has no text layer (scanned images?): run OCR first")
    return "\n".join(pages)
