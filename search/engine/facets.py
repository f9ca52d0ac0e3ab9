"""Facets: counts of the whole result set by year, venue, author, language and article.

One function, `facets_of`, turns {(article id, language): matched passages} and the
articles' metadata into `Facets` (a `Tally`, then `facets_from`); another backend gets the
counts from its own aggregation (a terms aggregation on article id and language), the
Whoosh engine its tally straight from its `DocTable` (numpy counts over per-passage and
per-article codes, `DocTable.tally`), and both show the same facets. A value with no
matched passage is never listed: only articles with a count appear in the input.
"""
from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from typing import Mapping

from search.model import FacetValue, Facets

LANG_NAMES = {"zh-Hant": "Traditional Chinese", "zh-Hans": "Simplified Chinese",
              "en": "English"}
TOP_VALUES = 50        # venues, authors and articles listed at most (the most passages first)


@dataclass
class Tally:
    """Matched passages per article id, language, year, venue and author name (`undated`:
    those of articles without a date): what `Facets` lists, before its order and cut."""

    per_article: dict
    langs: dict
    years: dict
    venues: dict
    authors: dict
    undated: int = 0


def facets_of(counts: Mapping[tuple[str, str], int], articles: Mapping) -> Facets:
    """`counts`: matched passages per (article id, language); `articles`: article id ->
    an object with `title`, `authors`, `venue` and `year` (`doctable.ArticleInfo`)."""
    return facets_from(tally(counts, articles), articles)


def tally(counts: Mapping[tuple[str, str], int], articles: Mapping) -> Tally:
    per_article: dict = {}
    langs: Counter = Counter()
    for (aid, lang), n in counts.items():
        per_article[aid] = per_article.get(aid, 0) + n
        if lang:
            langs[lang] += n
    years: dict = {}
    venues: dict = {}
    authors: dict = {}
    undated = 0
    get = articles.get
    for aid, n in per_article.items():
        info = get(aid)
        if info is None:
            continue
        year = info.year
        if year:
            years[year] = years.get(year, 0) + n
        else:
            undated += n
        if info.venue:
            venues[info.venue] = venues.get(info.venue, 0) + n
        for name in info.authors:
            authors[name] = authors.get(name, 0) + n
    return Tally(per_article, dict(langs), years, venues, authors, undated)


def facets_from(t: Tally, articles: Mapping) -> Facets:
    """The Facets of a tally: years in order, the other values most passages first (the
    first TOP_VALUES of venues, authors and articles)."""
    return Facets(
        year=[FacetValue(str(y), str(y), n) for y, n in sorted(t.years.items())],
        venue=_ranked(t.venues),
        author=_ranked(t.authors),
        lang=[FacetValue(code, LANG_NAMES.get(code, code), n)
              for code, n in _by_count(t.langs)],
        article=[FacetValue(aid, _title(articles, aid), n)
                 for aid, n in _by_count(t.per_article, TOP_VALUES)],
        undated=t.undated)


def _by_count(counter: dict, n: int | None = None) -> list[tuple[str, int]]:
    """Most passages first, then by value: the same order on every run (the first n)."""
    key = lambda kv: (-kv[1], str(kv[0]))   # noqa: E731
    if n is not None and len(counter) > n:
        return heapq.nsmallest(n, counter.items(), key=key)
    return sorted(counter.items(), key=key)


def _title(articles: Mapping, aid: str) -> str:
    info = articles.get(aid)
    return (info.title if info is not None else "") or aid


def _ranked(counter: dict) -> list[FacetValue]:
    return [FacetValue(v, v, n) for v, n in _by_count(counter, TOP_VALUES)]
