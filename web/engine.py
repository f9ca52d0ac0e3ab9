"""One search engine per app, shared by all request threads, plus a small result cache.

`search.engine.engine.Engine` is thread-safe and reopens the index when `defsearch index` swaps
in a new generation, so the app keeps a single instance, made on first use (the app starts,
and says "run `defsearch index`", before an index exists).

Paging back and forth, reloading and shared links repeat the same searches, so the last
SEARCH_CACHE_SIZE results are kept, keyed by the index generation: a new index never serves
old results. The search page keeps its rendered HTML the same way (`page`/`keep_page`,
keyed by generation, URL and display script), so a repeated search costs neither the
engine nor the template. SEARCH_CACHE_SIZE = 0 turns both off.
"""
from __future__ import annotations

import dataclasses
import threading
import time
from collections import OrderedDict

from flask import Flask, current_app


class EngineHolder:
    def __init__(self, index_dir: str, cache_size: int = 512, backend=None):
        self.index_dir = index_dir
        self.backend = backend      # a search.backends.BackendConfig; None: from the environment
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self._engine = None
        self._cache: OrderedDict = OrderedDict()
        self._pages: OrderedDict = OrderedDict()

    def get(self):
        """The Engine; raises IndexNotFound (or IndexOutOfDate) until there is an index."""
        engine = self._engine
        if engine is not None:
            return engine
        with self._lock:
            if self._engine is None:
                from search.backends import open_engine
                self._engine = open_engine(self.index_dir, self.backend)
            return self._engine

    def _generation(self) -> str:
        """The live generation's name (Engine.live_generation checks for a new one at most
        once a second), the key of both caches."""
        return self.get().live_generation()

    def _lookup(self, cache: OrderedDict, key):
        with self._lock:
            found = cache.get(key)
            if found is not None:
                cache.move_to_end(key)
        return found

    def _keep(self, cache: OrderedDict, key, value) -> None:
        with self._lock:
            cache[key] = value
            while len(cache) > self.cache_size:
                cache.popitem(last=False)

    def search(self, query: str, **options):
        """`Engine.search(query, **options)`, from the cache when the same search ran on
        the same index generation; `took_ms` is always this call's own time."""
        started = time.perf_counter()
        if not self.cache_size:
            return self.get().search(query, **options)
        engine = self.get()
        key = (self._generation(), query, tuple(sorted(options.items())))
        cached = self._lookup(self._cache, key)
        if cached is not None:
            return dataclasses.replace(
                cached, took_ms=(time.perf_counter() - started) * 1000)
        results = engine.search(query, **options)
        self._keep(self._cache, key, results)
        return results

    def page_key(self, *parts):
        """A key for a rendered page of the live generation, or None when caching is off."""
        if not self.cache_size:
            return None
        return (self._generation(),) + parts

    def page(self, key):
        return self._lookup(self._pages, key) if key is not None else None

    def keep_page(self, key, html: str) -> None:
        if key is not None:
            self._keep(self._pages, key, html)


def init_app(app: Flask) -> None:
    app.extensions["defsearch_engine"] = EngineHolder(
        app.config["INDEX_DIR"], app.config["SEARCH_CACHE_SIZE"], app.config.get("BACKEND"))


def holder() -> EngineHolder:
    return current_app.extensions["defsearch_engine"]


def get_engine():
    return holder().get()
