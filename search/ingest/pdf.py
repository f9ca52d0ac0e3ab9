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

from dataclasses import dataclass, field

from ..errors import IngestError

MAX_PAGE_CONTENT_MB = 4        # decompressed content of one page
MAX_FILE_CONTENT_MB = 16       # ... of all the pages of one file
MAX_SECONDS = 25               # reading one file's pages (every file well under 30 s)
_INSTEAD = "extract its text to a .txt (e.g. `pdftotext -layout`) to index it"
_LIMITS = (f"(defsearch reads at most {MAX_PAGE_CONTENT_MB} MB a page and "
           f"{MAX_FILE_CONTENT_MB} MB a file): {_INSTEAD}")


@dataclass
class PdfText:
    text: str                          # in the `.txt` path's layout
    line_pages: list[str]              # the page label of each line of `text`
    ocr_pages: set[str] = field(default_factory=set)    # labels of the pages read by OCR
    title: str = ""                    # the document information dictionary's
    authors: list[str] = field(default_factory=list)


def pdf_pages(data: bytes, path) -> PdfText:
    """The text of every page, with each line's page and the PDF's own title/author."""
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
        info = _info(doc)
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
    title, authors = info
    lines = text.split("\n")
    if title and len(lines) > 1 and lines[1].strip() and not _FILE_NAME.search(title):
        # the first page opens with a paragraph, not a title line: the PDF's own title
        # stands before it (the .txt path takes a first line as the title)
        text, labels = f"{title} \n\n{text}", [labels[0], labels[0]] + labels
    return PdfText(text, labels, {p.label for p in pages if p.ocr}, title, authors)


# a /Title that is only the name of the file it was made from
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|indd|tex|odt|rtf|txt)$|^Microsoft Word - ", re.I)


def pdf_text(data: bytes, path) -> str:
    return pdf_pages(data, path).text


def _info(doc) -> tuple[str, list[str]]:
    """Title and authors from the document information dictionary ("" when unreadable):
    the fallback for a PDF whose first page has no title line. Its dates are when the
    file was made, not the article's, so they are not used."""
    title = " ".join(_meta(doc, "Title").split())
    authors = [a.strip() for a in re.split(r"[;,、；，]", _meta(doc, "Author")) if a.strip()]
    return title, authors


def _meta(doc, key: str) -> str:
    """One /Info string, read raw: pypdfium2's own decoding raises on half a UTF-16 pair
    (a damaged file), which is dropped here instead."""
    import ctypes

    import pypdfium2.raw as raw

    try:
        size = raw.FPDF_GetMetaText(doc.raw, key.encode("ascii"), None, 0)
        if size <= 2:
            return ""
        buffer = ctypes.create_string_buffer(size)
        raw.FPDF_GetMetaText(doc.raw, key.encode("ascii"), buffer, size)
    except Exception:          # noqa: BLE001 - a broken /Info: no fallback title
        return ""
    return buffer.raw[:size - 2].decode("utf-16-le", "replace").replace("\ufffd", "")


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
        passage.pages = []          # the PDF's pages only, never the text path's guess
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
