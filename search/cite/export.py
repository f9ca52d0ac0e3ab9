"""Exports for reference managers (BibTeX, RIS: one entry per article) and spreadsheets
(CSV, JSON: one row per passage of a result list).

A result list is exported whole up to `EXPORT_LIMIT` passages (its first pages in ranking
order): more than a reference manager wants from one search, and a bound on what one
request costs. BibTeX and RIS list each article once, in the order of its best passage,
with the pages of the passages that matched (`note` / `N1`).
"""
from __future__ import annotations

import csv
import io
import json

from search.model import Article, Hit

from .source import page_range, source_of

EXPORT_LIMIT = 500
FORMATS = ("bibtex", "ris", "csv", "json")
MEDIA_TYPES = {"bibtex": "application/x-bibtex; charset=utf-8",
               "ris": "application/x-research-info-systems; charset=utf-8",
               "csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
SUFFIXES = {"bibtex": "bib", "ris": "ris", "csv": "csv", "json": "json"}

_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
                "$": r"\$", "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def _bib(text: str) -> str:
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in text)


def bib_key(article_id: str) -> str:
    """A BibTeX key from an article id: letters, digits and `_-:.` only."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "_-:.") else "_"
                   for ch in article_id)


def _pages_note(pages: list[list[str]]) -> str:
    spans = sorted({page_range(p): p for p in pages if p}.items(),
                   key=lambda x: [int(n) if n.isdigit() else 0 for n in x[1]])
    unique = [span for span, _ in spans]
    if not unique:
        return ""
    single = len(unique) == 1 and "–" not in unique[0]
    return ("passage" if len(unique) == 1 else "passages") + (" on p. " if single else
                                                              " on pp. ") + ", ".join(unique)


def bibtex(article: Article, matched_pages: list[list[str]] | None = None) -> str:
    src = source_of(article)
    kind = "article" if src.kind == "journal" else "misc"
    fields: list[tuple[str, str]] = []
    if src.authors:
        fields.append(("author", " and ".join(_bib(a) for a in src.authors)))
    elif src.organisation:
        fields.append(("author", "{" + _bib(src.organisation) + "}"))   # a corporate author
    fields.append(("title", _bib(src.title)))
    if src.chinese and src.title_en:
        fields.append(("titleaddon", _bib(src.title_en)))
    if src.kind == "journal":
        fields.append(("journal", _bib(src.journal)))
        if src.number is not None:
            fields.append(("number", str(src.number)))
    elif src.organisation:
        fields.append(("publisher", _bib(src.organisation)))
    if src.year:
        fields.append(("year", src.year))
    if src.month:
        fields.append(("month", str(src.month)))
    if src.date and src.kind == "web":
        fields.append(("date", src.date))
    if src.pages and src.kind == "journal":
        fields.append(("pages", page_range(src.pages, "--")))
    if src.url:
        fields.append(("url", src.url))
    if src.lang:
        fields.append(("language", src.lang))
    note = _pages_note(matched_pages or [])
    if note:
        fields.append(("note", note))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{bib_key(article.id)},\n{body}\n}}\n"


def ris(article: Article, matched_pages: list[list[str]] | None = None) -> str:
    src = source_of(article)
    kind = {"journal": "JOUR", "web": "ELEC"}.get(src.kind, "GEN")
    lines = [("TY", kind)]
    lines += [("AU", a) for a in src.authors]
    if not src.authors and src.organisation:
        lines.append(("AU", src.organisation))          # a corporate author
    lines.append(("TI", src.title))
    if src.chinese and src.title_en:
        lines.append(("TT", src.title_en))
    if src.kind == "journal":
        lines.append(("T2", src.journal))
        if src.number is not None:
            lines.append(("IS", str(src.number)))
        if src.pages:
            lines.append(("SP", src.pages[0]))
            lines.append(("EP", src.pages[-1]))
    elif src.organisation:
        lines.append(("PB", src.organisation))
    if src.year:
        lines.append(("PY", src.year))
        lines.append(("DA", src.date.replace("-", "/")))
    if src.url:
        lines.append(("UR", src.url))
    if src.lang:
        lines.append(("LA", src.lang))
    note = _pages_note(matched_pages or [])
    if note:
        lines.append(("N1", note))
    lines.append(("ID", article.id))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines)


ROW_FIELDS = ["rank", "passage_id", "article_id", "title", "authors", "venue", "date",
              "section", "pages", "score", "text"]


def rows(hits: list[Hit], articles: dict[str, Article], start: int = 1) -> list[dict]:
    out = []
    for rank, hit in enumerate(hits, start):
        article = articles.get(hit.article_id)
        out.append({
            "rank": rank, "passage_id": hit.passage_id, "article_id": hit.article_id,
            "title": hit.title, "authors": "; ".join(article.authors) if article else "",
            "venue": hit.venue, "date": hit.date, "section": hit.section,
            "pages": page_range(hit.pages), "score": hit.score, "text": hit.text})
    return out


def export_hits(fmt: str, hits: list[Hit], articles: dict[str, Article],
                query: str = "") -> str:
    """A result list (`hits`, with their articles by id) in format `fmt`."""
    if fmt in ("bibtex", "ris"):
        order: dict[str, list[list[str]]] = {}
        for hit in hits:
            order.setdefault(hit.article_id, []).append(hit.pages)
        write = bibtex if fmt == "bibtex" else ris
        return "\n".join(write(articles[aid], pages) for aid, pages in order.items()
                         if aid in articles)
    table = rows(hits, articles)
    if fmt == "json":
        return json.dumps({"query": query, "results": table}, ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=ROW_FIELDS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(table)
        return buf.getvalue()
    raise ValueError(fmt)


def collect(engine, query: str, search=None, **options) -> tuple[list[Hit], dict[str, Article], int]:
    """The first `EXPORT_LIMIT` hits of a search (`search(query, page=, limit=, **options)`,
    `engine.search` by default), their articles, and the search's total (which tells
    whether the export was cut)."""
    search = search or engine.search
    results = search(query, page=1, limit=EXPORT_LIMIT, **options)
    articles = {}
    for hit in results.hits:
        if hit.article_id not in articles:
            articles[hit.article_id] = engine.article(hit.article_id)
    return results.hits, articles, results.total
