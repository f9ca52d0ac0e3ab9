"""`Engine(index_dir)`: search the passage index and read article records.

One Engine serves many threads (a multi-threaded WSGI server): each thread gets its own
Whoosh searcher, opened on the generation named by `CURRENT` at the time. After
`defsearch index` swaps in a new generation, `refresh()` (also run automatically at most
once a second by `search`) opens it; searches already running finish on the old one, whose
files stay on disk until the next update. A generation's name never repeats, so a changed
name in CURRENT is always a new index (even one rebuilt after `rm -rf index`).

Opening a generation checks its files against their checksums (cheaply: see
`search.manifest.verify_generation`); an unexpected error while reading one checks them in
full, so damage is reported as IndexDamaged naming the file, not as a Whoosh traceback.
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
from search.errors import ArticleNotFound, DefsearchError, IndexDamaged, QueryError
from search.manifest import (check_compatible, current_generation, read_current,
                             read_manifest, verify_generation)
from search.model import Article, Footnote, Hit, NoteRef, Passage, SearchResults

MAX_LIMIT = 1000
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
        verify_generation(gen_dir)
        self.manifest = read_manifest(gen_dir)
        check_compatible(self.manifest)
        try:
            self.ix = index.open_dir(str(gen_dir))
        except Exception as err:    # noqa: BLE001 - a generation without checksums, damaged
            raise IndexDamaged(gen_dir.parent, f"{gen_dir.name}: Whoosh cannot open it "
                                               f"({type(err).__name__})") from err
        self.schema = self.ix.schema
        self.glossary = _load_glossary(gen_dir)
        self.cache: dict = {}        # Evaluator: length norms and filter doc sets
        self._live = None

    def live_fields(self, searcher) -> set:
        if self._live is None:
            self._live = {f for f in self.schema.scorable_names()
                          if searcher.field_length(f) > 0}
        return self._live


def _load_glossary(gen_dir: Path):
    try:
        from search.glossary import Glossary
    except ImportError:
        return None
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

    def _searcher(self):
        if time.monotonic() - self._checked > REFRESH_EVERY:
            try:
                self.refresh()
            except Exception:       # a half-visible update: keep serving what we have
                pass
        gen = self._gen
        local = self._local
        if getattr(local, "gen", None) is not gen:
            old = getattr(local, "searcher", None)
            if old is not None:
                try:
                    old.close()
                except Exception:
                    pass
            local.searcher = gen.ix.searcher(weighting=ranking.weighting())
            local.gen = gen
        return gen, local.searcher

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None
            self._local.gen = None

    # -- API ------------------------------------------------------------------------------

    def stats(self) -> IndexStats:
        m = self._gen.manifest
        return IndexStats(generation=self._gen.name, passages=m.passages, articles=m.articles,
                          files=len(m.files), built=m.built, lexicon=len(m.lexicon),
                          path=str(self.index_dir))

    @_reports_damage
    def search(self, query: str, page: int = 1, limit: int = 10, lang=None, article=None,
               year_from=None, year_to=None, venue=None, expand: bool = True,
               explain: bool = False, translate: bool = True) -> SearchResults:
        from search.query import compile
        from search.snippets import Highlighter

        started = time.perf_counter()
        page, limit = _page_args(page, limit)
        gen, s = self._searcher()
        plan = _builder(gen, s, expand).build(query, lang=lang, article=article,
                                               year_from=year_from, year_to=year_to,
                                               venue=venue, expand=expand,
                                               translate=translate)
        q = compile(plan)
        out = SearchResults(query=query, total=0, page=page, limit=limit,
                            expansions=plan.expansions,
                            translations=plan.translation_labels)
        if explain:
            out.explain = plan.explain + ([f"whoosh query: {q}"] if q is not None else [])
        translated = [fold(t) for t in plan.translated]    # found in the other language
        out.unmatched = [w.text for w in plan.words if (not w.tokens or not any(
            s.doc_frequency(f, t) for t in w.tokens for f in ("body", "title", "grams")))
            and not any(fold(w.text) in t for t in translated)]
        if q is None:
            out.took_ms = (time.perf_counter() - started) * 1000
            return out
        evaluator = Evaluator(s, gen.cache, trace=explain)
        ranked, out.total, prox = _top(s, evaluator, q, plan.proximity, page * limit)
        highlighter = Highlighter(plan.highlight, plan.fallback_highlight)
        best = ranked[(page - 1) * limit:]
        for n, (docnum, score) in enumerate(best, (page - 1) * limit + 1):
            out.hits.append(_hit(s.stored_fields(docnum), score, highlighter))
            if explain:
                parts = sorted(((v[docnum], name) for name, v in evaluator.trace
                                if docnum in v), reverse=True)
                bonus = prox.bonus(fold(out.hits[-1].text)) if prox else 0.0
                out.explain.append(f"#{n} {out.hits[-1].passage_id} score {score:.3f} = "
                                   + " + ".join(f"{name} {v:.2f}" for v, name in parts[:12])
                                   + (" + ..." if len(parts) > 12 else "")
                                   + (f" + proximity {bonus:.2f}" if bonus else ""))
        out.took_ms = (time.perf_counter() - started) * 1000
        return out

    @_reports_damage
    def rank(self, query: str, limit: int = 100, expand: bool = True,
             translate: bool = True) -> list[tuple[str, float]]:
        """(passage_id, score) of the top `limit` passages: the ranking of `search` without
        snippets or metadata, for batch runs. A QueryError gives an empty list."""
        from search.query import compile

        gen, s = self._searcher()
        try:
            plan = _builder(gen, s, expand).build(query, expand=expand, translate=translate)
        except QueryError:
            return []
        q = compile(plan)
        if q is None:
            return []
        ranked, _total, _prox = _top(s, Evaluator(s, gen.cache), q, plan.proximity, limit)
        return [(s.stored_fields(d)["pid"], score) for d, score in ranked]

    @_reports_damage
    def article(self, article_id: str) -> Article:
        gen, s = self._searcher()
        fields = s.document(aid=str(article_id))
        if not fields or "record" not in fields:
            raise ArticleNotFound(str(article_id))
        data = json.loads(fields["record"])
        passages = []
        for pid in data.pop("passages", []):
            stored = s.document(pid=pid)
            if stored is None:
                continue
            meta = json.loads(stored["meta"])
            passages.append(Passage(
                id=pid, article_id=stored["article_id"], ordinal=meta.get("ordinal", 0),
                text=stored["text"], section=list(meta.get("section") or []),
                lang=stored.get("lang", ""),
                notes=[NoteRef(label, offset) for label, offset in meta.get("notes", [])]))
        footnotes = [Footnote(**f) for f in data.pop("footnotes", [])]
        known = {k: v for k, v in data.items() if k in Article.__dataclass_fields__}
        return Article(passages=passages, footnotes=footnotes, **known)


def _builder(gen, s, expand: bool):
    """The query builder for one generation, with its glossary and this searcher's
    statistics."""
    from search.query import QueryBuilder

    return QueryBuilder(gen.schema, gen.glossary if expand else None,
                        doc_count=s.doc_count(), doc_frequency=s.doc_frequency,
                        fields=gen.live_fields(s))


def _top(s, evaluator, q, proximity_texts, k: int):
    """The k best (docnum, score) of Whoosh query `q` by BM25F, then the proximity rerank
    of the first ranking.PROXIMITY_DEPTH; also the total match count and the proximity
    features."""
    from search import proximity

    ranked, total = evaluator.top(q, max(k, ranking.PROXIMITY_DEPTH))
    prox = proximity.features(proximity_texts, s.doc_frequency, s.doc_count_all())
    ranked = proximity.rerank(ranked, prox, lambda d: s.stored_fields(d)["text"])
    return ranked[:k], total, prox


def _txt(t):
    return t.decode("utf-8", "replace") if isinstance(t, bytes) else str(t)


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


def _hit(hit: dict, score, highlighter) -> Hit:
    from search.snippets import snippet_window, to_html

    text = hit["text"]
    meta = json.loads(hit["meta"])
    spans = highlighter.spans(text)
    window = snippet_window(text, spans)
    return Hit(
        passage_id=hit["pid"], article_id=hit["article_id"], title=meta.get("title", ""),
        section=" › ".join(meta.get("section") or []), date=meta.get("date", ""),
        score=round(float(score), 4), text=text, snippet=to_html(text, window),
        footnotes=[Footnote(label, body, list(urls)) for label, body, urls in
                   meta.get("footnotes", [])],
        lang=hit.get("lang", ""), ordinal=meta.get("ordinal", 0),
        notes=[NoteRef(label, offset) for label, offset in meta.get("notes", [])],
        highlights=spans, venue=meta.get("venue", ""), window=window)


# -- evaluation -------------------------------------------------------------------------

class Evaluator:
    """Scores a whoosh.query tree term-at-a-time into {docnum: score}.

    Why not Whoosh's own matchers: a question query becomes an Or of ~100 term leaves (each
    word in five fields plus grams), and Whoosh walks them document-at-a-time through a tree
    of Python UnionMatchers, ~150 ms per question on 8.5k passages. Reading each leaf's
    posting blocks whole and adding BM25F contributions into one dict computes the same sums
    (an Or's score is the sum of its children's, a boost multiplies) at a fraction of the cost.
    Shapes other than Term/Or/And/AndMaybe/AndNot/ConstantScoreQuery (phrases, prefixes,
    ranges) are run by Whoosh itself, so every query keeps Whoosh's semantics.
    """

    def __init__(self, searcher, cache: dict, trace: bool = False):
        self.s = searcher
        self.cache = cache               # per generation: length norms, filter doc sets
        self.leaves = searcher.leaf_searchers()
        self.trace = [] if trace else None

    def run(self, q) -> dict:
        from whoosh import query as wq

        kind = type(q)
        if kind is wq.Term:
            return self.term(q.fieldname, q.text, q.boost)
        if kind is wq.Or:
            acc: dict = {}
            for sub in q.subqueries:
                part = self.run(sub)
                if len(part) > len(acc):
                    acc, part = part, acc
                get = acc.get
                for d, v in part.items():
                    acc[d] = get(d, 0.0) + v
            return _scaled(acc, q.boost)
        if kind is wq.And:
            parts = sorted((self.run(sub) for sub in q.subqueries), key=len)
            acc = dict(parts[0])
            for part in parts[1:]:
                acc = {d: v + part[d] for d, v in acc.items() if d in part}
            return _scaled(acc, q.boost)
        if kind is wq.AndMaybe:
            acc = self.run(q.a)
            if acc:
                extra = self.run(q.b)
                for d, v in extra.items():
                    if d in acc:
                        acc[d] += v
            return acc
        if kind is wq.AndNot:
            acc = self.run(q.a)
            if acc:
                for d in self.docs(q.b):
                    acc.pop(d, None)
            return acc
        if kind is wq.ConstantScoreQuery:
            return dict.fromkeys(self.docs(q.child), q.score)
        results = self.s.search(q, limit=None, optimize=False)
        acc = {d: float(sc) for sc, d in results.top_n}
        if self.trace is not None:
            self.trace.append((str(q), dict(acc)))
        return acc

    # -- top k with MaxScore pruning --------------------------------------------------------

    def top(self, q, k: int) -> tuple[list[tuple[int, float]], int]:
        """The k best (docnum, score) and the number of matching documents.

        A query that is a sum of weighted terms (plain words: an Or tree of Terms) is scored
        MaxScore-style: terms in decreasing order of their highest possible contribution;
        once the k-th best score so far beats everything the remaining terms could add, no
        new document can enter the top k, so the remaining (common, long) terms are only
        looked up for the few candidates still in reach (skipping posting blocks), and read
        for their document ids alone to keep the total exact. Same scores as `run`.
        """
        leaves = _flatten(q) if self.trace is None else None
        if not leaves or k <= 0:
            acc = self.run(q)
            return top(acc, k), len(acc)
        return self._maxscore(leaves, k)

    def _leaf_info(self, field, text, weight):
        s = self.s
        if field not in s.schema or not s.schema[field].scorable:
            return None
        df = s.doc_frequency(field, text)
        if not df:
            return None
        k1, _b, _power = ranking.term_params(text)
        factor = s.idf(field, text) * (k1 + 1) * weight
        return factor, df, field, text, weight

    def _maxscore(self, leaves, k):
        import heapq

        infos = [i for i in (self._leaf_info(*leaf) for leaf in leaves) if i]
        infos.sort(key=lambda i: -i[0])
        remaining = [0.0] * (len(infos) + 1)
        for n in range(len(infos) - 1, -1, -1):
            remaining[n] = remaining[n + 1] + infos[n][0]
        acc: dict = {}
        candidates = None
        theta = 0.0
        extra_ids: dict = {}         # docs of pruned terms, for the total: offset -> set
        for n, (factor, df, field, text, weight) in enumerate(infos):
            if candidates is None and len(acc) >= k and df > PRUNE_MIN_DF:
                theta = heapq.nlargest(k, acc.values())[-1]
                if theta >= remaining[n]:
                    candidates = sorted(d for d, v in acc.items() if v + remaining[n] >= theta)
            if candidates is None:
                for d, v in self.term(field, text, weight).items():
                    acc[d] = acc.get(d, 0.0) + v
            else:
                self._lookup(field, text, weight, candidates, acc, extra_ids)
                candidates = [d for d in candidates if acc[d] + remaining[n + 1] >= theta]
        total = len(acc)
        if extra_ids:
            for offset, ids in extra_ids.items():
                size = self._segment_size(offset)
                total += len(ids - {d - offset for d in acc if offset <= d < offset + size})
        if candidates is not None:
            acc = {d: acc[d] for d in candidates} if len(candidates) >= k else acc
        return top(acc, k), total

    def _segment_size(self, offset):
        for sub, off in self.leaves:
            if off == offset:
                return sub.reader().doc_count_all()
        return 0

    def _lookup(self, field, text, weight, candidates, acc, extra_ids):
        """Add one term's contribution to `candidates` (sorted global docnums); collect the
        ids of every document it matches into `extra_ids` for the total.

        The term's ids are read whole anyway (for the total). When the candidates are many
        next to the term's postings (two common words), its weights are read in the same
        pass and the candidates picked out of each block; when they are few, the matcher
        skips to each of them instead.
        """
        from whoosh.codec.whoosh3 import W3LeafMatcher

        s = self.s
        k1, b, _power = ranking.term_params(text)
        factor = s.idf(field, text) * (k1 + 1) * weight
        avgfl = s.avg_field_length(field) or 1
        for sub, offset in self.leaves:
            reader = sub.reader()
            size = reader.doc_count_all()
            local = [d - offset for d in candidates if offset <= d < offset + size]
            m, deleted = _postings(reader, field, text)
            if m is None:
                continue
            ids = extra_ids.setdefault(offset, set())
            norms = self._norms(reader, offset, field, k1, b, avgfl) if local else None
            dense = isinstance(m, W3LeafMatcher) and \
                len(local) * DENSE_LOOKUP > reader.doc_frequency(field, text)
            if dense:
                wanted = set(local) - set(deleted) if deleted else set(local)
                for _ in _blocks(m):
                    ids.update(m._ids)
                    if not wanted.isdisjoint(m._ids):
                        m._read_weights()
                        for d, w in zip(m._ids, m._weights):
                            if d in wanted:
                                acc[d + offset] += factor * w / (w + norms[d])
                if deleted:
                    ids.difference_update(deleted)
                continue
            if isinstance(m, W3LeafMatcher):
                m2, _deleted = _postings(reader, field, text)
                for _ in _blocks(m2):
                    ids.update(m2._ids)
            else:
                ids.update(m.all_ids())
                m, _deleted = _postings(reader, field, text)
            if deleted:
                ids.difference_update(deleted)
            for d in local:
                if not m.is_active():
                    break
                m.skip_to(d)
                if m.is_active() and m.id() == d and d not in deleted:
                    w = m.weight()
                    acc[d + offset] += factor * w / (w + norms[d])

    def docs(self, q) -> frozenset:
        key = ("docs", repr(q))
        found = self.cache.get(key)
        if found is None:
            found = frozenset(self.s.docs_for_query(q))
            if len(self.cache) < 512:
                self.cache[key] = found
        return found

    def _norms(self, reader, offset, field, k1, b, avgfl):
        key = ("norm", offset, field, k1, b)
        norms = self.cache.get(key)
        if norms is None:
            length = reader.doc_field_length
            norms = [k1 * ((1 - b) + b * (length(d, field) or 0) / avgfl)
                     for d in range(reader.doc_count_all())]
            self.cache[key] = norms
        return norms

    def term(self, field, text, boost=1.0) -> dict:
        from whoosh.codec.whoosh3 import W3LeafMatcher

        s = self.s
        acc: dict = {}
        if field not in s.schema:
            return acc
        scorable = s.schema[field].scorable
        if scorable:
            k1, b, _power = ranking.term_params(text)
            idf = s.idf(field, text)        # ranking.ScriptBM25F.idf: per-script power
            avgfl = s.avg_field_length(field) or 1
            factor = idf * (k1 + 1) * boost
        for sub, offset in self.leaves:
            reader = sub.reader()
            m, deleted = _postings(reader, field, text)
            if m is None:
                continue
            if not scorable:
                while m.is_active():
                    acc[m.id() + offset] = 0.0
                    m.next()
            else:
                norms = self._norms(reader, offset, field, k1, b, avgfl)
                if isinstance(m, W3LeafMatcher):
                    for _ in _blocks(m):
                        m._read_weights()
                        for d, w in zip(m._ids, m._weights):
                            acc[d + offset] = factor * w / (w + norms[d])
                else:
                    while m.is_active():
                        d, w = m.id(), m.weight()
                        acc[d + offset] = factor * w / (w + norms[d])
                        m.next()
            if deleted:
                _drop_deleted(acc, deleted, offset, reader.doc_count_all())
        if self.trace is not None:
            self.trace.append((f"{field}:{text}" + (f"^{boost:g}" if boost != 1 else ""),
                               dict(acc)))
        return acc


def _drop_deleted(acc: dict, deleted, offset: int, size: int) -> None:
    """Remove one segment's deleted documents from `acc`, walking the smaller side."""
    if len(deleted) <= len(acc):
        for d in deleted:
            acc.pop(d + offset, None)
    else:
        for key in [k for k in acc if offset <= k < offset + size and k - offset in deleted]:
            del acc[key]


PRUNE_MIN_DF = 512    # shorter posting lists are cheaper to read than to prune
DENSE_LOOKUP = 8      # a pruned term is scanned, not skipped through, when it has fewer than
                      # this many postings per candidate (a skip costs ~8 scanned postings)


def _flatten(q, weight: float = 1.0):
    """[(field, text, weight)] when `q` is an Or tree of Terms (a sum of weighted terms),
    else None."""
    from whoosh import query as wq

    kind = type(q)
    if kind is wq.Term:
        return [(q.fieldname, q.text, weight * q.boost)]
    if kind is wq.Or and q.scale is None:
        out = []
        for sub in q.subqueries:
            part = _flatten(sub, weight * q.boost)
            if part is None:
                return None
            out.extend(part)
        merged: dict = {}
        for field, text, w in out:
            merged[(field, text)] = merged.get((field, text), 0.0) + w
        return [(f, t, w) for (f, t), w in merged.items()]
    return None


def _blocks(m):
    """Walk a W3 leaf matcher a posting block at a time, the block's ids read (`m._ids`;
    `m._read_weights()` adds `m._weights`)."""
    while not m._atend:
        m._read_ids()
        yield m
        if m._lastblock:
            break
        m._goto(m._nextoffset)


def _postings(reader, field, text):
    """A term's leaf matcher in one segment and the deleted doc ids it would have filtered
    out (read unfiltered for speed; callers drop them), or (None, ()) if absent."""
    from whoosh.matching.wrappers import FilterMatcher
    from whoosh.reading import TermNotFound

    try:
        m = reader.postings(field, text)
    except TermNotFound:
        return None, ()
    if isinstance(m, FilterMatcher):
        return m.child, m._ids
    return m, ()


def _scaled(acc: dict, boost: float) -> dict:
    if boost != 1.0:
        for d in acc:
            acc[d] *= boost
    return acc


def top(acc: dict, n: int) -> list[tuple[int, float]]:
    """The n best (docnum, score), ties broken by index order (stable across runs)."""
    import heapq
    return heapq.nsmallest(n, acc.items(), key=lambda kv: (-kv[1], kv[0]))
