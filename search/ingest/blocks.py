"""Structured documents (web pages, Word files) -> one Article.

Formats that already mark their structure (a heading is `<h2>` or a "Heading 2" style, a
paragraph is `<p>` or a Word paragraph, a note is a link or a footnote part) need none of
the `.txt` path's layout guessing: their readers hand over `Block`s and this module makes
the passages the `.txt` path would (section paths from headings, long paragraphs split,
language per passage, note references with their offsets).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError
from ..model import Article, Footnote, NoteRef, Passage
from .clean import clean_chars
from .lang import detect_lang
from .passages import split_long
from .sections import SectionTracker


@dataclass
class Block:
    kind: str                                  # "heading" | "para"
    text: str
    level: int = 1                             # headings: 1 is the outermost
    refs: list[NoteRef] = field(default_factory=list)


def build_article(path: Path, slug: str, source: str, blocks: list[Block],
                  footnotes: list[Footnote], title: str = "", authors=(), date: str = "",
                  venue: str = "", url: str = "") -> Article:
    article = Article(id=slug, source=source, title=_clean(title), authors=list(authors),
                      date=date, venue=venue, url=url)
    tracker = SectionTracker()
    top = min((b.level for b in blocks if b.kind == "heading"), default=1)
    for block in blocks:
        text = _clean(block.text)
        if not text:
            continue
        if block.kind == "heading":
            if not article.title and not article.passages:
                article.title = text
            elif text != article.title:
                tracker.heading(block.level - top, text)
            continue
        for piece, refs in split_long(text, _shifted(block.text, block.refs)):
            if not piece:
                continue
            ordinal = len(article.passages)
            article.passages.append(Passage(
                id=f"{slug}#p{ordinal}", article_id=slug, ordinal=ordinal, text=piece,
                section=list(tracker.path()), lang=detect_lang(piece), notes=refs))
    if not article.passages:
        raise IngestError(path, "no text found besides metadata")
    cited = {r.label for p in article.passages for r in p.notes}
    article.footnotes = [n for n in footnotes if n.label in cited]
    langs = [p.lang for p in article.passages]
    article.lang = max(set(langs), key=langs.count)
    return article


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", clean_chars(text)).strip()


def _shifted(raw: str, refs: list[NoteRef]) -> list[NoteRef]:
    """Offsets into `raw` -> offsets into its cleaned text (whitespace squeezed)."""
    out = []
    for ref in refs:
        out.append(NoteRef(ref.label, len(_clean(raw[:ref.offset] + "x")) - 1))
    return out
