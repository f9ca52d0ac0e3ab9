"""Facets: counts of the whole result set by year, venue, author, language and article.

One function, `facets_of`, turns {(article id, language): matched passages} and the
articles' metadata into `Facets`; the Whoosh engine gets the counts from its `DocTable`
(an array index per matched passage), another backend from its own aggregation (a terms
aggregation on article id and language), and both show the same facets. A value with no
matched passage is never listed: only articles with a count appear in the input.
"""
from __future__ import annotations

from collections import Counter
from typing import Mapping

from search.model import FacetValue, Facets

LANG_NAMES = {"zh-Hant": "Traditional Chinese", "zh-Hans": "Simplified Chinese",
              "en": "English"}
TOP_VALUES = 50        # venues, authors and articles listed at most (the most passages first)


def facets_of(counts: Mapping[tuple[str, str], int], articles: Mapping) -> Facets:
    """`counts`: matched passages per (article id, language); `articles`: article id ->
    an object with `title`, `authors`, `venue` and `year` (`doctable.ArticleInfo`)."""
    per_article: Counter = Counter()
    langs: Counter = Counter()
    for (aid, lang), n in counts.items():
        per_article[aid] += n
        if lang:
            langs[lang] += n
    years: Counter = Counter()
    venues: Counter = Counter()
    authors: Counter = Counter()
    undated = 0
    for aid, n in per_article.items():
        info = articles.get(aid)
        if info is None:
            continue
        if info.year:
            years[info.year] += n
        else:
            undated += n
        if info.venue:
            venues[info.venue] += n
        for name in dict.fromkeys(info.authors):
            authors[name] += n
    titled = {aid: (articles[aid].title if aid in articles else "") or aid
              for aid in per_article}
    return Facets(
        year=[FacetValue(str(y), str(y), n) for y, n in sorted(years.items())],
        venue=_ranked(venues),
        author=_ranked(authors),
        lang=[FacetValue(code, LANG_NAMES.get(code, code), n)
              for code, n in _by_count(langs)],
        article=[FacetValue(aid, titled[aid], n)
                 for aid, n in _by_count(per_article)[:TOP_VALUES]],
        undated=undated)


def _by_count(counter: Counter) -> list[tuple[str, int]]:
    """Most passages first, then by value: the same order on every run."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))


def _ranked(counter: Counter) -> list[FacetValue]:
    return [FacetValue(v, v, n) for v, n in _by_count(counter)[:TOP_VALUES]]
