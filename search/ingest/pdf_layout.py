"""A PDF page's printed layout -> the text the `.txt` path reads, with each line's page.

pypdfium2 (PDFium, the engine of Chrome's viewer: Apache-2.0/BSD) gives every character
with its box and font size; that is what tells apart what a flat text layer mixes up:

* lines: characters grouped by vertical overlap (a raised, smaller note marker stays on
  its line and becomes `[3]`);
* running headers and page numbers: lines at the top or bottom edge of a page that are a
  number, or repeat (digits aside) on several pages: dropped;
* footnotes: the lines below a short horizontal rule at the page bottom, or a bottom
  block in smaller type starting with a note label: written as the `.txt` path's note
  blocks (a separator line, `N text`, continuation lines indented), a note running on
  over the page break continuing the open one;
* paragraphs: a paragraph ends where the next line is indented, set in another size,
  further down than the line pitch, or where a line stops short of the right margin
  after sentence punctuation. Paragraph ends are written as blank lines (and a trailing
  space after CJK), lines within a paragraph are not, so a paragraph running over a page
  break (its footnotes and the furniture removed) joins up.

`page_lines(doc)` -> (text, line_pages): `line_pages[i]` is the page label of text line
i + 1 (the printed label from the PDF's /PageLabels, else the physical page number).
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from .layout import JOURNAL

_NOTE_LABEL = re.compile(r"^(?:\d{1,3}|[＊*†‡])")
_PAGE_NUMBER = re.compile(r"^(?:[-–—]\s*)?(?:\d{1,4}|[ivxlcdm]{1,6})(?:\s*[-–—])?$|"
                          r"^第\s*\d{1,4}\s*頁$|^(?:Page|p\.)\s*\d{1,4}$", re.I)
_KEYWORDS = re.compile(r"^(?:key\s*words?|[關关]\s*[鍵键]\s*[詞词字])\s*[:：]", re.I)
_TERMINAL = tuple("。！？!?.」』”）)…:：")
SEPARATOR = " " * 30


@dataclass
class Char:
    ch: str
    left: float
    bottom: float
    right: float
    top: float
    size: float


@dataclass
class PLine:
    chars: list[Char] = field(default_factory=list)
    text: str = ""
    size: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    top: float = 0.0

    def finish(self) -> "PLine":
        real = [c for c in self.chars if c.ch.strip()]
        self.size = Counter(round(c.size, 1) for c in real).most_common(1)[0][0]
        base = [c for c in real if abs(c.size - self.size) < 0.15 * self.size] or real
        self.bottom = statistics.median(c.bottom for c in base)
        self.top = max(c.top for c in base)
        self.x0 = min(c.left for c in real)
        self.x1 = max(c.right for c in real)
        self.text = _with_markers(self.chars, self.size, self.bottom).strip()
        return self


def _with_markers(chars: list[Char], size: float, baseline: float) -> str:
    """The line's text; digits set smaller and raised above the baseline (a note marker)
    become `[N]`."""
    out, marker = [], []
    for c in chars:
        raised = c.ch.isdigit() and c.size < 0.85 * size and c.bottom > baseline + 0.15 * size
        if raised:
            marker.append(c.ch)
            continue
        if marker:
            out.append(f"[{''.join(marker)}]")
            marker = []
        out.append(c.ch)
    if marker:
        out.append(f"[{''.join(marker)}]")
    return "".join(out)


def _chars(page) -> list[Char]:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        chars = []
        count = textpage.count_chars()
        high = 0
        for i in range(count):
            code = raw.FPDFText_GetUnicode(textpage.raw, i)
            if 0xD800 <= code <= 0xDBFF:          # a UTF-16 pair: its low half follows
                high = code
                continue
            if 0xDC00 <= code <= 0xDFFF:
                if not high:
                    continue                      # a lone half (a damaged file): dropped
                code, high = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00), 0
            high = 0
            if code in (0, 0xFFFE, 0xFFFF) or code in (10, 13):
                continue
            ch = chr(code)
            if raw.FPDFText_IsGenerated(textpage.raw, i) and not ch.isspace():
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            size = raw.FPDFText_GetFontSize(textpage.raw, i)
            if ch.isspace():
                if chars:                 # a space sits on the line of what precedes it
                    p = chars[-1]
                    chars.append(Char(" ", p.right, p.bottom, p.right, p.top, p.size))
                continue
            chars.append(Char(ch, left, bottom, right, top, size or (top - bottom)))
        return chars
    finally:
        textpage.close()


def _lines(chars: list[Char]) -> list[PLine]:
    lines: list[PLine] = []
    cur: PLine | None = None
    lo = hi = 0.0
    for c in chars:
        if cur is not None and c.ch != " ":
            overlap = min(hi, c.top) - max(lo, c.bottom)
            prev = next((p for p in reversed(cur.chars) if p.ch != " "), None)
            back = prev is not None and c.left < prev.left - 2 * max(c.size, prev.size)
            if overlap <= 0.2 * min(hi - lo, c.top - c.bottom or 1) or back:
                lines.append(cur.finish())
                cur = None
        if cur is None:
            if c.ch == " ":
                continue
            cur, lo, hi = PLine(), c.bottom, c.top
        cur.chars.append(c)
        if c.ch != " " and c.size >= 0.85 * max(x.size for x in cur.chars[:1]):
            lo, hi = min(lo, c.bottom), max(hi, c.top)
    if cur is not None and any(c.ch.strip() for c in cur.chars):
        lines.append(cur.finish())
    return [ln for ln in lines if ln.text]


def _rules(page) -> list[float]:
    """Heights (PDF units, from the bottom) of short horizontal rules: a footnote rule."""
    import pypdfium2.raw as raw

    width = page.get_width()
    found = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
        try:
            left, bottom, right, top = obj.get_bounds()
        except Exception:      # noqa: BLE001 - an object without bounds: not a rule
            continue
        if top - bottom < 2 and 0.1 * width < right - left < 0.9 * width:
            found.append((top + bottom) / 2)
    return found


@dataclass
class Page:
    label: str
    height: float
    lines: list[PLine]
    rules: list[float]
    body: list[PLine] = field(default_factory=list)
    notes: list[PLine] = field(default_factory=list)
    ocr: bool = False               # no text layer: lines read by Tesseract


def read_pages(doc, deadline=None, ocr_langs: str = "") -> list[Page]:
    """Every page's lines; a page without a text layer is OCR'd when `ocr_langs` is set
    (see `search.ingest.ocr`)."""
    pages = []
    for i in range(len(doc)):
        if deadline is not None:
            deadline(i + 1)
        page = doc[i]
        try:
            label = doc.get_page_label(i) or str(i + 1)
        except Exception:      # noqa: BLE001 - a broken /PageLabels tree: physical number
            label = str(i + 1)
        try:
            lines = _lines(_chars(page))
            ocr = not lines and bool(ocr_langs)
            if ocr:
                from .ocr import page_lines
                lines = page_lines(page, ocr_langs)
            rules = _rules(page) if lines else []
            pages.append(Page(label, page.get_height(), lines, rules, ocr=ocr and bool(lines)))
        finally:
            page.close()
    return pages


def has_text(pages: list[Page]) -> bool:
    return any(p.lines for p in pages)


def page_text(pages: list[Page]) -> tuple[str, list[str]]:
    """The `.txt` path's text of all pages, and the page label of each of its lines."""
    body_size = _body_size(pages)
    for page in pages:
        _split_notes(page, body_size)
    journal = _drop_furniture(pages)
    out: list[str] = []
    labels: list[str] = []

    def emit(text: str, label: str) -> None:
        out.append(text)
        labels.append(label)

    body = [(page, line) for page in pages for line in page.body]
    left, right, pitch = _margins(body, body_size)
    first_of_page = {id(page.body[0]) for page in pages if page.body}
    notes_after = {id(page.body[-1]): page for page in pages if page.body and page.notes}
    keywords = False
    for k, (page, line) in enumerate(body):
        nxt = body[k + 1] if k + 1 < len(body) else None
        lead = " " if id(line) in first_of_page and k else ""
        if keywords:                    # a keyword line's continuation, as the .txt has it
            lead = "  "
        ends = nxt is None or _ends_paragraph(line, nxt[1], nxt[0] is page, left, right,
                                              pitch)
        tail = " " if ends and line.text and _wide(line.text[-1]) else ""
        emit(lead + line.text + tail, page.label)
        keywords = not ends and (keywords or bool(_KEYWORDS.match(line.text)))
        if id(line) in notes_after:
            _emit_notes(notes_after[id(line)], emit)
        if ends and nxt is not None:
            emit("", page.label)
    for page in pages:                  # notes of pages without body text
        if page.notes and not page.body:
            _emit_notes(page, emit)
    if journal is not None:
        emit("", pages[0].label)
        emit(journal.text + " ", pages[0].label)
    return "\n".join(out) + "\n", labels


def _emit_notes(page: Page, emit) -> None:
    emit(SEPARATOR, page.label)
    for note in page.notes:
        label = _NOTE_LABEL.match(note.text)
        starts = label is not None and (note.x0 <= _notes_left(page) + 0.5 * note.size)
        if starts:
            text = note.text
            rest = text[label.end():].lstrip(" .、)")
            text = f"{label.group(0).replace('*', '＊')} {rest.lstrip('[]')}"
            emit(re.sub(r"^\[(\d+)\]\s*", r"\1 ", text), page.label)
        else:
            emit("  " + note.text, page.label)


def _notes_left(page: Page) -> float:
    return min(n.x0 for n in page.notes)


def _wide(ch: str) -> bool:
    from .textutil import is_wide
    return is_wide(ch) or ch.isdigit()


def _body_size(pages: list[Page]) -> float:
    sizes = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _split_notes(page: Page, body_size: float) -> None:
    """Body lines and footnote lines of a page (top to bottom)."""
    lines = sorted(page.lines, key=lambda ln: -ln.top)
    rule = max((r for r in page.rules if r < page.height * 0.6), default=None)
    if rule is not None:
        below = [ln for ln in lines if ln.top <= rule + 1 and ln.size < 0.95 * body_size
                 and not _PAGE_NUMBER.match(ln.text)]
        if below:
            page.notes = below
            page.body = [ln for ln in lines if ln not in below]
            return
    # no rule: a bottom block in smaller type starting with a note label
    k = len(lines)
    while k > 0 and (lines[k - 1].size < 0.92 * body_size or _PAGE_NUMBER.match(lines[k - 1].text)):
        k -= 1
    block = [ln for ln in lines[k:] if not _PAGE_NUMBER.match(ln.text)]
    if block and k > 0 and any(_NOTE_LABEL.match(ln.text) for ln in block):
        page.notes = block
        page.body = lines[:k] + [ln for ln in lines[k:] if ln not in block]
    else:
        page.body = lines


def _drop_furniture(pages: list[Page]) -> PLine | None:
    """Page numbers and running headers/footers: lines at a page's top or bottom edge that
    are a number or repeat, digits aside, on a third of the pages (two at least). Returns
    the first dropped journal line (`俄羅斯學報 第五期（2006年12月）`): it is metadata."""
    key = lambda text: re.sub(r"\d+", "#", re.sub(r"\s+", "", text))
    counts = Counter()
    for page in pages:
        edge = _edges(page)
        counts.update({key(ln.text) for ln in edge})
    need = max(2, len(pages) // 3)
    journal = None
    for page in pages:
        edge = _edges(page)
        dropped = [ln for ln in page.body if ln in edge and (
            _PAGE_NUMBER.match(ln.text.strip())
            or (len(pages) >= 2 and counts[key(ln.text)] >= need))]
        journal = journal or next((ln for ln in dropped if JOURNAL.match(ln.text)), None)
        page.body = [ln for ln in page.body if ln not in dropped]
    return journal


def _edges(page: Page) -> list[PLine]:
    """The first and last line of the page if they sit in its outer 12% (and the line
    above a page number at the bottom, a two-line footer)."""
    if not page.body:
        return []
    top = [ln for ln in page.body[:1] if ln.top > page.height * 0.88]
    bottom = [ln for ln in page.body[-1:] if ln.bottom < page.height * 0.12]
    if bottom and len(page.body) > 1 and _PAGE_NUMBER.match(bottom[0].text) and \
            page.body[-2].bottom < page.height * 0.12:
        bottom.insert(0, page.body[-2])
    return top + bottom


def _margins(body, body_size: float) -> tuple[float, float, float]:
    lines = [ln for _, ln in body if abs(ln.size - body_size) < 0.1 * body_size]
    if not lines:
        return 0.0, 1e9, body_size * 1.5
    left = Counter(round(ln.x0) for ln in lines).most_common(1)[0][0]
    right = sorted(ln.x1 for ln in lines)[int(len(lines) * 0.9)]
    gaps = [a.bottom - b.bottom for (pa, a), (pb, b) in zip(body, body[1:])
            if pa is pb and 0 < a.bottom - b.bottom < 3 * body_size
            and abs(a.size - b.size) < 0.1 * body_size]
    pitch = statistics.median(gaps) if gaps else body_size * 1.5
    return left, right, pitch


def _ends_paragraph(line: PLine, nxt: PLine, same_page: bool, left: float, right: float,
                    pitch: float) -> bool:
    size = line.size
    if abs(nxt.size - size) > 0.1 * size:
        return True                                  # a heading, the title, a new block
    text = re.sub(r"(?:\[\d+\])+$", "", line.text)
    full = line.x1 >= right - 1.5 * size and not text.endswith(_TERMINAL)
    # an indented first line (or a centred one); after a full line cut mid-sentence only a
    # clear indent counts (OCR boxes may start a little late)
    if nxt.x0 > left + (1.5 if full else 0.8) * size:
        return True
    if line.x0 - left > 2.5 * size and right - line.x1 > 2.5 * size and \
            abs((line.x0 - left) - (right - line.x1)) < size:
        return True                                  # a centred line
    if same_page and line.bottom - nxt.bottom > 1.45 * pitch:
        return True                                  # a gap
    return line.x1 < right - 1.5 * size and text.endswith(_TERMINAL)
