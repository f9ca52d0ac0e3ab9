"""One search engine per app, shared by all request threads.

`Engine` is thread-safe, so the app keeps a single instance, made on first use (so the app
starts even before an index exists) and replaced when the index directory changes, e.g.
after `defsearch index` rebuilt it while the server was running.
"""
from __future__ import annotations

import os
import threading
import time

from flask import Flask, current_app

from search.errors import IndexNotFound


def _index_signature(index_dir: str):
    """Changes when the index is rewritten: the live generation named in CURRENT (see
    search.manifest) or, failing that, the names, sizes and mtimes of the files."""
    current = os.path.join(index_dir, "CURRENT")
    try:
        with open(current, encoding="utf-8") as fh:
            return ("CURRENT", fh.read().strip(), os.fstat(fh.fileno()).st_mtime_ns)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        pass
    try:
        entries = sorted(os.scandir(index_dir), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return None
    sig = []
    for entry in entries:
        try:
            st = entry.stat()
        except FileNotFoundError:      # a file removed while we looked: the index is changing
            continue
        sig.append((entry.name, st.st_size, st.st_mtime_ns))
    return tuple(sig)


class EngineHolder:
    def __init__(self, index_dir: str, check_seconds: float = 1.0):
        self.index_dir = index_dir
        self.check_seconds = check_seconds
        self._lock = threading.Lock()
        self._engine = None
        self._signature = None
        self._checked = 0.0

    def get(self):
        """The current Engine; raises IndexNotFound when there is no index."""
        engine = self._engine
        if engine is not None and time.monotonic() - self._checked < self.check_seconds:
            return engine
        with self._lock:
            now = time.monotonic()
            if self._engine is not None and now - self._checked < self.check_seconds:
                return self._engine
            signature = _index_signature(self.index_dir)
            if signature is None:
                raise IndexNotFound(self.index_dir)
            if self._engine is None or signature != self._signature:
                from search.searcher import Engine
                self._engine = Engine(self.index_dir)
                self._signature = signature
            self._checked = now
            return self._engine


def init_app(app: Flask) -> None:
    app.extensions["defsearch_engine"] = EngineHolder(
        app.config["INDEX_DIR"], app.config["INDEX_CHECK_SECONDS"])


def get_engine():
    return current_app.extensions["defsearch_engine"].get()
