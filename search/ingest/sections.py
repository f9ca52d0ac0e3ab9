"""Section paths from headings.

Heading levels follow the usual Chinese outline numbering, outermost first:
`壹、` > `一、` > `（一）` > `1.` > `(1)`. A short paragraph that is only an enumerator and a
title is a heading; a standalone short line without sentence punctuation (the commentary's
`中俄持續戰略匯合乃現實所迫`) is a heading of the outermost level. A paragraph that *starts*
with an enumerator and a run-in title (`一、 透過軍事合作，穩定雙邊關係：蘇聯瓦解後…`) is a
list item: it gets its own path entry but does not open a section for the paragraphs after it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_LEVELS = [
    re.compile(r"^[壹貳參叄肆伍陸柒捌玖拾]+\s*、\s*"),
    re.compile(r"^[一二三四五六七八九十]+\s*、\s*"),
    re.compile(r"^[（(][一二三四五六七八九十]+[)）]\s*"),
    re.compile(r"^\d{1,2}\s*[.．、]\s*(?!\d)"),
    re.compile(r"^[（(]\d{1,2}[)）]\s*"),
]
_SENTENCE_PUNCT = re.compile(r"[。，；：！,;:!]")
_RUN_IN = re.compile(r"^(?P<lead>[^。：:]{2,30})[：:]")


@dataclass
class Classified:
    kind: str                  # "heading" | "item" | "text"
    level: int = 0
    title: str = ""


def _normalise(enum: str, title: str) -> str:
    return re.sub(r"\s+", "", enum) + title.strip()


def classify(text: str, lines: int = 1) -> Classified:
    for level, pattern in enumerate(_LEVELS):
        m = pattern.match(text)
        if not m:
            continue
        rest = text[m.end():]
        if len(text) <= 40 and not _SENTENCE_PUNCT.search(rest) and rest:
            return Classified("heading", level, _normalise(m.group(0), rest))
        r = _RUN_IN.match(rest)
        if r and len(text) > len(r.group(0)) + 10:
            return Classified("item", level, _normalise(m.group(0), r["lead"]))
        return Classified("text")
    if lines == 1 and 2 <= len(text) <= 30 and not _SENTENCE_PUNCT.search(text) \
            and not re.search(r"[」』）).。…]$", text) and not text[0].isdigit():
        return Classified("heading", -1, text)
    return Classified("text")


class SectionTracker:
    """Keeps the current heading stack while paragraphs are read in order."""

    def __init__(self):
        self.stack: list[tuple[int, str]] = []

    def path(self) -> list[str]:
        return [title for _, title in self.stack]

    def heading(self, level: int, title: str) -> None:
        if level < 0:           # unnumbered standalone heading: outermost level
            level = 0
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, title))

    def item_path(self, level: int, title: str) -> list[str]:
        return [t for lv, t in self.stack if lv < level] + [title]
