"""One search engine per app, shared by all request threads, plus a small result cache.

`search.searcher.Engine` is thread-safe and reopens the index when `defsearch index` swaps
in a new generation, so the app keeps a single instance, made on first use (the app starts,
and says "run `defsearch index`", before an index exists).

Paging back and forth, reloading and shared links repeat the same searches, so the last
SEARCH_CACHE_SIZE results are kept, keyed by the index generation: a new index never serves
old results. SEARCH_CACHE_SIZE = 0 turns the cache off.
"""
from __future__ import annotations

import dataclasses
import threading
import time
from collections import OrderedDict

from flask import Flask, current_app

REFRESH_EVERY = 1.0     # seconds between checks for a new index generation


class EngineHolder:
    def __init__(self, index_dir: str, cache_size: int = 512):
        self.index_dir = index_dir
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self._engine = None
        self._cache: OrderedDict = OrderedDict()
        self._refreshed = 0.0

    def get(self):
        """The Engine; raises IndexNotFound (or IndexOutOfDate) until there is an index."""
        engine = self._engine
        if engine is not None:
            return engine
        with self._lock:
            if self._engine is None:
                from search.searcher import Engine
                self._engine = Engine(self.index_dir)
                self._refreshed = time.monotonic()
            return self._engine

    def search(self, query: str, **options):
        """`Engine.search(query, **options)`, from the cache when the same search ran on
        the same index generation; `took_ms` is always this call's own time."""
        started = time.perf_counter()
        engine = self.get()
        if not self.cache_size:
            return engine.search(query, **options)
        if time.monotonic() - self._refreshed > REFRESH_EVERY:
            self._refreshed = time.monotonic()
            try:
                engine.refresh()
            except Exception:       # a half-written update: keep serving what we have
                pass
        key = (engine.stats().generation, query, tuple(sorted(options.items())))
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is not None:
            return dataclasses.replace(
                cached, took_ms=(time.perf_counter() - started) * 1000)
        results = engine.search(query, **options)
        with self._lock:
            self._cache[key] = results
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return results


def init_app(app: Flask) -> None:
    app.extensions["defsearch_engine"] = EngineHolder(
        app.config["INDEX_DIR"], app.config["SEARCH_CACHE_SIZE"])


def holder() -> EngineHolder:
    return current_app.extensions["defsearch_engine"]


def get_engine():
    return holder().get()
