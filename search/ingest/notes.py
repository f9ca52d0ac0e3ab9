"""Footnotes: note bodies from the page-bottom blocks, markers from the passage text.

Two marker styles occur:

* bracketed `[1]` (the commentary): unambiguous; the note body may be absent from the
  extract, the reference is kept anyway (a Footnote with empty text);
* bare digits glued to the text (the journal): `的操作。1當戈巴契夫`. Digits alone are
  ambiguous (`。21989 年` is marker 2 then the year 1989), so they are resolved by note
  order: markers appear in the text in the order of the notes, so only the next expected
  label (or one of the two after it, if a marker was lost) is accepted, and only where the
  digits are glued to the preceding CJK character or punctuation. What is left after the
  label must be nothing or a year.

The marker digits are removed from the text; `NoteRef.offset` records where they stood.
"""
from __future__ import annotations

import re

from ..model import Footnote, NoteRef
from .layout import Line
from .textutil import WIDE_CLASS, Joiner, is_wide

_NOTE_START = re.compile(r"^(?P<label>\d{1,3}(?=\s)|[＊*†‡])\s*(?P<text>.*)$")
_URL = re.compile(r"https?://[^\s<>\"“”「」『』（）()\[\]，。、；]+")
_BRACKET = re.compile(r" ?(?:\[(\d{1,3})\]|［(\d{1,3})］)")
_BARE = re.compile(f"(?<=[{WIDE_CLASS}\"”’)])(\\d+)")


def urls_in(text: str) -> list[str]:
    """URLs in a note, without the sentence punctuation that follows them."""
    found = []
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?'\")]}>”’")
        if url not in found:
            found.append(url)
    return found


def parse_blocks(blocks: list[list[Line]], joiner: Joiner) -> list[Footnote]:
    """Note bodies from footnote blocks, in document order.

    A numbered note must follow the previous number (a line starting with another number is
    a continuation); a block that does not start with a note continues the last note (a note
    running over a page break). A label seen twice (the `＊` of the Chinese and the English
    author line) keeps one Footnote whose texts are joined with " / ".
    """
    notes: list[tuple[str, list[str]]] = []
    last_number = 0
    for block in blocks:
        for line in block:
            m = _NOTE_START.match(line.raw) if line.indent == 0 else None
            if m and m.group("label").isdigit():
                number = int(m.group("label"))
                if number != last_number + 1 and last_number:
                    m = None
                else:
                    last_number = number
            if m:
                notes.append((m.group("label"), [m.group("text").strip()]))
            elif notes:
                notes[-1][1].append(line.text)
    merged: dict[str, Footnote] = {}
    for label, pieces in notes:
        text = joiner.join_all([p.strip() for p in pieces if p.strip()])
        if label in merged:
            merged[label].text += " / " + text
            merged[label].urls = urls_in(merged[label].text)
        else:
            merged[label] = Footnote(label=label, text=text, urls=urls_in(text))
    return list(merged.values())


def _is_year(digits: str) -> bool:
    return len(digits) == 4 and 1000 <= int(digits) <= 2099


def extract_markers(texts: list[str], numeric_labels: list[str]) -> list[tuple[str, list[NoteRef]]]:
    """Remove note markers from each text (in document order); return (text, refs) pairs."""
    pending = list(numeric_labels)          # bare-digit labels not yet seen, in note order
    out = []
    for text in texts:
        text, refs = _strip_brackets(text)
        if pending:
            text, bare_refs = _strip_bare(text, pending)
            refs = sorted(refs + bare_refs, key=lambda r: r.offset)
        lead = len(text) - len(text.lstrip())           # a marker may have opened the text
        text = text.strip()
        refs = [NoteRef(r.label, min(max(0, r.offset - lead), len(text))) for r in refs]
        out.append((text, refs))
    return out


def _strip_brackets(text: str) -> tuple[str, list[NoteRef]]:
    refs: list[NoteRef] = []
    pieces: list[str] = []
    pos = 0
    length = 0
    for m in _BRACKET.finditer(text):
        before = text[pos:m.start()]
        pieces.append(before)
        length += len(before)
        refs.append(NoteRef(m.group(1) or m.group(2), length))
        pos = m.end()
    pieces.append(text[pos:])
    return "".join(pieces), refs


def _strip_bare(text: str, pending: list[str]) -> tuple[str, list[NoteRef]]:
    refs: list[NoteRef] = []
    pieces: list[str] = []
    pos = 0
    length = 0
    for m in _BARE.finditer(text):
        digits = m.group(1)
        for k, label in enumerate(pending[:3]):
            if not digits.startswith(label):
                continue
            rest = digits[len(label):]
            if rest and not _is_year(rest):
                continue
            before = text[pos:m.start()]
            pieces.append(before)
            length += len(before)
            refs.append(NoteRef(label, length))
            pos = m.start() + len(label)
            if not rest and text[pos:pos + 1] == " " and pos > 0 and pos + 1 < len(text) \
                    and is_wide(text[m.start() - 1]) and is_wide(text[pos + 1]):
                pos += 1            # the space a line join put after the marker digits
            del pending[:k + 1]
            break
    pieces.append(text[pos:])
    return "".join(pieces), refs
