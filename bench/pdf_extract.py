#!/usr/bin/env python3
"""PDF text layers: what each library recovers, how fast, and what it prints to stderr.

    .venv/bin/python bench/pdf_extract.py [FOLDER_OF_PDFS]

Without a folder, the two seeds typeset as journal PDFs (tests/journal_pdf.py) are used.
For each file and library: seconds, CJK characters recovered (as a share of poppler's
`pdftotext -layout`, the reference viewers agree with; `apt-get install poppler-utils`),
and whether anything reached stderr. Libraries: pypdf (the previous extractor),
pdfminer.six, pypdfium2 raw text, and defsearch's own path (pypdfium2 + layout,
`search.ingest.pdf.pdf_pages`). pdfminer.six is measured only if installed.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def poppler(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, timeout=120).stdout


def with_pypdf(path: Path) -> str:
    from pypdf import PdfReader
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def with_pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text
    return extract_text(str(path))


def with_pdfium(path: Path) -> str:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(path))
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def with_defsearch(path: Path) -> str:
    from search.ingest.pdf import pdf_pages
    return pdf_pages(path.read_bytes(), path).text


@contextlib.contextmanager
def stderr_captured():
    """What the process writes to file descriptor 2 (C libraries included)."""
    saved = os.dup(2)
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 2)
        box = io.StringIO()
        try:
            with contextlib.redirect_stderr(box):
                yield box
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            box.write(tmp.read().decode("utf-8", "replace"))


def main() -> None:
    if len(sys.argv) > 1:
        files = sorted(Path(sys.argv[1]).glob("*.pdf"))
        tmp = None
    else:
        from journal_pdf import journal_pdf
        tmp = Path(tempfile.mkdtemp())
        files = []
        for seed in sorted((ROOT / "corpus").glob("*.txt")):
            out = tmp / f"{seed.stem}.pdf"
            journal_pdf(seed, out)
            files.append(out)
    libs = [("pypdf", with_pypdf), ("pypdfium2", with_pdfium), ("defsearch", with_defsearch)]
    try:
        import pdfminer  # noqa: F401
        libs.insert(1, ("pdfminer.six", with_pdfminer))
    except ImportError:
        pass
    totals = {name: [0.0, 0, 0] for name, _ in libs}      # seconds, cjk, noisy files
    reference = 0
    for path in files:
        ref = len(CJK.findall(poppler(path))) if shutil.which("pdftotext") else 0
        reference += ref
        row = [f"{path.name[:28]:28} poppler {ref:6}"]
        for name, fn in libs:
            started = time.perf_counter()
            with stderr_captured() as err:
                try:
                    text = fn(path)
                except Exception as exc:     # noqa: BLE001 - a library failing is a figure
                    text = ""
                    row.append(f"{name} failed ({type(exc).__name__})")
            seconds = time.perf_counter() - started
            cjk = len(CJK.findall(text))
            totals[name][0] += seconds
            totals[name][1] += cjk
            totals[name][2] += bool(err.getvalue().strip())
            row.append(f"{name} {cjk:6} {seconds:5.2f}s")
        print(" | ".join(row))
    print(f"{len(files)} files; CJK characters as a share of poppler's ({reference}):")
    for name, (seconds, cjk, noisy) in totals.items():
        share = f"{100 * cjk / reference:.1f}%" if reference else "n/a"
        print(f"  {name:12} {share:>7}  {seconds:6.2f} s  stderr written by {noisy} files")
    if tmp is not None:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
