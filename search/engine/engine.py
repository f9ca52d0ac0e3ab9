"""`Engine(index_dir)`: search the passage index and read article records.

One Engine serves many threads (a multi-threaded WSGI server): each thread gets its own
Whoosh searcher, opened on the generation named by `CURRENT` at the time. After
`defsearch index` swaps in a new generation, `refresh()` (also run automatically at most
once a second by `search`) opens it; searches already running finish on the old one, whose
files stay on disk until the next update. A generation's name never repeats, so a changed
name in CURRENT is always a new index (even one rebuilt after `rm -rf index`).

Opening a generation checks its files against their checksums (cheaply: see
`search.index.checksums.verify_generation`); an unexpected error while reading one checks
them in full, so damage is reported as IndexDamaged naming the file, not as a Whoosh traceback.
"""
from __future__ import annotations

import functools
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from search import ranking
from search.analysis import fold
from search.engine.evaluate import Evaluator
from search.engine.hits import hit_from_stored
from search.engine.snippets import Highlighter
from search.errors import ArticleNotFound, DefsearchError, IndexDamaged, QueryError
from search.index import livestats
from search.index.checksums import verify_generation
from search.index.manifest import current_generation, open_checks, read_current
from search.model import Article, SearchResults

# Results a page: `Engine.search` and `defsearch search --limit` take up to MAX_LIMIT (a
# local user may want a long list); `/api/search?limit=` up to API_MAX_LIMIT (a server
# shared by many clients: a request's cost stays bounded). README "Limits" says both.
MAX_LIMIT = 1000
API_MAX_LIMIT = 50
REFRESH_EVERY = 1.0


@dataclass
class IndexStats:
    generation: str
    passages: int
    articles: int
    files: int
    built: str
    lexicon: int
    path: str


class _Generation:
    def __init__(self, gen_dir: Path):
        from whoosh import index

        self.name = gen_dir.name
        self.dir = gen_dir
        self.manifest = open_checks(gen_dir)
        try:
            self.ix = index.open_dir(str(gen_dir))
        except Exception as err:    # noqa: BLE001 - a generation without checksums, damaged
            raise IndexDamaged(gen_dir.parent, f"{gen_dir.name}: Whoosh cannot open it "
                                               f"({type(err).__name__})") from err
        self.schema = self.ix.schema
        self.glossary = _load_glossary(gen_dir)
        self.adjustments = livestats.Adjustments.of_index(gen_dir, self.ix)
        from search.semantic import vectors
        self.vectors = vectors.load(gen_dir)     # None: built without --semantic
        self.cache: dict = {}        # Evaluator: length norms and filter doc sets
        self.df_cache: dict = {}     # (field, term) -> live document count, every searcher
        self._live = None

    def live_fields(self, searcher) -> set:
        if self._live is None:
            self._live = {f for f in self.schema.scorable_names()
                          if searcher.field_length(f) > 0}
        return self._live


def _load_glossary(gen_dir: Path):
    from search.glossary import Glossary

    try:
        return Glossary.load(gen_dir)
    except Exception:       # no glossary saved (or an old one): search without expansion
        return None


def _reports_damage(method):
    """An unexpected error while reading the live generation: if its files no longer match
    their checksums, raise IndexDamaged naming the file instead. (A generation an update
    has since replaced and removed is not damaged: the next search opens the new one.)"""
    @functools.wraps(method)
    def checked(self, *args, **kwargs):
        gen = self._gen
        try:
            return method(self, *args, **kwargs)
        except DefsearchError:
            raise
        except Exception:
            if read_current(self.index_dir) == gen.name:
                verify_generation(gen.dir, full=True)
            raise
    return checked


class Engine:
    def __init__(self, index_dir="index"):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._gen = _Generation(current_generation(self.index_dir))
        self._checked = time.monotonic()

    # -- generations ----------------------------------------------------------------------

    def refresh(self) -> bool:
        """Open the live generation if `defsearch index` swapped in a new one (CURRENT
        names another generation: names are never reused)."""
        with self._lock:
            self._checked = time.monotonic()
            gen_dir = current_generation(self.index_dir)
            if gen_dir.name == self._gen.name:
                return False
            self._gen = _Generation(gen_dir)
            return True

    def live_generation(self) -> str:
        """The name of the generation searches use now, after the once-a-second check for a
        new one (the one refresh timer: the web's result caches key on this name)."""
        if time.monotonic() - self._checked > REFRESH_EVERY:
            try:
                self.refresh()
            except Exception:       # a half-visible update: keep serving what we have
                pass
        return self._gen.name

    def _searcher(self):
        self.live_generation()
        gen = self._gen
        local = self._local
        if getattr(local, "gen", None) is not gen:
            old = getattr(local, "searcher", None)
            if old is not None:
                try:
                    old.close()
                except Exception:
                    pass
            local.searcher = livestats.searcher(gen.ix, gen.adjustments, gen.df_cache,
                                                weighting=ranking.weighting())
            local.gen = gen
        return gen, local.searcher

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None
            self._local.gen = None

    # -- API ------------------------------------------------------------------------------

    def doc_frequency(self, field: str, text) -> int:
        """Passages holding `text` in `field` as ranking counts them (deleted ones left out),
        for translation sense selection outside a search (`defsearch glossary --term`)."""
        return self._searcher()[1].doc_frequency(field, text)

    def stats(self) -> IndexStats:
        self.live_generation()          # the front page says when the index was updated
        m = self._gen.manifest
        return IndexStats(generation=self._gen.name, passages=m.passages, articles=m.articles,
                          files=len(m.files), built=m.built, lexicon=len(m.lexicon),
                          path=str(self.index_dir))

    @_reports_damage
    def search(self, query: str, page: int = 1, limit: int = 10, lang=None, article=None,
               year_from=None, year_to=None, venue=None, expand: bool = True,
               explain: bool = False, translate: bool = True, author=None,
               match: str = "any", sort: str = "relevance", group: bool = False,
               facets: bool = False, every_first: bool = True,
               semantic: bool = True) -> SearchResults:
        """Ranked passages of `query` (see `search.engine.results` for counts, notices,
        match, sort, grouping and facets). `every_first` False: relevance alone, as `rank`
        (batch runs, the quality benchmark) orders them."""
        from search.engine import results
        from search.engine.doctable import doc_table
        from search.query import compile

        started = time.perf_counter()
        page, limit = _page_args(page, limit)
        match, sort = results.check_choices(match, sort)
        gen, s = self._searcher()
        table = doc_table(gen, s)
        extra = results.article_filters(table, author=author, venue=venue)
        plan = _builder(gen, s, expand).build(query, lang=lang, article=article,
                                               year_from=year_from, year_to=year_to,
                                               venue=None if extra.exact_venue else venue,
                                               expand=expand, translate=translate)
        results.check_article_ids(plan, table)
        plan.filters.extend(extra.filters)
        q = compile(plan)
        out = SearchResults(query=query, total=0, page=page, limit=limit,
                            expansions=plan.expansions,
                            translations=plan.translation_labels, match=match, sort=sort,
                            group=bool(group))
        if explain:
            out.explain = plan.explain + extra.explain + \
                ([f"whoosh query: {q}"] if q is not None else [])
        out.did_you_mean = _did_you_mean(query, plan, s, gen.glossary, out.explain, explain,
                                          gen.cache.setdefault("did-you-mean", {}))
        evaluator = Evaluator(s, gen.cache, trace=explain)

        def meaning(first):
            return _with_meaning(gen, plan, evaluator, first, query, close_only=True)
        if not (semantic and translate and expand and gen.vectors is not None):
            meaning = None
        if q is None:           # no word of the query is in the index
            results.report_words(out, plan, evaluator, None)
            ranker = results.Ranker(s, evaluator, None, None, table, meaning=meaning)
            order = ranker.by_meaning_alone(out, page * limit) if meaning else []
            if not order:
                out.took_ms = (time.perf_counter() - started) * 1000
                return out
            prox, words = None, ()
        else:
            from search.engine import proximity
            prox = proximity.features(plan.proximity, s.doc_frequency, s.doc_count())
            words = _coverage_words(plan)
            ranker = results.Ranker(s, evaluator, q, prox, table, every_first, words,
                                    meaning=meaning)
            order = ranker.order(out, plan, page * limit)
        if explain and meaning is not None:
            from search.semantic.language import by_language
            from search.semantic.query_text import meaning_text
            text = meaning_text(query)
            w = by_language(text, ranking.SEMANTIC_WEIGHT["zh"],
                            ranking.SEMANTIC_WEIGHT["en"]) * _keyword_share(plan)
            out.explain.append(
                f"meaning: the {ranking.SEMANTIC_DEPTH} passages nearest the vector of "
                f"{text!r} joined the word ranking (score = {1 - w:.2f} x words + "
                f"{w:.2f} x meaning, "
                f"each scaled to 0..1); {len(ranker.by_meaning)} shown for their meaning "
                f"alone (similarity >= {ranking.SEMANTIC_CLOSE})")
        if facets:
            out.facets = results.facets(table, ranker.shown)
        highlighter = Highlighter(plan.highlight, plan.fallback_highlight)
        for n, (docnum, score) in enumerate(order[(page - 1) * limit:page * limit],
                                            (page - 1) * limit + 1):
            hit = hit_from_stored(evaluator.stored(docnum), score, highlighter)
            info = table.article(docnum)
            hit.authors = list(info.authors) if info else []
            if group:
                hit.more = max(0, ranker.per_article.get(hit.article_id, 1) - 1)
            hit.by_meaning = docnum in ranker.by_meaning
            out.hits.append(hit)
            if explain:
                parts = sorted(((v[docnum], name) for name, v in evaluator.trace
                                if docnum in v), reverse=True)
                bonus = prox.bonus(fold(hit.text)) if prox else 0.0
                line = (f"#{n} {hit.passage_id} score {score:.3f} = "
                        + " + ".join(f"{name} {v:.2f}" for v, name in parts[:12])
                        + (" + ..." if len(parts) > 12 else "")
                        + (f" + proximity {bonus:.2f}" if bonus else ""))
                out.explain.append(line + _coverage_explain(words, s.stored_fields(docnum),
                                                            n <= ranking.PROXIMITY_DEPTH))
        out.took_ms = (time.perf_counter() - started) * 1000
        return out

    @_reports_damage
    def rank(self, query: str, limit: int = 100, expand: bool = True,
             translate: bool = True, lang=None, semantic: bool = True
             ) -> list[tuple[str, float]]:
        """(passage_id, score) of the top `limit` passages: the ranking of
        `search(every_first=False)` (relevance alone) without snippets or metadata, for
        batch runs and the quality benchmark. A QueryError gives an empty list."""
        from search.query import compile

        gen, s = self._searcher()
        try:
            plan = _builder(gen, s, expand).build(query, expand=expand, translate=translate,
                                                   lang=lang)
        except QueryError:
            return []
        q = compile(plan)
        evaluator = Evaluator(s, gen.cache)
        ranked = []
        semantic = semantic and translate and expand and gen.vectors is not None
        if q is not None:       # with vectors, as many word candidates as Ranker.order's
            depth = max(limit, ranking.SEMANTIC_DEPTH) if semantic else limit
            ranked, _total, _prox = _top(s, evaluator, q, plan.proximity, depth,
                                         _coverage_words(plan), count=False)
        if semantic:        # the cross-language layers go together
            ranked, _ = _with_meaning(gen, plan, evaluator, ranked, query)
        return [(evaluator.pid(d), score) for d, score in ranked[:limit]]

    @_reports_damage
    def article(self, article_id: str) -> Article:
        from search.index.documents import article_from_stored

        gen, s = self._searcher()
        fields = s.document(aid=str(article_id))
        if not fields or "record" not in fields:
            raise ArticleNotFound(str(article_id))
        return article_from_stored(json.loads(fields["record"]),
                                   lambda pid: s.document(pid=pid))

    @_reports_damage
    def passage_article(self, passage_id: str) -> str | None:
        """The id of the article holding passage `passage_id` (None: no such passage), for
        the commands that take a passage id (`defsearch cite`, `related`)."""
        _gen, s = self._searcher()
        fields = s.document(pid=str(passage_id))
        return fields.get("article_id") if fields and fields.get("kind") == "p" else None

    def added_times(self) -> dict[str, str]:
        """When each article's current content entered the index (UTC ISO; "" for an index
        built before the manifest kept it), for the Atom feeds."""
        return {aid: entry.added for entry in self._gen.manifest.files.values()
                for aid in entry.articles}


def _builder(gen, s, expand: bool):
    """The query builder for one generation, with its glossary and this searcher's
    statistics."""
    from search.query import QueryBuilder

    builder = QueryBuilder(gen.schema, gen.glossary if expand else None,
                           doc_count=s.doc_count(), doc_frequency=s.doc_frequency,
                           fields=gen.live_fields(s), prefixed=lambda f, prefix: (
                               t.decode("utf-8") for t in s.reader().expand_prefix(f, prefix)))
    from search.engine.postings import DocIds, Postings

    postings = Postings(s, gen.cache)        # a generation's postings never change
    builder.postings = lambda field, text: DocIds(postings.ids(field, text))  # senses
    return builder


def _coverage_words(plan):
    from search.engine.coverage_rerank import word_terms

    return word_terms(plan)


def _coverage_explain(words, stored: dict, reranked: bool) -> str:
    """The coverage factor of one hit for its explain line ("" when it took no part)."""
    from search.engine import coverage_rerank as coverage

    if not coverage.applies(words) or not ranking.COVERAGE_WEIGHT or not reranked:
        return ""
    got = coverage.held(stored, coverage.lights(words))
    return f", x {coverage.factor(got, len(words)):.2f} (holds {got} of {len(words)} words)"


def _did_you_mean(query: str, plan, s, glossary, lines: list, explain: bool,
                  cache: dict | None = None) -> str:
    """The query with each word the index lacks replaced by its closest index word
    (`search.engine.spelling`; `cache`: the generation's memo of corrections), or ""."""
    from search.engine.spelling import did_you_mean

    fixes = did_you_mean([w.text for w in plan.words], s, glossary, cache)
    for typed, fixed in fixes.items():
        query = query.replace(typed, fixed)
        if explain:
            lines.append(f"did you mean: {typed} -> {fixed} (a word of the index)")
    return query if fixes else ""


def _top(s, evaluator, q, proximity_texts, k: int, words=(), count: bool = True):
    """The k best (docnum, score) of Whoosh query `q` by BM25F, then the proximity and
    coverage reranks (of the query's `words`: `coverage_rerank.word_terms`) of the first
    ranking.PROXIMITY_DEPTH; also the total match count (None when `count` is False: the
    ranking alone, cheaper) and the proximity features."""
    from search.engine import coverage_rerank as coverage, proximity

    ranked, total = evaluator.top(q, max(k, ranking.PROXIMITY_DEPTH), count=count)
    prox = proximity.features(proximity_texts, s.doc_frequency, s.doc_count())
    ranked = proximity.rerank(ranked, prox, lambda d: evaluator.stored(d)["text"])
    ranked = coverage.rerank(ranked, words, evaluator.stored)
    return ranked[:k], total, prox


def _with_meaning(gen, plan, evaluator, ranked, query: str, close_only: bool = False):
    """`ranked` fused with the passages nearest the query's vector (search.semantic.fuse)
    when the generation has vectors; also the docnums found by meaning alone. `close_only`
    (what a user is shown): of those, only the ones at least ranking.SEMANTIC_CLOSE similar
    to the query, so "N more are close in meaning" counts passages that are."""
    if gen.vectors is None or plan.searchable and not plan.has_text:
        return ranked, set()
    from search.semantic.fuse import fuse, nearness
    from search.semantic.query_text import meaning_text

    share = _keyword_share(plan) if ranked else 1.0
    if not share:       # ranked by its words alone: no forward pass
        return ranked, set()
    near = nearness(gen.vectors, meaning_text(query), _allowed(plan, evaluator))
    weight = None
    if near is not None and ranked:
        weight = near.weight * share
    fused, alone = fuse(ranked, near, weight=weight, tie=evaluator.pid)
    if close_only and alone:
        far = {d for d in alone if near.plain[d] < ranking.SEMANTIC_CLOSE}
        fused = [(d, v) for d, v in fused if d not in far]
        alone -= far
    return fused, alone


def _keyword_share(plan) -> float:
    """How much of the meaning weight a query gets by its length in words (jieba's words
    for Chinese, stop words left out): a query of one or two words says exactly what it
    wants and is matched best by them (the domain set lost 戰略模糊, strategic ambiguity
    and Russian to the vectors at full weight), a question or a description gets all of it
    (ranking.SEMANTIC_FULL_FROM words and up; none for two words or fewer). A query with
    a common word (what, is, the, of) is a sentence: all of it, however short ("What is a
    gene?")."""
    if any(w.stop for w in plan.words):
        return 1.0
    n = sum(max(1, len(w.tokens)) for w in plan.words)
    full = ranking.SEMANTIC_FULL_FROM
    return min(1.0, max(0.0, (n - 2) / (full - 2)))


def _allowed(plan, evaluator):
    """The docnums the plan's filters and exclusions let through (None: every passage)."""
    from search.query.whoosh_compile import exclusion_query, filter_query

    fq, xq = filter_query(plan), exclusion_query(plan)
    if fq is None and xq is None:
        return None
    allowed = set(evaluator.docs(fq)) if fq is not None else \
        set(range(evaluator.s.reader().doc_count_all()))
    if xq is not None:
        allowed -= evaluator.docs(xq)
    return allowed


def _page_args(page, limit) -> tuple[int, int]:
    try:
        page, limit = int(page), int(limit)
    except (TypeError, ValueError):
        raise QueryError("page and limit must be whole numbers") from None
    if page < 1:
        raise QueryError(f"page must be 1 or more, not {page}")
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    return page, limit
