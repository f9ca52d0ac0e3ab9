"""`DocTable`: which article and language each passage document is, per generation.

Facets, date sorting, grouping and the authors on result cards need an attribute of every
matched passage, not only of the ten shown; reading stored fields (JSON) for 50,000 matches
would cost most of a second. The table is read once per generation from the index itself:
the `article_id` and `lang` postings (docnum -> article, language) and the article records
(title, authors, date, venue), so a lookup per passage is an array index.
"""
from __future__ import annotations

import json
import threading
from array import array
from dataclasses import dataclass, field

from search.index.schema import date_number


@dataclass
class ArticleInfo:
    """What facets, sorting and result cards show of an article."""

    id: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""
    venue: str = ""
    datenum: int = 0               # YYYYMMDD, 0 when the article has no date
    year: int | None = None        # datenum's year (None: no date)

    def __post_init__(self):
        self.year = self.datenum // 10000 or None
        self.authors = list(dict.fromkeys(self.authors))   # a name listed twice counts once


def article_info(record: dict) -> ArticleInfo:
    """The ArticleInfo of an article record (`search.index.documents.passage_docs`), for
    every backend's article table."""
    return ArticleInfo(id=record["id"], title=record.get("title", ""),
                       authors=list(record.get("authors") or []),
                       date=record.get("date", ""), venue=record.get("venue", ""),
                       datenum=date_number(record.get("date", "")) or 0)


class DocTable:
    """docnum -> (article, language) for the passages of one searcher's index."""

    def __init__(self, searcher):
        reader = searcher.reader()
        size = reader.doc_count_all()
        self.articles: list[ArticleInfo] = []
        self.by_id: dict[str, int] = {}
        for docnum in searcher.document_numbers(kind="a"):
            stored = searcher.stored_fields(docnum)
            info = article_info(json.loads(stored["record"]))
            self.by_id[info.id] = len(self.articles)
            self.articles.append(info)
        self.info = {a.id: a for a in self.articles}
        self.article_of = array("i", [-1]) * size
        for text in _terms(reader, "article_id"):
            n = self.by_id.get(text)
            if n is None:
                continue
            for d in reader.postings("article_id", text).all_ids():
                self.article_of[d] = n
        self._keys = None          # article * _WIDTH + language, built on first count
        self.langs: list[str] = []
        self.lang_of = array("b", [0]) * size
        for text in _terms(reader, "lang"):
            self.langs.append(text)
            for d in reader.postings("lang", text).all_ids():
                self.lang_of[d] = len(self.langs) - 1

    def article(self, docnum: int) -> ArticleInfo | None:
        n = self.article_of[docnum] if 0 <= docnum < len(self.article_of) else -1
        return self.articles[n] if n >= 0 else None

    def datenum(self, docnum: int) -> int:
        info = self.article(docnum)
        return info.datenum if info else 0

    def counts(self, docs) -> dict[tuple[str, str], int]:
        """{(article id, lang): passages} of `docs` (docnums: a set, or a
        `pruning.Matched` with its array): what `search.engine.facets` counts, one numpy
        pass (a bincount of the passages' article-and-language keys)."""
        import numpy as np

        if self._keys is None:
            width = _WIDTH
            article = np.frombuffer(self.article_of, dtype=np.int32).astype(np.int64)
            lang = np.frombuffer(self.lang_of, dtype=np.int8).astype(np.int64)
            self._keys = np.where(article >= 0, article * width + lang, -1)
        ids = getattr(docs, "ids", None)
        if ids is None:
            ids = np.fromiter(docs, dtype=np.int64, count=len(docs))
        keys = self._keys[ids]
        keys = keys[keys >= 0]
        if not len(keys):
            return {}
        per_key = np.bincount(keys)
        found = np.flatnonzero(per_key)
        langs = self.langs or [""]
        return {(self.articles[k // _WIDTH].id, langs[k % _WIDTH]): n
                for k, n in zip(found.tolist(), per_key[found].tolist())}

    def articles_where(self, test) -> list[str]:
        """Ids of the articles whose ArticleInfo passes `test`, in table order."""
        return [a.id for a in self.articles if test(a)]


def _terms(reader, fieldname: str):
    if fieldname not in reader.schema:
        return
    for btext in reader.lexicon(fieldname):
        yield btext.decode("utf-8") if isinstance(btext, bytes) else btext


_WIDTH = 16                 # languages per article key (3 today)
_lock = threading.Lock()


def doc_table(gen, searcher) -> DocTable:
    """The generation's DocTable, built on first use (one per generation, any thread)."""
    table = gen.cache.get("doctable")
    if table is None:
        with _lock:
            table = gen.cache.get("doctable")
            if table is None:
                table = DocTable(searcher)
                gen.cache["doctable"] = table
    return table
