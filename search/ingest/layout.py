"""Lines -> paragraphs: footnote blocks set aside, page furniture removed, wraps rejoined.

PDF-extracted text keeps the printed layout: one line per printed line, a running header and
page number at each page top, a separator line (a run of spaces) above the footnotes at the
bottom of the page, and paragraphs that continue across all of that. What tells a paragraph
end differs by source, so the signals are measured on the document itself:

* trailing space: the journal's extractor leaves a space after the last run of a paragraph
  (and of a heading), never after a wrapped line;
* short line: in documents without that signal, a line ending in sentence punctuation that
  stops well short of the measured full line width ends its paragraph;
* blank lines separate paragraphs only when the document is not double-spaced (both seeds
  put a blank line after *every* line, so there a blank line means nothing).

A marker line (`[3]`) and the short fragment after it are one printed line split in two by
the extractor: they never end a paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .textutil import Joiner, is_wide, squeeze, width

_PAGE_NUMBER = re.compile(r"^(?:[-–—]\s*)?\d{1,3}(?:\s*[-–—])?$|^第\s*\d{1,3}\s*頁$"
                          r"|^(?:Page|p\.)\s*\d{1,3}$", re.I)
JOURNAL = re.compile(r"^(?P<venue>\S.{1,40}?第\s*\S{1,4}\s*[期卷])\s*[（(]\s*(?P<y>\d{4})"
                     r"\s*年\s*(?:(?P<m>\d{1,2})\s*月)?\s*[）)]$")
MARKER_LINE = re.compile(r"^(?:\[\d{1,3}\]|［\d{1,3}］)+$")
_NOTE_START = re.compile(r"^(?:\d{1,3}|[＊*†‡])\s")
_SEPARATOR = re.compile(r"^(?:[ \t]{20,}|[_─—\-]{10,})$")


@dataclass
class Line:
    no: int                  # 1-based line number in the source text
    raw: str                 # the line as extracted (characters cleaned)

    @property
    def text(self) -> str:
        return squeeze(self.raw)

    @property
    def blank(self) -> bool:
        return not self.raw.strip()

    @property
    def indent(self) -> int:
        return len(self.raw) - len(self.raw.lstrip(" \t"))

    @property
    def open_end(self) -> bool:
        """Trailing whitespace after a CJK character or punctuation (or a note number).

        After a Latin word the same extractor leaves a space at *every* line end (the
        English abstract), so there it says nothing about paragraphs."""
        stripped = self.raw.rstrip()
        if stripped == self.raw or not stripped:
            return False
        return is_wide(stripped[-1]) or stripped[-1].isdigit()


@dataclass
class Para:
    text: str
    first_line: int          # source line number, for messages and debugging
    lines: int = 1           # printed lines (marker lines not counted): headings have one
    source: list[Line] = field(default_factory=list, repr=False)   # the lines joined (pages)


def to_lines(text: str) -> list[Line]:
    return [Line(i, raw) for i, raw in enumerate(text.replace("\r\n", "\n")
                                                 .replace("\r", "\n").split("\n"), 1)]


def is_separator(line: Line) -> bool:
    return bool(_SEPARATOR.match(line.raw)) and len(line.raw) >= 10


# A footnote block is the bottom of one printed page: past these it is body text that
# happens to follow a separator-like line (a 50 MB plain text once became 49 "notes").
MAX_NOTE_BLOCK_LINES = 60        # a full page of small print
MAX_NOTE_LINE_WIDTH = 200        # columns (CJK counts 2): a printed line, not a paragraph
MAX_NOTE_CHARS = 6000            # one note, continued over page breaks included


def split_note_blocks(lines: list[Line]) -> tuple[list[Line], list[list[Line]]]:
    """Separate the footnote blocks (separator + note lines) from the body lines.

    A note starts at column 0 with its number (or `＊`) and a space; its continuation lines
    are indented by two or three spaces. The first other line (the next page's text starts
    with a single space) ends the block. A block that is not shaped like footnotes (see
    `_as_notes`) stays in the body.
    """
    body: list[Line] = []
    blocks: list[list[Line]] = []
    open_note: tuple[int, int] | None = None     # left open by the last block
    i = 0
    while i < len(lines):
        line = lines[i]
        if is_separator(line):
            block: list[Line] = []
            j = i + 1
            while j < len(lines) and len(block) <= MAX_NOTE_BLOCK_LINES:   # (else: body)
                nxt = lines[j]
                if nxt.blank or is_separator(nxt):
                    break
                if _NOTE_START.match(nxt.raw) or (2 <= nxt.indent <= 3) or (
                        block and nxt.indent == 0 and not nxt.raw[0].isdigit()
                        and _continues_note(block[-1])):
                    block.append(nxt)
                    j += 1
                    continue
                break
            note = _as_notes(block, open_note) if block else None
            if note is not None:
                blocks.append(block)
                open_note = note
                i = j
                continue
            i += 1           # a lone separator-like line: furniture
            continue
        body.append(line)
        i += 1
    return body, blocks


def _as_notes(block: list[Line], note: tuple[int, int] | None) -> tuple[int, int] | None:
    """The note left open after `block` (its number, its characters so far) if the block is
    shaped like footnotes, else None. `note` is the one left open by the previous block.

    Footnotes are printed lines (none wider than `MAX_NOTE_LINE_WIDTH`), a page's worth at
    most, and each note is bounded. A block that does not start a note must continue one (a
    note running over a page break). As in `notes.parse_blocks`, a number other than the
    next one continues the open note."""
    if len(block) > MAX_NOTE_BLOCK_LINES or \
            any(2 * len(line.raw) > MAX_NOTE_LINE_WIDTH            # (width is costly)
                and width(line.text) > MAX_NOTE_LINE_WIDTH for line in block):
        return None
    for line in block:
        label = line.raw.split(None, 1)[0] if _NOTE_START.match(line.raw) else None
        number = note[0] if note else 0
        if label and (not label.isdigit() or not number or int(label) == number + 1):
            note = (int(label) if label.isdigit() else number, 0)
        elif note is None:
            return None
        note = (note[0], note[1] + len(line.raw))
        if note[1] > MAX_NOTE_CHARS:
            return None
    return note


def _continues_note(prev: Line) -> bool:
    """A note line cut mid-sentence (no trailing space) may continue at column 0."""
    return prev.raw == prev.raw.rstrip() and not prev.raw.rstrip().endswith(("。", "."))


def remove_furniture(lines: list[Line], title: str) -> list[Line]:
    """Drop page numbers, running headers (the repeated title, the journal line, any short
    line repeated three times or more) from the body lines."""
    key = lambda s: re.sub(r"\s+", "", s)
    title_key = key(title)
    counts: dict[str, int] = {}
    for line in lines:
        if not line.blank:
            counts[key(line.raw)] = counts.get(key(line.raw), 0) + 1
    kept = []
    for line in lines:
        if line.blank:
            kept.append(line)
            continue
        k = key(line.raw)
        text = line.text
        if _PAGE_NUMBER.match(text) or (title_key and k == title_key) or JOURNAL.match(text):
            continue
        if counts[k] >= 3 and len(text) <= 40 and not MARKER_LINE.match(text):
            continue
        kept.append(line)
    return kept


@dataclass
class Style:
    """What marks a paragraph end in this document (measured, see module docstring)."""
    trailing_space: bool
    double_spaced: bool
    full_width: int
    wrapped: bool = True       # hard-wrapped at a margin (else one line per paragraph)


def measure(lines: list[Line]) -> Style:
    content = [ln for ln in lines if not ln.blank and not MARKER_LINE.match(ln.text)]
    if not content:
        return Style(False, False, 80)
    open_ends = sum(1 for ln in content if ln.open_end)
    positions = [i for i, ln in enumerate(lines) if not ln.blank]
    gaps = list(zip(positions, positions[1:]))
    blank_gaps = sum(1 for a, b in gaps if b > a + 1)
    widths = sorted(width(ln.text) for ln in content)
    full = widths[int(len(widths) * 0.9)] if len(widths) > 3 else max(widths)
    terminal = sum(1 for ln in content if ln.text[-1] in "。！？!?.」』”")
    return Style(trailing_space=open_ends >= 3 and open_ends >= 0.05 * len(content),
                 double_spaced=bool(gaps) and blank_gaps >= 0.7 * len(gaps),
                 full_width=max(full, 20),
                 wrapped=terminal < 0.8 * len(content))


def paragraphs(lines: list[Line], joiner: Joiner, style: Style | None = None) -> list[Para]:
    """Rejoin hard-wrapped lines into paragraphs."""
    style = style or measure(lines)
    content = [(i, ln) for i, ln in enumerate(lines) if not ln.blank]
    paras: list[Para] = []
    current: list[Line] = []

    def flush():
        if current:
            text = joiner.join_all([ln.text for ln in current]).strip()
            if text:
                paras.append(Para(text, current[0].no,
                                  sum(1 for ln in current if not MARKER_LINE.match(ln.text)),
                                  list(current)))
            current.clear()

    for k, (i, line) in enumerate(content):
        nxt = content[k + 1] if k + 1 < len(content) else None
        prev = content[k - 1][1] if k > 0 else None
        heading = _heading_line(line, style)
        if current and (heading or line.indent >= 4 or (
                2 <= line.indent <= 8 and not style.trailing_space)):
            flush()
        current.append(line)
        if nxt is None:
            break
        j, nline = nxt
        if heading or _heading_line(nline, style):
            flush()
            continue
        if MARKER_LINE.match(nline.text) or MARKER_LINE.match(line.text):
            continue
        after_marker = prev is not None and MARKER_LINE.match(prev.text)
        if not style.double_spaced and any(lines[x].blank for x in range(i + 1, j)):
            flush()
            continue
        if style.trailing_space:
            if line.open_end:
                flush()
            continue
        if not style.wrapped and line.text[-1] in "。！？!?.」』”":
            flush()
        elif _short_end(line, style, content[k - 2][1] if after_marker and k >= 2 else None):
            flush()
    flush()
    return paras


def _heading_line(line: Line, style: Style) -> bool:
    """An enumerated heading (`貳、分析`, `（一）國內因素`) standing on its own short line."""
    from .sections import classify
    return width(line.text) < style.full_width * 0.7 and classify(line.text).kind == "heading" \
        and classify(line.text).level >= 0


def _short_end(line: Line, style: Style, before_marker: Line | None) -> bool:
    """Width rule: does this line stop short of the margin, as a paragraph's last line does?"""
    text = re.sub(r"(?:\[\d{1,3}\]|［\d{1,3}］)+$", "", line.text) or line.text
    w = width(line.text) + (width(before_marker.text) + 6 if before_marker is not None else 0)
    last = text[-1]
    if last in "。！？!?」』”）)…":
        return w < style.full_width * 0.9
    if before_marker is not None or last in "，、,;；：:":
        return False
    return w < style.full_width * 0.6          # a short unpunctuated line: a heading
