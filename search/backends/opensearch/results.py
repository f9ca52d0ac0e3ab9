"""Result assembly on the cluster: `search.engine.results.Ranker`'s order, counts and facets.

The same rules as the Whoosh side (read its docstring): match "any" shows every matched
passage, those containing every word first; "all" only those; sort by the article's date
(undated last, relevance breaking ties); grouping shows one passage per article and counts
the others. What Whoosh does on sets of document numbers is done here with queries:
- the every-word passages are the search's query and `Coverage.every` (a filter), the
  others the query without it; a named zero-weight clause marks which of the first hits
  contain every word, so the usual search needs no second one;
- date order is an OpenSearch sort (`datenum`, absent when undated: last), grouping a
  collapse on `article_id` after the reranked first passages;
- counts per article and language (facets, `Hit.more`, the article count) are one
  composite aggregation, paged, so they are exact however many articles match.
"""
from __future__ import annotations

from search import ranking
from search.backends.opensearch.coverage import Counts, coverage
from search.engine.facets import facets_of

EVERY = "every"
COMPOSITE_PAGE = 5000


def both(q: dict, flt: dict) -> dict:
    return {"bool": {"must": [q], "filter": [flt]}}


def without(q: dict, flt: dict) -> dict:
    return {"bool": {"must": [q], "must_not": [flt]}}


def marked(q: dict, flt: dict) -> dict:
    """`q` with the passages matching `flt` named EVERY in the hits, scores unchanged."""
    return {"bool": {"must": [q], "should": [{"constant_score": {
        "filter": flt, "boost": 0.0, "_name": EVERY}}]}}


def by_date(newest: bool) -> list:
    return [{"datenum": {"order": "desc" if newest else "asc", "missing": "_last"}},
            {"_score": "desc"}, {"pid": "asc"}]


class Order:
    """The results of one search in order; `run` fills out's counts and word reports.
    `engine` gives `execute(live, q, size, sort=None, collapse=False)` -> (hits, total)
    and `rerank(live, plan, hits)`; hits are (stored source, score, in-every)."""

    def __init__(self, engine, live, plan, q, out, every_first: bool = True):
        self.engine, self.live, self.plan, self.q, self.out = engine, live, plan, q, out
        self.every_first = every_first
        self.per_article: dict[str, int] = {}
        self.shown_q = q

    def _rel(self, q: dict, k: int | None) -> list:
        if k == 0:
            return []
        hits, total = self.engine.execute(self.live, q, max(k or 0, ranking.PROXIMITY_DEPTH))
        ranked = self.engine.rerank(self.live, self.plan, hits)
        return ranked[:k] if k is not None else ranked

    def run(self, n: int) -> list:
        out, q = self.out, self.q
        counts = Counts()

        def resolve(cov):
            if cov.every is not None:
                counts.ask(both(q, cov.every))
            self.engine.count(self.live, counts)
        cov = coverage(self.plan, q, counts, resolve)
        every_q = cov.every
        out.words = cov.reports
        out.unmatched = [r.word for r in cov.reports if r.found == "nowhere"]
        out.counted, out.counted_words = len(cov.presents), list(cov.words)
        simple = out.sort == "relevance" and not out.group
        ranked = None
        if simple:
            hits, matched = self.engine.execute(
                self.live, marked(q, every_q) if every_q is not None else q,
                max(n, ranking.PROXIMITY_DEPTH))
            first = self.engine.rerank(self.live, self.plan, hits)
        else:
            matched = self.engine.execute(self.live, q, 0)[1]
        every = counts.n(both(q, every_q)) if every_q is not None else matched
        if simple:
            tier1 = [x for x in first if x[2]]
            if every == matched or (out.match == "any" and not self.every_first):
                ranked = first[:n]
            elif len(tier1) >= n or len(tier1) == every:
                rest = [] if out.match == "all" else [x for x in first if not x[2]]
                ranked = (tier1 + rest)[:n]
        if ranked is None:
            ranked = self._full_order(every_q, every, matched, n)
        self.shown_q = both(q, every_q) if out.match == "all" and every_q is not None else q
        out.total = every if out.match == "all" else matched
        out.every_word, out.some_words = every, matched - every
        return ranked

    def _full_order(self, every_q, every: int, matched: int, n: int) -> list:
        out, q = self.out, self.q
        tiers = every < matched and (self.every_first or out.match == "all")
        everyone = out.match == "any" and tiers
        q1 = both(q, every_q) if tiers else q
        q2 = without(q, every_q) if everyone else None
        if out.sort != "relevance":
            pool = q if everyone else q1
            hits, _total = self.engine.execute(self.live, pool, n,
                                               sort=by_date(out.sort == "newest"),
                                               collapse=out.group)
            return hits[:n]
        if not out.group:
            pool1 = every if tiers else matched
            return self._rel(q1, n) + (self._rel(q2, max(0, n - pool1)) if q2 else [])
        heads: list = []
        seen: set = set()
        for pool in ([q1, q2] if q2 else [q1]):
            if len(heads) >= n:
                break
            self._heads(pool, n, heads, seen)
        return heads[:n]

    def _heads(self, pool: dict, n: int, heads: list, seen: set) -> None:
        """Add to `heads` the best passage of each article of `pool` not in `seen`, in the
        Whoosh order: its first PROXIMITY_DEPTH passages reranked, the rest by score (each
        article's best of them: a collapse)."""
        hits, _total = self.engine.execute(self.live, pool, ranking.PROXIMITY_DEPTH + 1)
        # (one past the reranked ones, as Whoosh reranks them above the rest of the pool)
        window = self.engine.rerank(self.live, self.plan, hits)[:ranking.PROXIMITY_DEPTH]
        window_articles = set()
        for hit in window:
            aid = hit[0]["article_id"]
            window_articles.add(aid)
            if aid not in seen:
                seen.add(aid)
                heads.append(hit)
                if len(heads) >= n:
                    return
        rest = pool
        if window_articles | seen:
            rest = without(pool, {"terms": {"article_id": sorted(window_articles | seen)}})
        hits, _total = self.engine.execute(self.live, rest, n - len(heads), collapse=True)
        for hit in hits:
            seen.add(hit[0]["article_id"])
            heads.append(hit)

    def article_counts(self) -> dict[tuple[str, str], int]:
        """{(article id, language): passages} of the result set shown."""
        return self.engine.composite(self.live, self.shown_q)

    def group_counts(self, counts: dict) -> None:
        per: dict[str, int] = {}
        for (aid, _lang), k in counts.items():
            per[aid] = per.get(aid, 0) + k
        self.per_article = per
        self.out.groups = len(per)


def facets(counts: dict, table):
    return facets_of(counts, table.info)
