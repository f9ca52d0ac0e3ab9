"""Result assembly around the ranking: true counts, word notices, match all/any, sorting,
grouping by article, facets, and the filters that need the article table.

`Ranker.order` decides which passages are shown in which order:
- match "any" (default): every matched passage, those containing every word first
  (`search.engine.coverage`), each tier by relevance; match "all": only those;
- sort "newest" / "oldest": by the article's date (undated last), relevance breaking ties;
- group: one result per article (its best passage in that order), its other matched
  passages counted in `Hit.more`.
Relevance without grouping keeps MaxScore's pruned top k (`Evaluator.top`) whenever the
tiers can be read off it; otherwise every match is scored (`Evaluator.run`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from search import ranking
from search.engine import proximity
from search.engine.coverage import coverage
from search.engine.facets import TOP_VALUES, facets_from
from search.engine.postings import EMPTY, DocIds
from search.engine.pruning import Matched, dense_scores, top, top_of_array
from search.errors import QueryError
from search.query.plan import ValueFilter

MATCHES = ("any", "all")
SORTS = ("relevance", "newest", "oldest")


def check_choices(match, sort) -> tuple[str, str]:
    match = (match or "any").strip().lower()
    sort = (sort or "relevance").strip().lower()
    if match not in MATCHES:
        raise QueryError(f"match must be all (every word) or any, not {match[:20]!r}")
    if sort not in SORTS:
        raise QueryError(f"sort must be relevance, newest or oldest, not {sort[:20]!r}")
    return match, sort


@dataclass
class ArticleFilters:
    filters: list = field(default_factory=list)
    explain: list[str] = field(default_factory=list)
    exact_venue: bool = False


def article_filters(table, author=None, venue=None) -> ArticleFilters:
    """The facet choices that name article metadata exactly, as article-id filters:
    `author` (one of an article's authors, as listed) and `venue` when it is exactly an
    article's venue (a facet pick; other text is matched word by word as before)."""
    out = ArticleFilters()
    if author is not None and str(author).strip():
        name = " ".join(str(author).split())
        ids = table.articles_where(lambda a: name in a.authors)
        if not ids:
            raise QueryError(f"no article lists the author {name!r}: pick one from the "
                             "author facet, or search author:WORDS")
        out.filters.append(ValueFilter("article_id", ids))
        out.explain.append(f"filter author (exactly): {name} -> {len(ids)} articles")
    if venue is not None and str(venue).strip():
        name = " ".join(str(venue).split())
        ids = table.articles_where(lambda a: a.venue == name)
        if ids:
            out.exact_venue = True
            out.filters.append(ValueFilter("article_id", ids))
            out.explain.append(f"filter venue (exactly): {name} -> {len(ids)} articles")
    return out


def unknown_article(article_id: str) -> str:
    return (f"no article has the id {article_id!r}: copy an id from a result's article "
            "link, or search without the article filter")


def check_article_ids(plan, table) -> None:
    """`article:ID` in the query or the article option: an id no article has is named,
    not reported as "no passage within the filters"."""
    for f in plan.filters:
        if isinstance(f, ValueFilter) and f.field == "article_id":
            for value in f.values:
                if value not in table.by_id:
                    raise QueryError(unknown_article(value))


def report_words(out, plan, evaluator, cov=None) -> None:
    cov = cov if cov is not None else coverage(plan, evaluator)
    out.words = cov.reports
    out.unmatched = [r.word for r in cov.reports if r.found == "nowhere"]
    out.counted = len(cov.sets)
    out.counted_words = list(cov.words)
    return cov


def facets(table, docs):
    return facets_from(table.tally(docs, top=TOP_VALUES), table.info)


class Ranker:
    """The order of one search's results; after `order`, `shown` is the result set and
    `per_article` its passages per article id."""

    def __init__(self, searcher, evaluator, q, prox, table, every_first: bool = True,
                 words=(), meaning=None):
        self.s, self.ev, self.q, self.prox, self.table = searcher, evaluator, q, prox, table
        self.every_first = every_first
        self.words = words          # the coverage rerank's query words (coverage_rerank)
        # meaning(first) -> (fused ranking, docnums found by meaning alone): the meaning
        # vectors' nearest passages joining the relevance order (search.semantic.fuse)
        self.meaning = meaning
        self.by_meaning: set = set()
        self.shown: set = set()
        self.per_article: dict[str, int] = {}

    def _pid(self, docnum: int) -> str:
        return self.ev.pid(docnum)

    def _rerank(self, ranked):
        from search.engine import coverage_rerank

        stored = self.ev.stored
        ranked = proximity.rerank(ranked, self.prox, lambda d: stored(d)["text"])
        return coverage_rerank.rerank(ranked, self.words, stored)

    def order(self, out, plan, n: int) -> list[tuple[int, float]]:
        """(docnum, score) of the results up to the n-th (groups when grouping); fills
        out's counts, word reports and `shown`."""
        # the ranking first: the word counts then reuse the postings it read
        simple = out.sort == "relevance" and not out.group
        ranked = acc = None
        if simple:
            matched = Matched()
            depth = max(n, ranking.PROXIMITY_DEPTH,
                        ranking.SEMANTIC_DEPTH if self.meaning is not None else 0)
            first, _total = self.ev.top(self.q, depth, matched)
        else:
            acc = self.ev.run(self.q)
        cov = report_words(out, plan, self.ev)
        if simple:
            first = self._rerank(first)
            if self.meaning is not None:
                first, alone = self.meaning(first)
                # those beyond `first` may still match words (`matched`: a DocIds)
                self.by_meaning = {d for d in alone if d not in matched}
            every = cov.every(matched)
            tier1 = [x for x in first if x[0] in every]
            if len(every) == len(matched) or (out.match == "any" and not self.every_first):
                ranked = first[:n]
            elif len(tier1) >= n or len(tier1) == len(every):
                rest = [] if out.match == "all" else [x for x in first if x[0] not in every]
                ranked = (tier1 + rest)[:n]
        if ranked is None:
            self.by_meaning = set()     # the full order is of word matches alone
            dense = dense_scores(self.ev, self.q) if simple else None
            if dense is not None:       # every match scored, as numpy arrays
                ranked = self._full_order_dense(*dense, every, out, n)
            else:
                acc = self.ev.run(self.q) if acc is None else acc
                matched = set(acc)
                every = cov.every(matched)
                ranked = self._full_order(acc, every, out, n)
        self._count(out, matched, every)
        return ranked

    def by_meaning_alone(self, out, n: int) -> list[tuple[int, float]]:
        """The order of a query none of whose words is in the index: the passages close to
        it in meaning (`meaning`), up to the n-th."""
        ranked, self.by_meaning = self.meaning([])
        self._count(out, set(), set())
        return ranked[:n]

    def _count(self, out, matched: set, every: set) -> None:
        self.shown = every if out.match == "all" else matched
        if self.by_meaning and out.match != "all":
            self.shown = matched | self.by_meaning
            out.by_meaning = len(self.by_meaning)
        out.total = len(self.shown)
        out.every_word, out.some_words = len(every), len(matched) - len(every)
        if out.group:
            per = Counter()
            for (aid, _lang), k in self.table.counts(self.shown).items():
                per[aid] += k
            self.per_article = dict(per)
            out.groups = len(per)

    def _full_order(self, acc: dict, every: set, out, n: int):
        tiers = len(every) < len(acc) and (self.every_first or out.match == "all")
        everyone = out.match == "any" and tiers
        pool1 = {d: v for d, v in acc.items() if d in every} if tiers else acc
        pool2 = {d: v for d, v in acc.items() if d not in every} if everyone else {}
        need = None if out.group else n
        if out.sort == "relevance":
            ranked = self._relevance(pool1, need) + (
                self._relevance(pool2, None if need is None else max(0, need - len(pool1)))
                if pool2 else [])
        else:
            pool = {**pool1, **pool2}
            ranked = self._by_date(pool, newest=out.sort == "newest")
        if out.group:
            seen, heads = set(), []
            article_of = self.table.article_of
            for d, v in ranked:
                a = article_of[d]
                if a not in seen:
                    seen.add(a)
                    heads.append((d, v))
                    if len(heads) >= n:
                        break
            ranked = heads
        return ranked[:n]

    def _full_order_dense(self, scores, docs, every, out, n: int):
        """`_full_order` of a relevance order without groups, from `dense_scores`: the
        passages with every word first when tiers apply, each tier's best k by score
        (ties in passage id order), reranked as `_relevance` reranks."""
        tiers = len(every) < len(docs) and (self.every_first or out.match == "all")
        pool1 = DocIds.of(every).ids if tiers else docs
        pool2 = (DocIds(docs) - DocIds(pool1)).ids if out.match == "any" and tiers \
            else EMPTY
        ranked = self._relevance_dense(scores, pool1, n)
        if len(pool2):
            ranked += self._relevance_dense(scores, pool2, max(0, n - len(pool1)))
        return ranked[:n]

    def _relevance_dense(self, scores, pool, k: int):
        if k == 0 or not len(pool):
            return []
        depth = max(k, ranking.PROXIMITY_DEPTH)
        return self._rerank(top_of_array(scores, pool, depth, self._pid))[:k]

    def _relevance(self, pool: dict, k):
        if k == 0 or not pool:
            return []
        k = len(pool) if k is None else k
        return self._rerank(top(pool, max(k, ranking.PROXIMITY_DEPTH), self._pid))[:k]

    def _by_date(self, pool: dict, newest: bool):
        datenum = self.table.datenum

        def key(kv):
            d, v = kv
            when = datenum(d)
            return (when == 0, -when if newest else when, -v, d)
        return sorted(pool.items(), key=key)
