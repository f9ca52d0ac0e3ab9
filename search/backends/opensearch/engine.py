"""`OpenSearchEngine(config)`: the Engine API (search, rank, article, stats) on a cluster.

A search is the Whoosh engine's with another execute step: the same `QueryBuilder` (with
the live index's lexicon and glossary, and the cluster's term statistics), the same plan
compiled to the query DSL (`compile.py`), run with dfs_query_then_fetch so every shard
scores with cluster-wide statistics, then the same proximity rerank and hit assembly.

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
from search.backends.opensearch.client import ClusterError, connect, guarded
from search.backends.opensearch.compile import Compiler
from search.backends.opensearch.mapping import FILLER, TEXT_FIELDS, lookup_field
from search.engine.engine import IndexStats, _page_args
from search.errors import ArticleNotFound, IndexNotFound, QueryError
from search.model import Article, SearchResults

REFRESH_EVERY = 1.0
STAT_ROUNDS = 4
CACHE_LIMIT = 200_000
SHOWN = ["pid", "article_id", "lang", "text", "meta"]


class _Missing(dict):
    """Statistics known so far; a lookup of an unknown term records it and answers 0."""

    def __init__(self, known: dict):
        super().__init__()
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
            raise ClusterError(f"OpenSearch at {self.config.where} cannot answer: some "
                               f"shards of {self.alias} have no copy (cluster red): bring "
                               "its nodes back, then search again")
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
                body.append({"size": 0, "track_total_hits": True, "query": {
                    "term": {lookup_field(field, text) if field in TEXT_FIELDS else field:
                             text}}})
            answers = self.client.msearch(body=body)["responses"]
            for key, answer in zip(chunk, answers):
                if "error" in answer:
                    live.df[key] = 0 if answer.get("status") == 400 else None
                    if live.df[key] is None:
                        raise ClusterError(f"OpenSearch at {self.config.where} could not "
                                           f"count {key[1]!r}: {answer['error']}")
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
        from search.query import QueryBuilder

        def build(df):
            return QueryBuilder(live.schema, live.glossary if expand else None,
                                doc_count=live.doc_count, doc_frequency=df,
                                fields=live.fields).build(query, expand=expand, **options)
        return self._with_stats(live, build)

    def _query(self, live: _Live, plan):
        def compile_(df):
            return Compiler(df, live.doc_count, live.field_docs).compile(plan)
        return self._with_stats(live, compile_)

    @guarded("searching")
    def _execute(self, live: _Live, q: dict, size: int):
        body = {"query": q, "size": size, "track_total_hits": True, "_source": SHOWN,
                "sort": [{"_score": "desc"}, {"pid": "asc"}], "track_scores": True}
        answer = self.client.search(index=live.name, body=body,
                                    search_type="dfs_query_then_fetch",
                                    allow_partial_search_results=False)
        shards = answer.get("_shards", {})
        if shards.get("failed"):
            raise ClusterError(f"OpenSearch at {self.config.where} answered from "
                               f"{shards.get('successful')} of {shards.get('total')} shards: "
                               "search again once the cluster is yellow or green")
        hits = [(h["_source"], float(h["_score"] or 0.0)) for h in answer["hits"]["hits"]]
        return hits, answer["hits"]["total"]["value"]

    def _top(self, live: _Live, plan, q, k: int):
        from search.engine import proximity

        hits, total = self._execute(live, q, max(k, ranking.PROXIMITY_DEPTH))
        prox = self._with_stats(live, lambda df: proximity.features(plan.proximity, df,
                                                                    live.doc_count))
        by_pid = {src["pid"]: src for src, _ in hits}
        ranked = proximity.rerank([(src["pid"], score) for src, score in hits], prox,
                                  lambda pid: by_pid[pid]["text"])
        return [(by_pid[pid], score) for pid, score in ranked[:k]], total, prox

    def search(self, query: str, page: int = 1, limit: int = 10, lang=None, article=None,
               year_from=None, year_to=None, venue=None, expand: bool = True,
               explain: bool = False, translate: bool = True, author=None,
               match: str = "any", sort: str = "relevance", group: bool = False,
               facets: bool = False, every_first: bool = True) -> SearchResults:
        """`Engine.search` on the cluster. Not yet here (issue 13's options, built on the
        Whoosh side after this backend): an author choice, match all, sorting by date and
        grouping are refused with one line; facets and the every-word count are left out
        (the count line then says how many passages match, which is true)."""
        from search.engine.hits import hit_from_stored
        from search.engine.snippets import Highlighter

        missing = [name for name, on in (("author", author), ("match all", match == "all"),
                                         (f"sort {sort}", sort != "relevance"),
                                         ("grouping", group)) if on]
        if missing:
            raise QueryError(f"{', '.join(missing)}: not available on the OpenSearch backend "
                             "yet: search without it, or on the Whoosh index")
        started = time.perf_counter()
        page, limit = _page_args(page, limit)
        live = self._current()
        plan = self._plan(live, query, expand, lang=lang, article=article,
                          year_from=year_from, year_to=year_to, venue=venue,
                          translate=translate)
        q = self._query(live, plan)
        out = SearchResults(query=query, total=0, page=page, limit=limit,
                            expansions=plan.expansions, translations=plan.translation_labels)
        if explain:
            out.explain = plan.explain + ([f"opensearch query: {json.dumps(q, ensure_ascii=False)}"]
                                          if q is not None else [])
        translated = [fold(t) for t in plan.translated]

        def unmatched(df):
            return [w.text for w in plan.words if (not w.tokens or not any(
                df(f, t) for t in w.tokens for f in ("body", "title", "grams")))
                and not any(fold(w.text) in t for t in translated)]
        out.unmatched = self._with_stats(live, unmatched)
        if q is None:
            out.took_ms = (time.perf_counter() - started) * 1000
            return out
        ranked, out.total, prox = self._top(live, plan, q, page * limit)
        highlighter = Highlighter(plan.highlight, plan.fallback_highlight)
        for n, (src, score) in enumerate(ranked[(page - 1) * limit:], (page - 1) * limit + 1):
            out.hits.append(hit_from_stored(src, score, highlighter))
            if explain:
                bonus = prox.bonus(fold(src["text"])) if prox else 0.0
                out.explain.append(f"#{n} {src['pid']} score {score:.3f}"
                                   + (f" (proximity {bonus:.2f})" if bonus else ""))
        out.took_ms = (time.perf_counter() - started) * 1000
        return out

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
        ranked, _total, _prox = self._top(live, plan, q, limit)
        return [(src["pid"], score) for src, score in ranked]

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
