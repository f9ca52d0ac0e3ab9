"""Passages: one per paragraph, very long paragraphs split at sentence ends.

A passage is what a search hit shows, so it should read as a unit: a paragraph. Only
paragraphs longer than MAX_CHARS are cut, at sentence ends, into pieces of about TARGET
characters, carrying their note references (offsets shifted into the piece).
"""
from __future__ import annotations

import re

from ..model import NoteRef

MAX_CHARS = 900
TARGET = 500
_SENTENCE = re.compile(r"[。！？!?][」』”’）)]*(?=[^」』”’）)])|[.!?][”’\"]? (?=[A-Z“\"(])")


def split_long(text: str, refs: list[NoteRef]) -> list[tuple[str, list[NoteRef]]]:
    if len(text) <= MAX_CHARS:
        return [(text, refs)]
    cuts = [m.end() for m in _SENTENCE.finditer(text)]
    pieces: list[tuple[int, int]] = []
    start = 0
    for cut in cuts:
        if cut - start >= TARGET and len(text) - cut >= TARGET // 4:
            pieces.append((start, cut))
            start = cut
    pieces.append((start, len(text)))
    out = []
    for a, b in pieces:
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip())
        chunk_refs = [NoteRef(r.label, max(0, r.offset - a - lead)) for r in refs
                      if a < r.offset <= b or (a == 0 and r.offset == 0)]
        out.append((chunk.strip(), chunk_refs))
    return out
