"""Resources an ingest may spend on one file are bounded, and a file over a limit is one clear
failure naming the file and the limit, never gigabytes of memory or minutes of parsing.

The hostile PDFs are built here from raw bytes: Flate-compressed whitespace is tiny on disk
(70 MB of spaces compress to 70 KB) but pypdf parses page content byte by byte."""
import tracemalloc
import zlib
from pathlib import Path

import pytest

from search.errors import IngestError
from search.ingest import ingest_file
from search.ingest.pdf import MAX_FILE_CONTENT_MB, MAX_PAGE_CONTENT_MB

LIMITS = (f"(defsearch reads at most {MAX_PAGE_CONTENT_MB} MB a page and "
          f"{MAX_FILE_CONTENT_MB} MB a file): extract its text to a .txt "
          "(e.g. `pdftotext -layout`) to index it")


def whitespace_stream(size: int) -> bytes:
    """`size` bytes of spaces, Flate-compressed without holding them all in memory."""
    packer = zlib.compressobj(9)
    chunk = b" " * 1_000_000
    out = [packer.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(out) + packer.compress(b" " * (size % len(chunk))) + packer.flush()


def pdf_of_streams(stream: bytes, pages: int) -> bytes:
    """A valid PDF whose `pages` pages all have `stream` (Flate) as their content."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            ("<< /Type /Pages /Kids [%s] /Count %d >>"
             % (" ".join(f"{3 + 2 * i} 0 R" for i in range(pages)), pages)).encode()]
    for i in range(pages):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                    f"/Contents {4 + 2 * i} 0 R >>".encode())
        objs.append(f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
                    + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def test_pdf_page_of_70_mb_whitespace_is_refused_at_page_1(tmp_path):
    """The issue's file: 2 MB on disk, 30 pages of 70 MB each once decompressed (it cost
    2.26 GB and 168 s before being reported as having no text layer)."""
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_of_streams(whitespace_stream(70_000_000), pages=30))
    assert path.stat().st_size < 2_500_000
    tracemalloc.start()
    try:
        with pytest.raises(IngestError) as info:
            ingest_file(path, tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(info.value) == (f"{path}: page 1 content is over {MAX_PAGE_CONTENT_MB} MB "
                               f"decompressed {LIMITS}")
    assert peak < 200_000_000               # one page's stream at most, not 30 of them


def test_pdf_pages_under_the_page_limit_but_over_the_file_limit(tmp_path):
    page = (MAX_PAGE_CONTENT_MB - 1) * 2**20
    pages = MAX_FILE_CONTENT_MB // (MAX_PAGE_CONTENT_MB - 1) + 1
    path = tmp_path / "many.pdf"
    path.write_bytes(pdf_of_streams(whitespace_stream(page), pages=pages + 5))
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_path)
    assert str(info.value) == (f"{path}: page content is over {MAX_FILE_CONTENT_MB} MB "
                               f"decompressed by page {pages} {LIMITS}")


def test_pdf_of_whitespace_pages_under_the_limits_has_no_text_layer(tmp_path):
    """Under the limits the file is read as before (here: nothing but whitespace)."""
    path = tmp_path / "blank.pdf"
    path.write_bytes(pdf_of_streams(whitespace_stream(100_000), pages=3))
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_path)
    assert str(info.value) == (f"{path}: PDF has no text layer (scanned images?): "
                               "run OCR first")
