"""`.pdf`: the text layer, read with pypdf (maintained, pure Python), then the `.txt` path.

A PDF made of scanned page images has no text layer; that is reported (run OCR first),
never indexed as an empty article. A PDF cut short in transfer usually lacks its `%%EOF`
trailer; pypdf can sometimes limp through it, but half an article indexed silently is worse
than a clear failure, so it is reported as truncated.

pypdf's layout mode keeps vertical gaps as blank lines, which is what tells paragraphs
apart in a PDF. Pages are trimmed of their blank margins, page numbers and repeated
header/footer lines *per page*, so a paragraph running over a page break joins up cleanly.
"""
from __future__ import annotations

import io
import logging
import re

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
        pages = [_page_text(page) for page in reader.pages]
    except IngestError:
        raise
    except Exception as err:                       # pypdf raises many types on bad input
        raise IngestError(path, f"unreadable PDF ({type(err).__name__}: {err})") from None
    if not pages:
        raise IngestError(path, "PDF has no pages")
    if not any(page.strip() for page in pages):
        raise IngestError(path, "PDF has no text layer (scanned images?): run OCR first")
    return "\n".join(_trim_pages(pages))


def _page_text(page) -> str:
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except Exception:                              # layout mode is newer and stricter
        return page.extract_text() or ""


_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?\s*$")


def _trim_pages(pages: list[str]) -> list[str]:
    """Drop blank margins, page numbers and header/footer lines repeated on many pages."""
    split = []
    for page in pages:
        lines = [ln.rstrip() for ln in page.replace("\x00", "").splitlines()]
        split.append(_strip_blank(lines))
    for edge in (-1, 0):                 # footer line first, then header line
        keys = [_furniture_key(lines[edge]) if lines else None for lines in split]
        for i, lines in enumerate(split):
            if not lines or (i == 0 and edge == 0):     # page 1 starts with the title
                continue
            repeated = len(split) >= 3 and keys.count(keys[i]) >= max(2, len(split) // 2)
            if _PAGE_NUMBER.match(lines[edge]) or repeated:
                del lines[edge]
                split[i] = _strip_blank(lines)
    return ["\n".join(lines) for lines in split]


def _furniture_key(line: str) -> str:
    """Header/footer lines differ only by their page number."""
    return re.sub(r"\d+", "#", line.strip())


def _strip_blank(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines
