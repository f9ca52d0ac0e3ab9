"""One search engine per app, shared by all request threads.

`search.searcher.Engine` is thread-safe and reopens the index by itself when
`defsearch index` swaps in a new generation, so the app keeps a single instance. It is made
on first use, so the app starts (and shows "run `defsearch index`") before an index exists.
"""
from __future__ import annotations

import threading

from flask import Flask, current_app


class EngineHolder:
    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        self._lock = threading.Lock()
        self._engine = None

    def get(self):
        """The Engine; raises IndexNotFound (or IndexOutOfDate) until there is an index."""
        engine = self._engine
        if engine is not None:
            return engine
        with self._lock:
            if self._engine is None:
                from search.searcher import Engine
                self._engine = Engine(self.index_dir)
            return self._engine


def init_app(app: Flask) -> None:
    app.extensions["defsearch_engine"] = EngineHolder(app.config["INDEX_DIR"])


def get_engine():
    return current_app.extensions["defsearch_engine"].get()
