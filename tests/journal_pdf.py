"""A seed article typeset as a journal prints it, for the `.pdf` ingest tests.

The seed's logical content is read with the `.txt` path's own stages (lines, note blocks,
furniture, paragraphs, markers), then laid out on A4 with fpdf2 in Noto Serif CJK TC
(Debian's fonts-noto-cjk): a centred title, bold headings, first-line indents, note
markers as raised small digits, footnotes in smaller type under a short rule at the bottom
of the page of their marker (split over the page break when they do not fit), a running
header (the journal line, else the title) and a page number on every page, printed page
labels from `first_page`, and the English title/abstract on a page of its own.

`journal_pdf(seed, out)` returns what the layout did (`Typeset`), so a test can check that
the PDF really has a paragraph and a footnote broken over a page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

FONTS = Path("/usr/share/fonts/opentype/noto")
PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT, TOP, BOTTOM = 72.0, 523.0, 90.0, 770.0
BODY, LEAD = 10.5, 18.0
NOTE, NOTE_LEAD = 8.0, 12.0


@dataclass
class Typeset:
    pages: int = 0
    paragraphs_split: int = 0          # paragraphs continued on the next page
    notes_split: int = 0               # footnotes continued on the next page
    english_page: int = 0


@dataclass
class _Para:
    text: str
    refs: list = field(default_factory=list)   # NoteRef(label, offset)
    kind: str = "body"                        # title | heading | body


def _collection_index(path: Path, want: str = "TC") -> int:
    from fontTools.ttLib import TTCollection
    for i, font in enumerate(TTCollection(str(path)).fonts):
        if want in font["name"].getDebugName(1):
            return i
    return 0


def seed_content(seed: Path):
    """(paragraphs, footnotes {label: [texts]}, journal line, meta) of a seed, as the .txt
    path reads them; the English block (title, author, abstract, keywords) as paragraphs
    of their own, after a "page" marker paragraph."""
    from search.ingest import layout, metadata, notes, sections
    from search.ingest.clean import clean_chars
    from search.ingest.textutil import Joiner

    text = clean_chars(seed.read_text(encoding="utf-8"))
    joiner = Joiner(text)
    lines = layout.to_lines(text)
    body, blocks = layout.split_note_blocks(lines)
    meta, rest = metadata.extract(body, joiner)
    journal = next((ln.raw.strip() for ln in body if layout.JOURNAL.match(ln.text)), "")
    kept = layout.remove_furniture(rest, meta.title)
    paras = layout.paragraphs(kept, joiner, layout.measure(kept))
    # the front matter: metadata lines (author, dates, URLs...) each on a line of its
    # own after the title, the abstract under its heading; the English block apart
    kept_nos = {ln.no for ln in rest}
    abstract_nos = {ln.no for ln in meta.abstract_lines}
    used = [ln for ln in body if ln.no not in kept_nos and not ln.blank
            and not layout.JOURNAL.match(ln.text)][1:]
    english_at = next((ln.no for ln in used if meta.title_en
                       and ln.text.startswith(meta.title_en)), None)
    front = []
    for ln in used:
        if english_at is not None and ln.no >= english_at:
            break
        if ln.no in abstract_nos:
            continue
        if re.fullmatch(r"摘\s*要", ln.text):
            front.append(_Para("摘要", kind="heading"))
            front += [_Para(p.text) for p in layout.paragraphs(
                meta.abstract_lines, joiner, layout.measure(kept))]
        else:
            front.append(_Para(ln.text, kind="line"))
    parsed = notes.parse_blocks(blocks, joiner)
    footnotes = {n.label: n.text.split(" / ") for n in parsed if n.text}
    numeric = [n.label for n in parsed if n.label.isdigit()]
    author = ""
    if english_at is not None:
        after = [ln for ln in used if ln.no > english_at]
        author = after[0].text if after and not after[0].text.startswith("Abstract") else ""
    stripped = notes.extract_markers([p.text for p in paras], numeric)
    out = [_Para(meta.title, kind="title")] + front
    for para, (clean, refs) in zip(paras, stripped):
        kind = "heading" if sections.classify(clean, para.lines).kind == "heading" \
            else "body"
        out.append(_Para(clean, refs, kind))
    if meta.title_en:
        out += [_Para("", kind="page"), _Para(meta.title_en, kind="title"),
                _Para(author, kind="centre"), _Para("Abstract", kind="heading"),
                _Para(meta.abstract_en)]
        if meta.keywords_en:
            out.append(_Para("Keywords: " + "; ".join(meta.keywords_en) + "."))
    return out, footnotes, journal, meta


def journal_pdf(seed: Path, out: Path, first_page: int = 57) -> Typeset:
    from fpdf import FPDF

    paras, footnotes, journal, meta = seed_content(seed)
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    regular, bold = FONTS / "NotoSerifCJK-Regular.ttc", FONTS / "NotoSerifCJK-Bold.ttc"
    pdf.add_font("serif", "", str(regular), collection_font_number=_collection_index(regular))
    pdf.add_font("serif", "B", str(bold), collection_font_number=_collection_index(bold))
    pdf.set_title(meta.title)
    if meta.authors:
        pdf.set_author(", ".join(meta.authors))
    state = Typeset()
    layout = _Layout(pdf, journal or meta.title, state, footnotes)
    layout.new_page(first_page)
    for para in paras:
        if para.kind == "page":
            layout.new_page()
            state.english_page = state.pages
        else:
            layout.paragraph(para)
    layout.finish_page()
    pdf.output(str(out))
    return state


class _Layout:
    def __init__(self, pdf, header: str, state: Typeset, footnotes: dict[str, str]):
        self.pdf, self.header, self.state, self.footnotes = pdf, header, state, footnotes
        self.y = TOP
        self.page_notes: list[list[str | tuple]] = []   # (label, lines) on this page
        self.carry: list[tuple[str, list[str], bool]] = []  # note lines left for next page
        self.first = True
        self.uses: dict[str, int] = {}
        self.force_split = True         # break the first long note over a page
        self.page_full = False

    # -- pages ---------------------------------------------------------------------------

    def new_page(self, first_page: int | None = None) -> None:
        if not self.first:
            self.finish_page()
        self.pdf.add_page()
        if first_page is not None:
            self.pdf.set_page_label(label_style="D", label_start=first_page)
            self.number = first_page
        else:
            self.number += 1
        self.first = False
        self.state.pages += 1
        self.pdf.set_font("serif", "", 9)
        self.pdf.text(LEFT, 60, self.header)
        self.pdf.text(PAGE_W / 2 - 6, 812, str(self.number))
        self.y = TOP
        self.notes_height = 0.0
        self.page_notes = []
        carry, self.carry = self.carry, []
        for label, lines, continued in carry:
            self._place_note(label, lines, continued)

    def finish_page(self) -> None:
        if not self.page_notes:
            return
        top = BOTTOM - self.notes_height
        self.pdf.set_line_width(0.5)
        self.pdf.line(LEFT, top - 6, LEFT + 150, top - 6)
        y = top + NOTE
        self.pdf.set_font("serif", "", NOTE)
        for label, lines, continued in self.page_notes:
            for k, line in enumerate(lines):
                if k == 0 and not continued:
                    self.pdf.text(LEFT, y, f"{label} {line}")
                else:
                    self.pdf.text(LEFT + 2 * NOTE, y, line)
                y += NOTE_LEAD
        self.page_notes = []

    def room(self) -> float:
        return BOTTOM - self.notes_height - 12

    # -- notes ---------------------------------------------------------------------------

    def _note_lines(self, label: str) -> list[str]:
        texts = self.footnotes.get(label, [])
        if not texts:
            return []
        text = texts[min(self.uses.get(label, 0), len(texts) - 1)]
        self.pdf.set_font("serif", "", NOTE)
        first_width = RIGHT - LEFT - self.pdf.get_string_width(label + " ")
        return _wrap(self.pdf, text, first_width, RIGHT - LEFT - 2 * NOTE)

    def _place_note(self, label: str, lines: list[str], continued: bool) -> None:
        if not continued:
            self.uses[label] = self.uses.get(label, 0) + 1
        self.page_notes.append((label, lines, continued))
        self.notes_height += NOTE_LEAD * len(lines) + (12 if len(self.page_notes) == 1 else 0)

    def _notes_for(self, labels: list[str], line_bottom: float) -> bool:
        """Place the notes of `labels` on this page (a long one split over the break);
        False if not even their first two lines fit below a line ending at line_bottom."""
        pending = [(label, self._note_lines(label)) for label in labels]
        pending = [(label, lines) for label, lines in pending if lines]
        need = sum(NOTE_LEAD * len(lines) for _, lines in pending) + \
            (12 if pending and not self.page_notes else 0)
        free = BOTTOM - self.notes_height - line_bottom
        if self.force_split and len(pending) == 1 and len(pending[0][1]) >= 3:
            # the page ends below this line: its note runs on over the break
            label, lines = pending[0]
            self._place_note(label, lines[:2], False)
            self.carry.append((label, lines[2:], True))
            self.state.notes_split += 1
            self.force_split, self.page_full = False, True
            return True
        if need <= free:
            for label, lines in pending:
                self._place_note(label, lines, False)
            return True
        if len(pending) == 1 and free >= 3 * NOTE_LEAD + 12:
            label, lines = pending[0]
            fit = int((free - (12 if not self.page_notes else 0)) // NOTE_LEAD) - 1
            self._place_note(label, lines[:fit], False)
            self.carry.append((label, lines[fit:], True))
            self.state.notes_split += 1
            return True
        return not pending

    # -- paragraphs ----------------------------------------------------------------------

    def paragraph(self, para: _Para) -> None:
        pdf = self.pdf
        if para.kind in ("title", "centre"):
            if "＊" in para.text:
                self._notes_for(["＊"], self.y + 26)
            latin = not re.search(r"[\u3400-\u9fff]", para.text)
            pdf.set_font("serif", "B" if para.kind == "title" else "",
                         (13 if latin else 16) if para.kind == "title" else 12)
            for line in _wrap(pdf, para.text, RIGHT - LEFT, RIGHT - LEFT):
                w = pdf.get_string_width(line)
                pdf.text((PAGE_W - w) / 2, self.y + 16, line)
                self.y += 26
            self.y += 10
            return
        if para.kind == "heading":
            if self.y + 2 * LEAD > self.room():
                self.new_page()
            self.y += 8
            pdf.set_font("serif", "B", BODY)
            pdf.text(LEFT, self.y + BODY, para.text)
            self.y += LEAD + 6
            return
        self._body(para, indent=0 if para.kind == "line" else 2 * BODY)
        self.y += 6                      # a little space between paragraphs

    def _body(self, para: _Para, indent: float) -> None:
        pdf = self.pdf
        pdf.set_font("serif", "", BODY)
        marks: dict[int, list[str]] = {}
        for ref in para.refs:
            marks.setdefault(ref.offset, []).append(ref.label)
        lines = _wrap_spans(pdf, para.text, RIGHT - LEFT - indent, RIGHT - LEFT)
        for k, (start, end) in enumerate(lines):
            labels = [lb for off in sorted(marks) if start < off <= end or
                      (k == 0 and off == start) for lb in marks[off]]
            if "＊" in para.text[start:end]:
                labels.append("＊")
            bottom = self.y + LEAD
            if self.page_full or bottom > self.room() or not self._notes_for(labels, bottom):
                self.page_full = False
                if k:
                    self.state.paragraphs_split += 1
                self.new_page()
                self._notes_for(labels, self.y + LEAD)
            if self.page_full and k == len(lines) - 1:
                self.page_full = False          # (the paragraph ends here anyway)
                self.y = self.room()
            x = LEFT + (indent if k == 0 else 0)
            self._draw(x, self.y + BODY, para.text, start, end, marks)
            self.y += LEAD

    def _draw(self, x: float, baseline: float, text: str, start: int, end: int,
              marks: dict[int, list[str]]) -> None:
        pdf = self.pdf
        pieces = []
        pos = start
        for off in sorted(o for o in marks if start < o <= end or (o == start == 0)):
            pieces.append(("text", text[pos:off]))
            pieces.append(("mark", ",".join(marks[off])))
            pos = off
        pieces.append(("text", text[pos:end]))
        for kind, piece in pieces:
            if not piece:
                continue
            if kind == "text":
                pdf.set_font("serif", "", BODY)
                pdf.text(x, baseline, piece)
                x += pdf.get_string_width(piece)
            else:
                for label in piece.split(","):
                    pdf.set_font("serif", "", 6)
                    pdf.text(x, baseline - 4.5, label)
                    x += pdf.get_string_width(label) + 0.5


def _wrap_spans(pdf, text: str, first: float, rest: float) -> list[tuple[int, int]]:
    """(start, end) of each printed line: CJK characters break anywhere, Latin words at
    spaces."""
    import re
    tokens = [m.span() for m in re.finditer(r"[A-Za-z0-9'’\-.,:;()/&%]+\s*|\S\s*|\s+", text)]
    spans, start, width, limit = [], 0, 0.0, first
    for a, b in tokens:
        w = pdf.get_string_width(text[a:b].rstrip())
        if width + w > limit and a > start:
            spans.append((start, a))
            start, width, limit = a, 0.0, rest
        width += pdf.get_string_width(text[a:b])
    spans.append((start, len(text)))
    return spans


def _wrap(pdf, text: str, first: float, rest: float) -> list[str]:
    return [text[a:b].strip() for a, b in _wrap_spans(pdf, text, first, rest)]
