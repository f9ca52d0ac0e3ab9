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
        self._codes = None         # numpy codes of passages and articles (`tally`)
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

    def tally(self, docs, top: int | None = None):
        """The `facets.Tally` of `docs` (as `counts` takes them): numpy counts per article
        and language, then per year, venue and author through per-article codes (built on
        first use), the sums `facets.tally` makes of `counts(docs)`. With `top`, articles,
        venues and authors keep only their `top` first in the facets' order (most passages,
        then the value): a broad query matches tens of thousands of articles, and building
        and ordering a dict of every one cost more than the search itself at 100k."""
        import numpy as np

        from search.engine.facets import Tally

        codes = self._article_codes()
        ids = getattr(docs, "ids", None)
        if ids is None:
            ids = np.fromiter(docs, dtype=np.int64, count=len(docs))
        article = codes["article_of"][ids]
        lang = codes["lang_of"][ids][article >= 0]
        article = article[article >= 0]
        size = len(self.articles)
        per = np.bincount(article, minlength=size)
        articles = self.articles
        per_article = {articles[n].id: c for n, c in
                       _first(per, codes["article_rank"], top)}
        langs = {}
        if self.langs:
            per_lang = np.bincount(lang, minlength=len(self.langs))
            langs = {self.langs[n]: c for n, c in enumerate(per_lang.tolist())
                     if c and self.langs[n]}

        def summed(keys, names, weights, rank=None):
            got = np.bincount(keys, weights=weights, minlength=len(names)).astype(np.int64)
            if rank is None:
                return {names[n]: int(got[n]) for n in np.flatnonzero(got).tolist()}
            return {names[n]: c for n, c in _first(got, rank, top)}

        years = summed(codes["year"], codes["years"], per)
        undated = int(per[codes["undated"]].sum())
        years.pop(0, None)
        venues = summed(codes["venue"], codes["venues"], per, codes["venue_rank"])
        venues.pop("", None)
        authors = summed(codes["author"], codes["authors"], per[codes["author_article"]],
                         codes["author_rank"])
        return Tally(per_article, langs, years, venues, authors, undated)

    def _article_codes(self) -> dict:
        """Per passage: its article's index and its language's; per article: its year's,
        venue's and authors' codes (into `years`, `venues`, `authors`)."""
        import numpy as np

        if self._codes is None:
            years, venues, authors = [0], [""], []
            year_of, venue_of, author_of = {0: 0}, {"": 0}, {}
            year, venue, author, author_article = [], [], [], []
            for n, a in enumerate(self.articles):
                year.append(year_of.setdefault(a.year or 0, len(years)))
                if len(year_of) > len(years):
                    years.append(a.year or 0)
                venue.append(venue_of.setdefault(a.venue or "", len(venues)))
                if len(venue_of) > len(venues):
                    venues.append(a.venue or "")
                for name in a.authors:
                    author.append(author_of.setdefault(name, len(authors)))
                    if len(author_of) > len(authors):
                        authors.append(name)
                    author_article.append(n)
            self._codes = {
                "article_of": np.frombuffer(self.article_of, dtype=np.int32).astype(np.int64),
                "lang_of": np.frombuffer(self.lang_of, dtype=np.int8).astype(np.int64),
                "year": np.array(year, dtype=np.int64), "years": years,
                "undated": np.array([not a.year for a in self.articles], dtype=bool),
                "venue": np.array(venue, dtype=np.int64), "venues": venues,
                "author": np.array(author, dtype=np.int64), "authors": authors,
                "author_article": np.array(author_article, dtype=np.int64),
                "article_rank": _ranks([a.id for a in self.articles]),
                # the undated year and the empty venue are left out of their facets
                "venue_rank": _ranks(venues, first_out=True),
                "author_rank": _ranks(authors)}
        return self._codes

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


def _ranks(values: list, first_out: bool = False):
    """Each value's place in `str` order (the facets' tie order), as a numpy array; with
    `first_out`, value 0 (a placeholder) is given the last place so `_first` never keeps it
    ahead of a real value (its count is dropped by the caller)."""
    import numpy as np

    order = sorted(range(len(values)), key=lambda n: str(values[n]))
    if first_out and values:
        order.remove(0)
        order.append(0)
    rank = np.empty(len(values), dtype=np.int64)
    rank[order] = np.arange(len(values), dtype=np.int64)
    return rank


def _first(counts, rank, n: int | None) -> list[tuple[int, int]]:
    """(code, count) of the codes with a count, most first, then by `rank`; the first `n`
    only (all when None)."""
    import numpy as np

    held = np.flatnonzero(counts)
    if n is not None and len(held) > n + 1:
        # one unique key per code: more passages first, then rank (n + 1 kept: a code the
        # caller drops, the empty venue, cannot push a real one out)
        key = -counts[held].astype(np.int64) * len(rank) + rank[held]
        held = held[np.argpartition(key, n)[:n + 1]]
    held = held[np.lexsort((rank[held], -counts[held]))]
    return list(zip(held.tolist(), counts[held].tolist()))
