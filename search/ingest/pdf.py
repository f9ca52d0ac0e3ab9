"""`.pdf`: the text layer, read with pypdf (maintained, pure Python), then the `.txt` path.

A PDF made of scanned page images has no text layer; that is reported (run OCR first),
never indexed as an empty article. A PDF cut short in transfer usually lacks its `%%EOF`
trailer; pypdf can sometimes limp through it, but half an article indexed silently is worse
than a clear failure, so it is reported as truncated.

pypdf's layout mode keeps vertical gaps as blank lines, which is what tells paragraphs
apart in a PDF. Pages are trimmed of their blank margins, page numbers and repeated
header/footer lines *per page*, so a paragraph running over a page break joins up cleanly.

Page content is bounded before any of it is parsed: pypdf parses a content stream byte by
byte (about 1 s and 50 MB of memory per MB of operators), and Flate compresses 70 MB of
spaces to 70 KB, so a 2 MB file could cost minutes and gigabytes. A dense page of text is
about 50 KB and a 300-page book a few MB, hence the limits below. pypdf's own limits (75 MB
per decompressed stream) still bound what one stream may cost while it is measured.
"""
from __future__ import annotations

import io
import logging
import re

from ..errors import IngestError

MAX_PAGE_CONTENT_MB = 4        # decompressed content of one page
MAX_FILE_CONTENT_MB = 16       # ... of all the pages of one file
_INSTEAD = "extract its text to a .txt (e.g. `pdftotext -layout`) to index it"
_LIMITS = (f"(defsearch reads at most {MAX_PAGE_CONTENT_MB} MB a page and "
           f"{MAX_FILE_CONTENT_MB} MB a file): {_INSTEAD}")


def pdf_text(data: bytes, path) -> str:
    """Text of every page, pages separated by a line break."""
    if not data.strip():
        raise IngestError(path, "empty file")
    if not data.lstrip()[:5] == b"%PDF-":
        raise IngestError(path, "not a PDF file (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        raise IngestError(path, "truncated PDF (no %%EOF end marker)")
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(path, "encrypted PDF: a password is needed to read it")
        _check_content_size(reader, path)
        pages = [_page_text(page) for page in reader.pages]
    except IngestError:
        raise
    except LimitReachedError as err:               # one of pypdf's own safety limits
        raise IngestError(path, f"PDF over a pypdf safety limit ({err}): {_INSTEAD}") from None
    except Exception as err:                       # pypdf raises many types on bad input
        raise IngestError(path, f"unreadable PDF ({type(err).__name__}: {err})") from None
    if not pages:
        raise IngestError(path, "PDF has no pages")
    if not any(page.strip() for page in pages):
        raise IngestError(path, "PDF has no text layer (scanned images?): run OCR first")
    return "\n".join(_trim_pages(pages))


def _check_content_size(reader, path) -> None:
    """Raise IngestError if a page's, or all pages', decompressed content is over the limits.

    Decompressing is cheap (a few ms per MB); parsing is what costs, and it comes after."""
    from pypdf.errors import LimitReachedError
    total = 0
    for number, page in enumerate(reader.pages, 1):
        try:
            content = page.get_contents()
            size = len(content.get_data()) if content is not None else 0
        except LimitReachedError:                  # over pypdf's own 75 MB a stream
            size = MAX_PAGE_CONTENT_MB * 2**20 + 1
        if size > MAX_PAGE_CONTENT_MB * 2**20:
            raise IngestError(path, f"page {number} content is over {MAX_PAGE_CONTENT_MB} MB "
                                    f"decompressed {_LIMITS}")
        total += size
        if total > MAX_FILE_CONTENT_MB * 2**20:
            raise IngestError(path, f"page content is over {MAX_FILE_CONTENT_MB} MB "
                                    f"decompressed by page {number} {_LIMITS}")


def _page_text(page) -> str:
    from pypdf.errors import LimitReachedError
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except LimitReachedError:                      # the other mode would only hit it again
        raise
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
