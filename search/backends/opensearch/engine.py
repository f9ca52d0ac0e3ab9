"""`OpenSearchEngine(config)`: the Engine API (search, rank, article, stats) on a cluster.

A search is the Whoosh engine's with another execute step: the same `QueryBuilder` (with
the live index's lexicon and glossary, and the cluster's term statistics), the same plan
compiled to the query DSL (`compile.py`), run with dfs_query_then_fetch so every shard
scores with cluster-wide statistics, then the same proximity and coverage reranks and hit
assembly; word reports and the every-word count are one `_msearch` of counts
(`coverage.py`), the order of match all/any, date sorts and grouping `results.Order`.

Term statistics: the builder, the compiler and the proximity features ask
`doc_frequency(field, term)` one term at a time; a round trip each would cost more than the
search, so each step runs first with the statistics known, the missing terms are fetched in
one `_msearch`, and the step runs again (a physical index never changes once the alias
points at it, so what is fetched is cached until the alias moves).
"""
from __future__ import annotations

import json
import threading
import time

from search import ranking
from search.analysis import fold
from search.backends.config import BackendConfig
from search.backends.opensearch import store
from search.backends.opensearch.client import ClusterError, connect, guarded, item_error, red
from search.backends.opensearch.compile import Compiler
from search.backends.opensearch.mapping import FILLER, TEXT_FIELDS, lookup_field
from search.backends.opensearch.senses import BOTH, Passages, count_query
from search.engine.engine import IndexStats, _page_args
from search.errors import ArticleNotFound, IndexNotFound, QueryError
from search.model import Article, SearchResults

REFRESH_EVERY = 1.0
STAT_ROUNDS = 6             # translated queries: statistics, then their senses' counts
PREFIX_REACH = 2            # characters past a designator's prefix its variants are found
CACHE_LIMIT = 200_000
MAX_WINDOW = 10_000          # OpenSearch's default index.max_result_window
SHOWN = ["pid", "article_id", "lang", "text", "meta"]


class _Missing:
    """Statistics known so far; a lookup of an unknown term records it and answers 0.
    (Not a dict: the builder tests `if not doc_frequency`, and an empty dict is false.)"""

    def __init__(self, known: dict):
        self.known = known
        self.wanted: set = set()

    def __call__(self, field, text):
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        key = (field, text)
        if key in self.known:
            return self.known[key]
        self.wanted.add(key)
        return 0


class _Live:
    """One physical index as searches see it: name, manifest, analysers, glossary, stats."""

    def __init__(self, client, alias: str, name: str):
        from search.index.schema import build_schema

        self.name = name
        self.manifest = store.manifest_from_doc(store.read_doc(client, alias,
                                                               f"manifest:{name}"))
        lexicon = self.manifest.lexicon if self.manifest else []
        self.schema = build_schema(lexicon)
        self.glossary = store.glossary_from_doc(store.read_doc(client, alias,
                                                               f"glossary:{name}"))
        self.doc_count = client.count(index=name)["count"]
        self.df: dict = {}
        self.field_docs = {f: client.count(index=name, body={"query": {"exists": {
            "field": f}}})["count"] for f in TEXT_FIELDS}
        self.articles = None        # ArticleTable, read on first use (OpenSearchEngine)
        self.prefixed: dict = {}    # (field, prefix) -> terms (OpenSearchEngine.prefixed_terms)
        # fields some document has real tokens in (mapping.FILLER stands in for none)
        self.fields = {f for f in TEXT_FIELDS if client.count(index=name, body={"query": {
            "bool": {"must": {"exists": {"field": f}},
                     "must_not": {"term": {f: FILLER}}}}})["count"]}


class OpenSearchEngine:
    def __init__(self, config: BackendConfig):
        self.config = config
        self.alias = config.index
        self.client = connect(config)
        self._lock = threading.Lock()
        self._live = self._open()
        self._checked = time.monotonic()

    @guarded("opening the index")
    def _open(self) -> _Live:
        name = store.live_index(self.client, self.alias)
        if name is None:
            raise IndexNotFound(self.alias, f"no index {self.alias!r} in OpenSearch at "
                                            f"{self.config.where}: run `defsearch index "
                                            "--backend opensearch` first")
        health = self.client.cluster.health(index=name)
        if health.get("status") == "red":
            raise red(self.config, "")
        return _Live(self.client, self.alias, name)

    # -- generations ----------------------------------------------------------------------

    def refresh(self) -> bool:
        """Follow the alias when `defsearch index` moved it to a new physical index."""
        with self._lock:
            self._checked = time.monotonic()
            name = self._guarded_live_name()
            if name is None or name == self._live.name:
                return False
            self._live = _Live(self.client, self.alias, name)
            return True

    @guarded("reading the alias")
    def _guarded_live_name(self):
        return store.live_index(self.client, self.alias)

    def live_generation(self) -> str:
        if time.monotonic() - self._checked > REFRESH_EVERY:
            try:
                self.refresh()
            except Exception:       # the cluster is briefly unreachable: keep what we have
                pass
        return self._live.name

    def close(self) -> None:
        self.client.close()

    # -- statistics -----------------------------------------------------------------------

    @guarded("reading term statistics")
    def _fetch(self, live: _Live, keys) -> None:
        keys = sorted(keys)
        if len(live.df) > CACHE_LIMIT:
            live.df.clear()
        for start in range(0, len(keys), 200):
            chunk = keys[start:start + 200]
            body = []
            for field, text in chunk:
                body.append({"index": live.name})
                body.append({"size": 0, "track_total_hits": True, "query": count_query(
                    text, lookup_field) if field == BOTH else {
                    "term": {lookup_field(field, text) if field in TEXT_FIELDS else field:
                             text}}})
            answers = self.client.msearch(body=body)["responses"]
            for key, answer in zip(chunk, answers):
                if "error" in answer:
                    if answer.get("status") != 400:
                        raise item_error(answer, self.config, "reading term statistics")
                    live.df[key] = 0
                else:
                    live.df[key] = answer["hits"]["total"]["value"]

    def _with_stats(self, live: _Live, step):
        """`step(df)` run until every statistic it asked for was known (see the module's
        docstring)."""
        for _ in range(STAT_ROUNDS):
            df = _Missing(live.df)
            out = step(df)
            if not df.wanted:
                return out
            self._fetch(live, df.wanted)
        return step(_Missing(live.df))

    def doc_frequency(self, field: str, text) -> int:
        live = self._current()
        return self._with_stats(live, lambda df: df(field, text))

    def _current(self) -> _Live:
        self.live_generation()
        return self._live

    def stats(self) -> IndexStats:
        live = self._current()
        m = live.manifest
        return IndexStats(generation=live.name, passages=m.passages if m else 0,
                          articles=m.articles if m else 0, files=len(m.files) if m else 0,
                          built=m.built if m else "", lexicon=len(m.lexicon) if m else 0,
                          path=f"{self.config.where} ({self.alias})")

    # -- searching ------------------------------------------------------------------------

    def _plan(self, live: _Live, query: str, expand: bool, **options):
        """The query plan, as the Whoosh engine's `_builder` makes it: with the cluster's
        statistics, passage sets for the translation's senses (`senses.Passages`) and the
        designator variants the index holds (`prefixed_terms`)."""
        from search.query import QueryBuilder

        def build(df):
            builder = QueryBuilder(live.schema, live.glossary if expand else None,
                                   doc_count=live.doc_count, doc_frequency=df,
                                   fields=live.fields, prefixed=lambda field, prefix:
                                   self.prefixed_terms(live, field, prefix))
            builder.postings = lambda field, text: Passages(df, ((field, text),))
            return builder.build(query, expand=expand, **options)
        return self._with_stats(live, build)

    def prefixed_terms(self, live: _Live, field: str, prefix: str) -> list[str]:
        """The terms of `field` that start with `prefix` and are at most PREFIX_REACH
        characters longer (a designator's variants: su27 -> su27sm, su27sk), by Lucene's
        term suggester (a cluster has no sorted term walk); cached per physical index."""
        key = (field, prefix)
        if key not in live.prefixed:
            live.prefixed[key] = self._prefixed(live, field, prefix)
        return live.prefixed[key]

    @guarded("looking up designator variants")
    def _prefixed(self, live: _Live, field: str, prefix: str) -> list[str]:
        answer = self.client.search(index=live.name, body={"size": 0, "suggest": {"p": {
            "text": prefix, "term": {
                "field": field, "suggest_mode": "always", "max_edits": PREFIX_REACH,
                "prefix_length": len(prefix), "min_word_length": 1, "size": 100,
                "accuracy": 0.0, "max_term_freq": 2 ** 31 - 1}}}})
        found = {o["text"] for e in answer.get("suggest", {}).get("p", []) for o in e["options"]}
        return sorted(t for t in found | {prefix} if t.startswith(prefix)
                      and self._with_stats(live, lambda df: df(field, t)))

    def _query(self, live: _Live, plan):
        def compile_(df):
            return Compiler(df, live.doc_count, live.field_docs).compile(plan)
        return self._with_stats(live, compile_)

    def articles(self, live: _Live):
        """The live index's ArticleTable, read on first use."""
        if live.articles is None:
            with self._lock:
                if live.articles is None:
                    live.articles = self._read_articles(live)
        return live.articles

    @guarded("reading the article records")
    def _read_articles(self, live: _Live):
        from search.backends.opensearch.articles import ArticleTable

        return ArticleTable(self.client, live.name)

    @guarded("searching")
    def execute(self, live: _Live, q: dict, size: int, sort=None, collapse: bool = False):
        """(hits, total): hits (stored source, score, whether the passage contains every
        word: results.EVERY matched) in `sort` order (relevance by default), one per
        article with `collapse`."""
        from search.backends.opensearch.results import EVERY

        body = {"query": q, "size": size, "track_total_hits": True, "_source": SHOWN,
                "sort": sort or [{"_score": "desc"}, {"pid": "asc"}], "track_scores": True}
        if collapse:
            body["collapse"] = {"field": "article_id"}
        answer = self.client.search(index=live.name, body=body,
                                    search_type="dfs_query_then_fetch",
                                    allow_partial_search_results=False)
        self._complete(answer)
        hits = [(h["_source"], float(h["_score"] or 0.0), EVERY in h.get("matched_queries", ()))
                for h in answer["hits"]["hits"]]
        return hits, answer["hits"]["total"]["value"]

    def _complete(self, answer) -> None:
        shards = answer.get("_shards", {})
        if shards.get("failed"):
            raise ClusterError(f"OpenSearch at {self.config.where} answered from "
                               f"{shards.get('successful')} of {shards.get('total')} shards: "
                               "search again once the cluster is yellow or green")

    @guarded("counting matches")
    def count(self, live: _Live, counts) -> None:
        counts.resolve(self.client, live.name,
                       lambda answer: item_error(answer, self.config, "counting matches"))

    @guarded("counting matches per article")
    def composite(self, live: _Live, q: dict) -> dict:
        """{(article id, language): passages matching `q`}, every article (paged)."""
        from search.backends.opensearch.results import COMPOSITE_PAGE

        out: dict = {}
        after = None
        while True:
            agg = {"size": COMPOSITE_PAGE, "sources": [
                {"a": {"terms": {"field": "article_id"}}},
                {"l": {"terms": {"field": "lang", "missing_bucket": True}}}]}
            if after:
                agg["after"] = after
            answer = self.client.search(index=live.name, body={
                "query": q, "size": 0, "track_total_hits": False,
                "aggs": {"per": {"composite": agg}}}, allow_partial_search_results=False)
            self._complete(answer)
            per = answer["aggregations"]["per"]
            for b in per["buckets"]:
                out[(b["key"]["a"], b["key"]["l"] or "")] = b["doc_count"]
            after = per.get("after_key")
            if not per["buckets"] or not after:
                return out

    def rerank(self, live: _Live, plan, hits: list) -> list:
        """`hits` after the proximity and coverage reranks (Whoosh's `_top`)."""
        from search.engine import coverage_rerank, proximity

        prox = self._prox(live, plan)
        by_pid = {src["pid"]: (src, flag) for src, _score, flag in hits}
        ranked = proximity.rerank([(src["pid"], score) for src, score, _f in hits], prox,
                                  lambda pid: by_pid[pid][0]["text"])
        ranked = coverage_rerank.rerank(ranked, coverage_rerank.word_terms(plan),
                                        lambda pid: by_pid[pid][0])
        return [(by_pid[pid][0], score, by_pid[pid][1]) for pid, score in ranked]

    def _prox(self, live: _Live, plan):
        from search.engine import proximity

        return self._with_stats(live, lambda df: proximity.features(plan.proximity, df,
                                                                    live.doc_count))

    def search(self, query: str, page: int = 1, limit: int = 10, lang=None, article=None,
               year_from=None, year_to=None, venue=None, expand: bool = True,
               explain: bool = False, translate: bool = True, author=None,
               match: str = "any", sort: str = "relevance", group: bool = False,
               facets: bool = False, every_first: bool = True) -> SearchResults:
        """`Engine.search` on the cluster: the same options, counts, notices and order
        (`results.Order`), "did you mean" from the cluster's terms (`spelling.py`)."""
        from search.backends.opensearch import results as cluster
        from search.backends.opensearch.coverage import Counts, coverage
        from search.engine import results
        from search.engine.hits import hit_from_stored
        from search.engine.snippets import Highlighter

        started = time.perf_counter()
        page, limit = _page_args(page, limit)
        if page * limit > MAX_WINDOW:
            raise QueryError(f"page {page} of {limit} results reaches past result "
                             f"{MAX_WINDOW:,}, the deepest the OpenSearch backend pages: "
                             "narrow the search (a filter, match all) instead")
        match, sort = results.check_choices(match, sort)
        live = self._current()
        table = self.articles(live)
        extra = results.article_filters(table, author=author, venue=venue)
        plan = self._plan(live, query, expand, lang=lang, article=article,
                          year_from=year_from, year_to=year_to,
                          venue=None if extra.exact_venue else venue, translate=translate)
        results.check_article_ids(plan, table)
        plan.filters.extend(extra.filters)
        q = self._query(live, plan)
        out = SearchResults(query=query, total=0, page=page, limit=limit,
                            expansions=plan.expansions, translations=plan.translation_labels,
                            match=match, sort=sort, group=bool(group))
        if explain:
            out.explain = plan.explain + extra.explain + (
                [f"opensearch query: {json.dumps(q, ensure_ascii=False)}"]
                if q is not None else [])
        out.did_you_mean = self._did_you_mean(live, query, plan, out.explain, explain)
        if q is None:
            counts = Counts()
            cov = coverage(plan, None, counts, lambda _cov: self.count(live, counts))
            out.words = cov.reports
            out.unmatched = [r.word for r in cov.reports if r.found == "nowhere"]
            out.counted, out.counted_words = len(cov.presents), list(cov.words)
            out.took_ms = (time.perf_counter() - started) * 1000
            return out
        order = cluster.Order(self, live, plan, q, out, every_first)
        ranked = order.run(page * limit)
        if group or facets:
            counts = order.article_counts()
            if group:
                order.group_counts(counts)
            if facets:
                out.facets = cluster.facets(counts, table)
        prox = self._prox(live, plan) if explain else None
        highlighter = Highlighter(plan.highlight, plan.fallback_highlight)
        for n, (src, score, _every) in enumerate(ranked[(page - 1) * limit:page * limit],
                                                 (page - 1) * limit + 1):
            hit = hit_from_stored(src, score, highlighter)
            info = table.info.get(hit.article_id)
            hit.authors = list(info.authors) if info else []
            if group:
                hit.more = max(0, order.per_article.get(hit.article_id, 1) - 1)
            out.hits.append(hit)
            if explain:
                bonus = prox.bonus(fold(src["text"])) if prox else 0.0
                out.explain.append(f"#{n} {src['pid']} score {score:.3f}"
                                   + (f" (proximity {bonus:.2f})" if bonus else ""))
        out.took_ms = (time.perf_counter() - started) * 1000
        return out

    def _did_you_mean(self, live: _Live, query: str, plan, lines: list, explain: bool) -> str:
        from search.backends.opensearch.spelling import ClusterTerms
        from search.engine.engine import _did_you_mean

        terms = ClusterTerms(self, live, [w.text for w in plan.words])
        return _did_you_mean(query, plan, terms, live.glossary, lines, explain)

    @guarded("looking up words near a typo")
    def suggest_terms(self, live: _Live, texts: list[str]) -> list[str]:
        """The `body` terms within two edits of any of `texts` sharing its first character
        (Lucene's term suggester), sorted."""
        from search.backends.opensearch.spelling import SUGGESTIONS

        if not texts:
            return []
        suggest = {f"w{n}": {"text": text, "term": {
            "field": "body", "suggest_mode": "always", "max_edits": 2, "prefix_length": 1,
            "min_word_length": 1, "size": SUGGESTIONS, "max_inspections": 10,
            "accuracy": 0.0, "max_term_freq": 2 ** 31 - 1}}
            for n, text in enumerate(texts)}
        answer = self.client.search(index=live.name, body={"size": 0, "suggest": suggest})
        return sorted({o["text"] for entries in answer.get("suggest", {}).values()
                       for e in entries for o in e["options"]} - {FILLER})

    @guarded("reading passages")
    def stored_hits(self, live: _Live, q: dict, limit: int) -> list[dict]:
        """The shown fields of the best `limit` documents of `q`."""
        answer = self.client.search(index=live.name, body={
            "query": q, "size": limit, "_source": SHOWN, "track_total_hits": False,
            "sort": [{"_score": "desc"}, {"pid": "asc"}]},
            search_type="dfs_query_then_fetch")
        return [h["_source"] for h in answer["hits"]["hits"]]

    def rank(self, query: str, limit: int = 100, expand: bool = True,
             translate: bool = True, lang=None) -> list[tuple[str, float]]:
        live = self._current()
        try:
            plan = self._plan(live, query, expand, translate=translate, lang=lang)
        except QueryError:
            return []
        q = self._query(live, plan)
        if q is None:
            return []
        hits, _total = self.execute(live, q, max(limit, ranking.PROXIMITY_DEPTH))
        return [(src["pid"], score) for src, score, _e in self.rerank(live, plan, hits)[:limit]]

    @guarded("reading an article")
    def article(self, article_id: str) -> Article:
        from opensearchpy import NotFoundError

        from search.index.documents import article_from_stored

        live = self._current()
        try:
            doc = self.client.get(index=live.name, id="article:" + str(article_id),
                                  _source_includes=["record"])
        except NotFoundError:
            raise ArticleNotFound(str(article_id)) from None
        record = json.loads(doc["_source"]["record"])
        pids = [p for p in record.get("passages", [])]
        stored = {}
        if pids:
            got = self.client.mget(index=live.name, body={"ids": pids},
                                   _source_includes=SHOWN)
            stored = {d["_id"]: d["_source"] for d in got["docs"] if d.get("found")}
        return article_from_stored(record, stored.get)
