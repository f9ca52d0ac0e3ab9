"""PDF-extracted text -> one Article (also used for the text layer of `.pdf` files).

Order matters: characters are cleaned first (compatibility ideographs would otherwise break
line comparisons), footnote blocks are set aside before metadata and furniture are removed
(a note line can look like a page number), and markers are resolved on whole paragraphs
(a marker can be split from its word by a line or page break).
"""
from __future__ import annotations

from pathlib import Path

from ..errors import IngestError
from ..model import Article, Footnote, Passage
from . import layout, metadata, notes, pages, sections
from .clean import clean_chars
from .lang import detect_lang
from .passages import split_long
from .textutil import Joiner


def parse_text(text: str, path: Path, slug: str, source: str) -> Article:
    text = pages.join_form_feeds(text)
    feeds = pages.form_feed_lines(text)
    text = clean_chars(text)
    if not text.strip():
        raise IngestError(path, "no text (only whitespace)")
    joiner = Joiner(text)
    lines = layout.to_lines(text)
    body, blocks = layout.split_note_blocks(lines)
    meta, body = metadata.extract(body, joiner)
    with_furniture, body = body, layout.remove_furniture(body, meta.title)
    page_map = pages.PageMap.build(lines, blocks, {ln.no for ln in with_furniture}
                                   - {ln.no for ln in body}, feeds)
    style = layout.measure(body)
    paras = layout.paragraphs(body, joiner, style)
    footnotes = notes.parse_blocks(blocks, joiner)

    article = Article(id=slug, source=source, title=meta.title, title_en=meta.title_en,
                      authors=meta.authors, date=meta.date, venue=meta.venue, url=meta.url,
                      keywords=meta.keywords, keywords_en=meta.keywords_en,
                      abstract_en=meta.abstract_en)
    for author_mark in meta.author_marks:
        note = next((n for n in footnotes if n.label == author_mark), None)
        if author_mark and note and not article.affiliation:
            article.affiliation = note.text.split(" / ")[0].rstrip("。.")

    abstract_paras = layout.paragraphs(meta.abstract_lines, joiner, style) \
        if meta.abstract_lines else []
    article.abstract = "\n".join(p.text for p in abstract_paras)
    units = _units(meta, abstract_paras, paras)

    numeric = [n.label for n in footnotes if n.label.isdigit()]
    stripped = notes.extract_markers([t for _, t, _ in units], numeric)
    cited: list[str] = []
    for (section, _, source_lines), (clean, refs) in zip(units, stripped):
        split = split_long(clean, refs)
        spans = page_map.pieces_pages(source_lines, clean, [piece for piece, _ in split])
        for (piece, piece_refs), piece_pages in zip(split, spans):
            if not piece:
                continue
            ordinal = len(article.passages)
            article.passages.append(Passage(
                id=f"{slug}#p{ordinal}", article_id=slug, ordinal=ordinal, text=piece,
                section=list(section), lang=detect_lang(piece), notes=piece_refs,
                pages=piece_pages))
            cited += [r.label for r in piece_refs if r.label not in cited]
    if not article.passages:
        raise IngestError(path, "no text found besides metadata")
    known = {n.label for n in footnotes}
    missing = [Footnote(label=label) for label in cited if label not in known]
    article.footnotes = sorted(footnotes + missing, key=_note_order)
    langs = [p.lang for p in article.passages if p.section != ["Abstract"]] or ["zh-Hant"]
    article.lang = max(set(langs), key=langs.count)
    return article


def _units(meta: metadata.Meta, abstract: list[layout.Para],
           paras: list[layout.Para]) -> list[tuple[list[str], str, list[layout.Line]]]:
    """(section path, text, source lines) in reading order: abstract, body, English abstract.

    Heading paragraphs are consumed here: they become section paths, not passages."""
    units = [(["摘要"], p.text, p.source) for p in abstract]
    tracker = sections.SectionTracker()
    for para in paras:
        kind = sections.classify(para.text, para.lines)
        if kind.kind == "heading":
            tracker.heading(kind.level, kind.title)
        elif kind.kind == "item":
            units.append((tracker.item_path(kind.level, kind.title), para.text, para.source))
        else:
            units.append((tracker.path(), para.text, para.source))
    if meta.abstract_en:
        units.append((["Abstract"], meta.abstract_en, meta.abstract_en_lines))
    if not units and meta.title:        # a one-line file: its line is also its text
        units.append(([], meta.title, []))
    return units


def _note_order(note: Footnote) -> tuple[int, int]:
    return (1, int(note.label)) if note.label.isdigit() else (0, 0)
