"""Pages without a text layer (scans) read by Tesseract, when it is installed.

Debian's `tesseract-ocr` with the `chi-tra`, `chi-sim` and `eng` data (`make run` and
`make test` install them). A page is rendered at 300 dpi by PDFium and read by the
`tesseract` command (subprocess: no Python binding to pin, and a crash or hang stays in
that process, bounded by a timeout). Its TSV output gives each word's box, so the lines
go through the same layout rules as a text layer (paragraph ends from indents and gaps).
Passages from these pages are marked `Passage.ocr`. Without Tesseract a scan is reported
as before ("PDF has no text layer ...: run OCR first").
"""
from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import subprocess

from .pdf_layout import Char, PLine

DPI = 300
LANGS = ("chi_tra", "chi_sim", "eng")
PAGE_TIMEOUT = 60
_CJK = r"[\u3000-\u9fff\uff00-\uffef]"
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}


def command() -> str:
    """The Tesseract command: `DEFSEARCH_TESSERACT` names another one ("" turns OCR off)."""
    return os.environ.get("DEFSEARCH_TESSERACT", "tesseract")


def languages() -> str:
    """The `-l` argument for the installed ones of LANGS ("" without Tesseract)."""
    return _languages(command())


@functools.lru_cache(maxsize=4)
def _languages(name: str) -> str:
    exe = shutil.which(name) if name else None
    if exe is None:
        return ""
    try:
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True,
                                timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return ""
    return "+".join(lang for lang in LANGS if lang in listed)


def page_lines(page, langs: str) -> list[PLine]:
    """The lines Tesseract reads on a rendered page, in PDF units (y up), as PLines."""
    image = page.render(scale=DPI / 72).to_pil()
    png = io.BytesIO()
    image.save(png, format="PNG")
    try:
        run = subprocess.run([command(), "stdin", "stdout", "-l", langs, "--psm", "3",
                              "tsv"], input=png.getvalue(), capture_output=True,
                             timeout=PAGE_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return []
    if run.returncode != 0:
        return []
    height = page.get_height()
    k = 72 / DPI
    words: dict[tuple, list[dict]] = {}
    rows = csv.DictReader(io.StringIO(run.stdout.decode("utf-8", "replace")),
                          delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in rows:
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        try:
            if float(row["conf"]) < 0:
                continue
        except (KeyError, ValueError):
            continue
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        words.setdefault(key, []).append(row)
    lines = []
    for key in sorted(words):
        chars: list[Char] = []
        for word in words[key]:
            text = word["text"].strip()
            left, top = int(word["left"]) * k, int(word["top"]) * k
            w, h = int(word["width"]) * k, int(word["height"]) * k
            if chars and (chars[-1].ch.isascii() and chars[-1].ch.isalnum()
                          and text[0].isascii() and text[0].isalnum()):
                p = chars[-1]
                chars.append(Char(" ", p.right, p.bottom, p.right, p.top, p.size))
            step = w / len(text)
            for i, ch in enumerate(text):
                chars.append(Char(ch, left + i * step, height - top - h,
                                  left + (i + 1) * step, height - top, 0.0))
        size = max(c.top - c.bottom for c in chars if c.ch != " ")
        for c in chars:
            c.size = round(size * 2) / 2          # one size per line: OCR boxes vary
        line = PLine(chars).finish()
        line.text = _full_width(line.text)
        lines.append(line)
    return lines


def _full_width(text: str) -> str:
    """Tesseract's ASCII punctuation beside CJK back to the full-width forms printed."""
    return re.sub(f"(?<={_CJK})[,;:!?()]|[,;:!?()](?={_CJK})",
                  lambda m: _FULL[m.group(0)], text)
