"""Resources an ingest may spend on one file are bounded, and a file over a limit is one clear
failure naming the file and the limit, never gigabytes of memory or minutes of parsing.

The hostile PDFs are built here from raw bytes: Flate-compressed whitespace is tiny on disk
(70 MB of spaces compress to 70 KB) but pypdf parses page content byte by byte."""
import tracemalloc
import zlib
from pathlib import Path

import pypdf  # noqa: F401  (imported before tracemalloc starts: only the ingest is traced)
import pytest

from search.errors import IngestError
from search.ingest import ingest_file
from search.ingest.layout import MAX_NOTE_CHARS
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


def test_pdf_of_whitespace_pages_under_the_limits_has_no_text_layer(tmp_path, monkeypatch):
    """Under the limits the file is read as before (here: nothing but whitespace; OCR off,
    as without Tesseract: tests/test_ingest_ocr.py has the OCR side)."""
    monkeypatch.setenv("DEFSEARCH_TESSERACT", "")
    path = tmp_path / "blank.pdf"
    path.write_bytes(pdf_of_streams(whitespace_stream(100_000), pages=3))
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_path)
    assert str(info.value) == (f"{path}: PDF has no text layer (scanned images?): "
                               "run OCR first")


# --- notes: a footnote block is the bottom of a page, never a whole book ---------------------

COMMON = ("的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動同工也能"
          "下過子說產種面而方後多定行學法所民得經十三之進著等部度家電力裡如水化高自二理起小物現實加量都"
          "兩體制機當使點從業本去把性好應開它合還因由其些然前外天政四日那社義事平形相全表間樣與關各重新")


def big_chinese_text(size: int) -> tuple[str, int]:
    """About `size` bytes of UTF-8 Chinese laid out as plain text often is: one paragraph a
    line indented by two spaces, no blank lines, now and then a line of spaces (which looks
    like the separator above a PDF's footnotes) and a short line starting with a number (which
    looks like a note). Returns (text, characters in the paragraphs)."""
    import random
    rng = random.Random(10)
    lines, body, total = ["大型中文文本", ""], 0, 0
    while total < size:
        r = rng.random()
        if r < 0.02:
            line = " " * 24
        elif r < 0.04:
            line = f"{rng.randint(1, 30)} 見前引書。"
        else:
            text = "".join(rng.choice(COMMON) for _ in range(rng.randint(60, 400)))
            para = "，".join(text[i:i + 17] for i in range(0, len(text), 17)) + "。"
            line = "  " + para
            body += len(para)
        lines.append(line)
        total += len(line.encode("utf-8")) + 1
    return "\n".join(lines) + "\n", body


def test_big_chinese_text_stays_in_passages(tmp_path):
    """A 50 MB Chinese .txt put 9.1 M characters into 49 "footnotes" and 2.3 M into
    passages; here 1 MB of the same shape."""
    text, body = big_chinese_text(1_000_000)
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    [article] = ingest_file(path, tmp_path)
    in_passages = sum(len(p.text) for p in article.passages)
    in_notes = sum(len(n.text) for n in article.footnotes)
    assert in_passages >= body
    assert in_notes <= text.count(" 見前引書。") * len("見前引書。")


def test_a_note_block_ends_at_a_printed_line_width(tmp_path):
    """Under a separator, a numbered line then a paragraph wider than any printed line: the
    paragraph is body text, not the rest of note 1."""
    para = "兩岸關係近年持續緊張，解放軍在臺灣周邊的軍事活動日益頻繁，各方都密切注意。" * 4
    text = f"臺海安全評析\n\n{para}\n{' ' * 30}\n1 參閱前文。\n  {para}\n"
    article = parse_text_file(tmp_path, text)
    assert [p.text for p in article.passages] == [para, "1 參閱前文。", para]
    assert article.footnotes == []


def test_a_note_continued_over_many_pages_is_bounded(tmp_path):
    """Rules followed by `1 ` lines, hard-wrapped and never blank: at most one note's worth
    becomes note 1 (a repeated number continues the note), the rest stays body text."""
    import random
    rng = random.Random(3)
    line = lambda: "".join(rng.choice(COMMON) for _ in range(34))
    pages = ["—" * 12 + "\n1 " + "\n".join(line() for _ in range(9)) for _ in range(500)]
    article = parse_text_file(tmp_path, "臺海安全評析\n\n" + "\n".join(pages) + "\n")
    [note] = article.footnotes
    assert note.label == "1" and len(note.text) <= MAX_NOTE_CHARS
    in_passages = sum(len(p.text) for p in article.passages)
    assert in_passages + len(note.text) >= 500 * 9 * 34


def parse_text_file(tmp_path: Path, text: str):
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    [article] = ingest_file(path, tmp_path)
    return article
