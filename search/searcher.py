"""`Engine(index_dir)`: search the passage index and read article records.

One Engine serves many threads (a multi-threaded WSGI server): each thread gets its own
Whoosh searcher, opened on the generation named by `CURRENT` at the time. After
`defsearch index` swaps in a new generation, `refresh()` (also run automatically at most
once a second by `search`) opens it; searches already running finish on the old one, whose
files stay on disk until the next update.
"""
from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from search import ranking
from search.errors import ArticleNotFound, QueryError
from search.manifest import CURRENT, check_compatible, current_generation, read_manifest
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
        self.manifest = read_manifest(gen_dir)
        check_compatible(self.manifest)
        self.ix = index.open_dir(str(gen_dir))
        self.schema = self.ix.schema
        self.glossary = _load_glossary(gen_dir)


def _load_glossary(gen_dir: Path):
    try:
        from search.glossary import Glossary
    except ImportError:
        return None
    try:
        return Glossary.load(gen_dir)
    except Exception:       # no glossary saved (or an old one): search without expansion
        return None


class Engine:
    def __init__(self, index_dir="index"):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._gen = _Generation(current_generation(self.index_dir))
        self._checked = time.monotonic()
        self._pointer_mtime = self._mtime()

    # -- generations ----------------------------------------------------------------------

    def _mtime(self):
        try:
            return os.stat(self.index_dir / CURRENT).st_mtime_ns
        except OSError:
            return None

    def refresh(self) -> bool:
        """Open the live generation if `defsearch index` swapped in a new one."""
        with self._lock:
            self._checked = time.monotonic()
            mtime = self._mtime()
            if mtime == self._pointer_mtime:
                return False
            gen_dir = current_generation(self.index_dir)
            self._pointer_mtime = mtime
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

    def search(self, query: str, page: int = 1, limit: int = 10, lang=None, article=None,
               year_from=None, year_to=None, expand: bool = True,
               explain: bool = False) -> SearchResults:
        from search.query import QueryBuilder
        from search.snippets import Highlighter, render

        started = time.perf_counter()
        page, limit = _page_args(page, limit)
        gen, s = self._searcher()
        builder = QueryBuilder(gen.schema, gen.glossary if expand else None,
                               doc_count=s.doc_count(), doc_frequency=s.doc_frequency)
        parsed = builder.build(query, lang=lang, article=article, year_from=year_from,
                               year_to=year_to, expand=expand)
        out = SearchResults(query=query, total=0, page=page, limit=limit,
                            expansions=parsed.expansions)
        if explain:
            out.explain = list(parsed.explain)
        out.unmatched = [w for w, toks in parsed.words if not toks or not any(
            s.doc_frequency(f, t) for t in toks for f in ("body", "title", "grams"))]
        if parsed.query is None:
            out.took_ms = (time.perf_counter() - started) * 1000
            return out
        results = s.search(parsed.query, limit=page * limit, terms=explain)
        out.total = len(results)
        highlighter = Highlighter(parsed.highlight)
        for n in range((page - 1) * limit, min(results.scored_length(), page * limit)):
            hit = results[n]
            out.hits.append(_hit(hit, results.score(n), highlighter, render))
            if explain:
                terms = sorted({f"{f}:{_txt(t)}" for f, t in hit.matched_terms()})
                out.explain.append(f"#{n + 1} {out.hits[-1].passage_id} score "
                                   f"{out.hits[-1].score:.3f}: {' '.join(terms)}")
        out.took_ms = (time.perf_counter() - started) * 1000
        return out

    def rank(self, query: str, limit: int = 100, expand: bool = True) -> list[tuple[str, float]]:
        """(passage_id, score) of the top `limit` passages: the ranking of `search` without
        snippets or metadata, for batch runs. A QueryError gives an empty list."""
        from search.query import QueryBuilder

        gen, s = self._searcher()
        builder = QueryBuilder(gen.schema, gen.glossary if expand else None,
                               doc_count=s.doc_count(), doc_frequency=s.doc_frequency)
        try:
            parsed = builder.build(query, expand=expand)
        except QueryError:
            return []
        if parsed.query is None:
            return []
        results = s.search(parsed.query, limit=limit)
        return [(results[n]["pid"], float(results.score(n)))
                for n in range(results.scored_length())]

    def article(self, article_id: str) -> Article:
        gen, s = self._searcher()
        fields = s.document(aid=str(article_id))
        if not fields or "record" not in fields:
            raise ArticleNotFound(str(article_id))
        return article_from_json(fields["record"])


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


def _hit(hit, score, highlighter, render) -> Hit:
    text = hit["text"]
    meta = json.loads(hit["meta"])
    spans = highlighter.spans(text)
    return Hit(
        passage_id=hit["pid"], article_id=hit["article_id"], title=meta.get("title", ""),
        section=" › ".join(meta.get("section") or []), date=meta.get("date", ""),
        score=round(float(score), 4), text=text, snippet=render(text, spans),
        footnotes=[Footnote(label, body, list(urls)) for label, body, urls in
                   meta.get("footnotes", [])],
        lang=hit.get("lang", ""), ordinal=meta.get("ordinal", 0),
        notes=[NoteRef(label, offset) for label, offset in meta.get("notes", [])],
        highlights=spans)


def article_from_json(text: str) -> Article:
    data = json.loads(text)
    passages = [Passage(**{**p, "notes": [NoteRef(**n) for n in p.get("notes", [])]})
                for p in data.pop("passages", [])]
    footnotes = [Footnote(**f) for f in data.pop("footnotes", [])]
    known = {k: v for k, v in data.items() if k in Article.__dataclass_fields__}
    return Article(passages=passages, footnotes=footnotes, **known)
