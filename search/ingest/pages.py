"""Page numbers of a `.txt` article, from the page furniture the layout already recognises.

A citation needs the page a passage was printed on, and a wrong page is worse than none, so
pages come only from what the source prints or marks, never from a guess:

* form feeds (`pdftotext` puts one between pages): exact page breaks. The pages are labelled
  by the printed page numbers when these agree with the breaks, else by their physical
  order (1, 2, ...), as a PDF without page labels is;
* otherwise the breaks are read from the furniture: a footnote block ends a page; a running
  header or page number after body text starts one (or, in a document whose numbers are
  footers, ends one); the journal extractor starts every page's text with a single space
  (trusted only when the pages after footnote blocks show it). These breaks are labelled
  only by printed page numbers, and only when every printed number agrees with the count of
  breaks between them (and no page would number below 1): one disagreement and the article
  has no pages at all.

A paragraph running over a break gets both pages; a passage cut out of a long paragraph gets
the pages its own characters were printed on (`PageMap.pieces_pages`).
"""
from __future__ import annotations

import re

from .layout import _PAGE_NUMBER, Line

_LINE_BREAK = re.compile(r"\r\n|\r|\n|\f")
_ONE_SPACE = re.compile(r"^ \S")
_SKIPPED = re.compile(r"[\s\d\-‐\[\]［］]+")   # what joining or marker removal may drop


def join_form_feeds(text: str) -> str:
    """`pdftotext` ends a page with a line break and then the form feed: once the form feed
    is a line break too (`clean.clean_chars`), that would be a blank line, which ends a
    paragraph; a page break is only a line break.

    >>> join_form_feeds("the page ends\\n\\fand goes on")
    'the page ends\\x0cand goes on'
    """
    return re.sub(r"(?:\r\n|\r|\n)\f", "\f", text)


def form_feed_lines(text: str) -> set[int]:
    """Line numbers (1-based, as `layout.to_lines` counts them once `clean.clean_chars` has
    made each form feed a line break) of the lines that begin a page after a form feed.

    >>> sorted(form_feed_lines("a\\nb\\fc\\nd\\f\\ne"))
    [3, 5]
    """
    starts: set[int] = set()
    no = 1
    for m in _LINE_BREAK.finditer(text):
        no += 1
        if m.group(0) == "\f":
            starts.add(no)
    # "d\f\ne": the form feed ends its line and the next line is blank: the page starts
    # at the next non-blank line, which `PageMap` finds by skipping blank lines.
    return starts


def page_number(text: str) -> int | None:
    """The printed page number of a page-number line (`3`, `- 12 -`, `第 5 頁`, `Page 7`)."""
    if not _PAGE_NUMBER.match(text):
        return None
    return int(re.search(r"\d{1,3}", text).group(0))


class PageMap:
    """The page label of every body line of one article (empty: the source has none)."""

    def __init__(self, labels: dict[int, str] | None = None):
        self.labels = labels or {}

    @classmethod
    def build(cls, lines: list[Line], note_blocks: list[list[Line]],
              furniture: set[int], feeds: set[int]) -> "PageMap":
        """`lines`: the whole text; `note_blocks`: `layout.split_note_blocks`' blocks;
        `furniture`: the line numbers `layout.remove_furniture` dropped; `feeds`:
        `form_feed_lines` of the text before cleaning."""
        in_notes = {ln.no for block in note_blocks for ln in block}
        if feeds:
            starts, furniture_breaks = set(feeds), False
        else:
            starts, furniture_breaks = _break_signals(lines, note_blocks, in_notes,
                                                      furniture), True
        for mode in ("header", "footer") if furniture_breaks else ("none",):
            index, anchors = _segment(lines, in_notes, furniture, starts, mode)
            labels = _label(index, anchors)
            if labels is not None:
                return cls(labels)
        if feeds:
            index, _ = _segment(lines, in_notes, furniture, starts, "none")
            return cls({no: str(i + 1) for no, i in index.items()})
        return cls()

    def pieces_pages(self, source: list[Line], text: str, pieces: list[str]) -> list[list[str]]:
        """The pages of each piece of `text` (the paragraph joined from `source`, markers
        removed; `pieces` are its passages in order, as `passages.split_long` cut them).

        Characters are matched by counting those that joining and marker removal keep
        (not spaces, digits, hyphens or brackets), so a break between two lines falls
        between the same two characters of the passage text."""
        if not self.labels:
            return [[] for _ in pieces]
        on = list(dict.fromkeys(self.labels[ln.no] for ln in source if ln.no in self.labels))
        if len(on) <= 1:                             # all on one page (or none)
            return [list(on) for _ in pieces]
        bounds: list[tuple[int, str]] = []          # (characters before, label), in order
        count = 0
        for line in source:
            label = self.labels.get(line.no)
            if label is not None and (not bounds or bounds[-1][1] != label):
                bounds.append((count, label))
            count += _counted(line.text)
        out, pos, before = [], 0, 0
        for piece in pieces:
            start = text.find(piece, pos)
            if start < 0:                            # (cannot happen: pieces come from text)
                out.append([])
                continue
            before += _counted(text[pos:start])
            size = _counted(piece)
            out.append(_overlapping(bounds, before, before + size))
            before += size
            pos = start + len(piece)
        return out


def _counted(text: str) -> int:
    return len(_SKIPPED.sub("", text))


def _overlapping(bounds: list[tuple[int, str]], a: int, b: int) -> list[str]:
    labels = []
    for k, (start, label) in enumerate(bounds):
        end = bounds[k + 1][0] if k + 1 < len(bounds) else float("inf")
        if start < max(b, a + 1) and end > a and label not in labels:
            labels.append(label)
    return labels


def _break_signals(lines: list[Line], note_blocks: list[list[Line]], in_notes: set[int],
                   furniture: set[int]) -> set[int]:
    """Lines that start a page: the first line after each footnote block (text, or the
    next page's running header), and (when those show the extractor's single-space page start) every line starting that way."""
    by_no = {ln.no: ln for ln in lines}
    after_blocks = []
    for block in note_blocks:
        no = block[-1].no + 1
        while no in by_no and (by_no[no].blank or no in in_notes):
            no += 1
        if no in by_no:
            after_blocks.append(by_no[no])
    starts = {ln.no for ln in after_blocks}
    spaced = sum(1 for ln in after_blocks if _ONE_SPACE.match(ln.raw))
    if spaced >= 2 and 3 * spaced >= 2 * len(after_blocks):
        starts |= {ln.no for ln in lines if _ONE_SPACE.match(ln.raw)
                   and ln.no not in in_notes and ln.no not in furniture}
    return starts


def _segment(lines: list[Line], in_notes: set[int], furniture: set[int], starts: set[int],
             mode: str) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Physical page index (0-based) of each text line, and (index, printed number) for
    each page-number line. `mode` says what a furniture run after text does: "header"
    starts a page with it, "footer" ends the page after it, "none" nothing (form feeds)."""
    index: dict[int, int] = {}
    anchors: list[tuple[int, int]] = []
    page, text_seen, pending, in_run = 0, False, False, False
    pending_start = False
    for k, line in enumerate(lines):
        if line.no in starts:
            pending_start = True
        if line.blank:
            continue
        if line.no in in_notes:
            in_run = False
            continue
        if pending_start:
            if text_seen:
                page, text_seen, pending = page + 1, False, False
            pending_start = False
        if line.no in furniture:
            if not in_run and mode == "header" and text_seen and \
                    not _footer_before_start(lines, k, furniture, starts):
                page, text_seen = page + 1, False
            if not in_run and mode == "footer":
                pending = True
            in_run = True
            number = page_number(line.text)
            if number is not None:
                anchors.append((page, number))
            continue
        in_run = False
        if pending and text_seen:
            page, text_seen = page + 1, False
        pending = False
        index[line.no] = page
        text_seen = True
    return index, anchors


def _footer_before_start(lines: list[Line], k: int, furniture: set[int],
                         starts: set[int]) -> bool:
    """The furniture run at `lines[k]` is followed (past blank lines) by a page start: it is
    the foot of the page before, not the head of a new one."""
    for line in lines[k:]:
        if line.no in starts:
            return True
        if not line.blank and line.no not in furniture:
            return False
    return False


def _label(index: dict[int, int], anchors: list[tuple[int, int]]) -> dict[int, str] | None:
    """Printed labels when the printed numbers agree with the breaks, else None."""
    if not anchors or not index:
        return None
    offsets = {number - page for page, number in anchors}
    if len(offsets) != 1:
        return None
    offset = offsets.pop()
    if min(index.values()) + offset < 1:
        return None
    return {no: str(page + offset) for no, page in index.items()}
