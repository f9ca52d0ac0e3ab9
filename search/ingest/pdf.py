"""`.pdf`: the printed layout read with pypdfium2 (`pdf_layout`), then the `.txt` path.

Why PDFium: it is the engine of Chrome's PDF viewer (Apache-2.0/BSD, maintained, a wheel
with no system dependency), reads what viewers read (CJK fonts with predefined CMaps such
as `GBK-EUC-H`/`ETen-B5-H`, AES-encrypted files with only an owner password, damaged
cross-reference tables), gives each character's box and font size (what footnotes,
headers and paragraph ends are told by), and does it in C++ fast enough for a 300-page
book; it never prints to stderr. pypdf (pure Python) is kept for one thing: measuring a
page's decompressed content before anything parses it (below).

A PDF made of scanned page images has no text layer; that is reported (run OCR first),
never indexed as an empty article. A PDF cut short in transfer usually lacks its `%%EOF`
trailer; half an article indexed silently is worse than a clear failure, so it is
reported as truncated.

Page content is bounded before any of it is parsed: Flate compresses 70 MB of spaces to
70 KB, so a 2 MB file could cost minutes and gigabytes. A dense page of text is about
50 KB and a 300-page book a few MB, hence the limits below; and reading stops with a clear
message after `MAX_SECONDS`.
"""
from __future__ import annotations

import io
import logging
import re
import time
import warnings

from ..errors import IngestError

MAX_PAGE_CONTENT_MB = 4        # decompressed content of one page
MAX_FILE_CONTENT_MB = 16       # ... of all the pages of one file
MAX_SECONDS = 25               # reading one file's pages (every file well under 30 s)
_INSTEAD = "extract its text to a .txt (e.g. `pdftotext -layout`) to index it"
_LIMITS = (f"(defsearch reads at most {MAX_PAGE_CONTENT_MB} MB a page and "
           f"{MAX_FILE_CONTENT_MB} MB a file): {_INSTEAD}")


def pdf_pages(data: bytes, path) -> tuple[str, list[str], set[str]]:
    """(text in the `.txt` path's layout, the page label of each of its lines, the labels
    of the pages read by OCR)."""
    if not data.strip():
        raise IngestError(path, "empty file")
    if not data.lstrip()[:5] == b"%PDF-":
        raise IngestError(path, "not a PDF file (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        raise IngestError(path, "truncated PDF (no %%EOF end marker)")
    _check_content_size(data, path)
    import pypdfium2 as pdfium

    from .pdf_layout import has_text, page_text, read_pages

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise IngestError(path, "encrypted PDF: a password is needed to read it") \
                from None
        raise IngestError(path, f"unreadable PDF ({_reason(err)})") from None
    started = time.monotonic()
    from .ocr import languages
    langs = languages()

    def deadline(number: int) -> None:
        if time.monotonic() - started > MAX_SECONDS:
            raise IngestError(path, f"reading took over {MAX_SECONDS} s by page {number}: "
                                    f"{_INSTEAD}")
    try:
        if len(doc) == 0:
            raise IngestError(path, "PDF has no pages")
        pages = read_pages(doc, deadline, ocr_langs=langs)
    except IngestError:
        raise
    except Exception as err:     # noqa: BLE001 - PDFium's errors on a damaged page
        raise IngestError(path, f"unreadable PDF ({_reason(err)})") from None
    finally:
        doc.close()
    if not has_text(pages):
        raise IngestError(path, "PDF has no text layer (scanned images?): run OCR first"
                          if not langs else "PDF has no text layer (scanned images?), and "
                          "OCR (Tesseract) found no text on its pages")
    text, labels = page_text(pages)
    return text, labels, {p.label for p in pages if p.ocr}


def pdf_text(data: bytes, path) -> str:
    return pdf_pages(data, path)[0]


def _reason(err: Exception) -> str:
    return f"{type(err).__name__}: {err}".rstrip(": ")


def _check_content_size(data: bytes, path) -> None:
    """Raise IngestError if a page's, or all pages', decompressed content is over the limits.

    Decompressing is cheap (a few ms per MB); parsing is what costs, and it comes after. A
    file pypdf cannot open is left to PDFium (it reads more damaged files)."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    log = logging.getLogger("pypdf")      # its warnings must never reach stderr
    log.setLevel(logging.CRITICAL + 1)
    log.propagate = False
    total = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                reader.decrypt("")
            pages = list(reader.pages)
        except Exception:                 # noqa: BLE001 - PDFium decides
            return
        for number, page in enumerate(pages, 1):
            try:
                content = page.get_contents()
                size = len(content.get_data()) if content is not None else 0
            except LimitReachedError:                  # over pypdf's own 75 MB a stream
                size = MAX_PAGE_CONTENT_MB * 2**20 + 1
            except Exception:             # noqa: BLE001 - a page pypdf cannot decode
                size = 0
            if size > MAX_PAGE_CONTENT_MB * 2**20:
                raise IngestError(path, f"page {number} content is over "
                                        f"{MAX_PAGE_CONTENT_MB} MB decompressed {_LIMITS}")
            total += size
            if total > MAX_FILE_CONTENT_MB * 2**20:
                raise IngestError(path, f"page content is over {MAX_FILE_CONTENT_MB} MB "
                                        f"decompressed by page {number} {_LIMITS}")


_NO_SPACE = re.compile(r"\s+|\[\d{1,3}\]|［\d{1,3}］")


def assign_pages(article, text: str, line_pages: list[str], ocr_pages=frozenset()) -> None:
    """Fill each passage's `pages`: where its text starts and ends in the extracted text
    (compared without spaces and note markers), in reading order; [] when not found. A
    passage all on pages read by OCR is marked `ocr`."""
    stream: list[str] = []
    owner: list[str] = []
    for line, label in zip(text.split("\n"), line_pages):
        squeezed = _NO_SPACE.sub("", line)
        stream.append(squeezed)
        owner.extend([label] * len(squeezed))
    flat = "".join(stream)
    cursor = 0
    for passage in article.passages:
        key = _NO_SPACE.sub("", passage.text)
        if not key:
            continue
        start = flat.find(key[:24], cursor)
        if start < 0:
            start = flat.find(key[:24])
        if start < 0:
            continue
        end = flat.find(key[-24:], start)
        end = (end + min(24, len(key))) if end >= 0 else start + len(key)
        labels: list[str] = []
        for label in owner[start:max(end, start + 1)]:
            if not labels or labels[-1] != label:
                labels.append(label)
        passage.pages = labels
        passage.ocr = bool(labels) and all(label in ocr_pages for label in labels)
        cursor = start + 1
