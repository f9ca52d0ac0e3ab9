"""Keep the index up to date with a corpus folder while it changes (`defsearch watch`,
`defsearch serve --watch`).

The loop: file events (`feed.ChangeFeed`) mark paths dirty; once no event has come for
`quiet` seconds and every dirty file's size and mtime have stopped moving (a large copy or
a download still being written is not read half-done), one `update_index` run takes in
everything that changed, so a burst of 200 files is a few updates, not 200. Events keep
arriving during an update and start the next one: nothing is lost, since each update
compares the whole corpus with the index anyway.

What can go wrong is reported once and retried, never fatal: a bad file (the update skips
it and reports it; the watcher prints each problem once), the corpus folder deleted (the
index keeps its last generation; the feed is re-armed when the folder is back), a full
disk, a permission error or another `defsearch index` holding the lock (retried every
`retry` seconds, the message printed once).
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from search.errors import DefsearchError
from search.watch.feed import ChangeFeed

TICK = 0.05          # seconds between looks at the feed


@dataclass
class Logger:
    """Where the watcher's lines go: `info` one line per change, `problem` a `defsearch:`
    line (stderr in the CLI)."""
    info: Callable[[str], None]
    problem: Callable[[str], None]


class Watcher:
    def __init__(self, corpus, index_dir, log: Logger, polling: bool = False,
                 quiet: float = 0.3, interval: float = 0.5, retry: float = 5.0):
        self.corpus = Path(corpus)
        self.index_dir = Path(index_dir)
        self.log = log
        self.polling = polling
        self.quiet = quiet
        self.interval = interval
        self.retry = retry
        self.updates = 0                 # update_index runs that changed the index
        self.updating = False            # an update_index run is under way
        self.stopped = threading.Event()
        self._feed: ChangeFeed | None = None
        self._dirty: dict[Path, tuple | None] = {}
        self._pending = True             # run an update (at start: catch up)
        self._reported: set[str] = set()
        self._last_error = ""
        self._retry_at = 0.0
        self._corpus_id = None
        self._gone = False
        self._caught_up = False          # the first update (at start) has been reported

    # -- the loop ------------------------------------------------------------------------

    def run(self) -> None:
        """Watch until `stop()` (or KeyboardInterrupt)."""
        try:
            self._arm()
            while not self.stopped.is_set():
                self._look()
                if self._ready():
                    self._update()
                self.stopped.wait(TICK)
        finally:
            self._disarm()

    def stop(self) -> None:
        self.stopped.set()

    def _arm(self) -> None:
        self._disarm()
        if not self.corpus.is_dir():
            return
        self._feed = ChangeFeed(self.corpus, self.polling, self.interval)
        kind = self._feed.start()
        self._corpus_id = _identity(self.corpus)
        self.log.info(f"watching {self.corpus} ({kind}) for the index at {self.index_dir}")

    def _disarm(self) -> None:
        if self._feed is not None:
            self._feed.stop()
            self._feed = None

    def _look(self) -> None:
        """Take the feed's new paths; notice the corpus folder going and coming back."""
        identity = _identity(self.corpus)
        if identity is None:
            if not self._gone:
                self._gone = True
                self._disarm()
                self.log.problem(f"corpus {self.corpus} is gone: the index keeps its last "
                                 "generation; waiting for the folder to come back")
            return
        if self._gone or identity != self._corpus_id:
            if self._gone:
                self.log.info(f"corpus {self.corpus} is back")
            self._gone = False
            self._arm()            # a new folder (deleted and made again): watch it afresh
            self._pending = True
            return
        for path in self._feed.take():
            self._dirty[path] = None

    def _ready(self) -> bool:
        """Changes pending, no event for `quiet` seconds, every dirty file's size and mtime
        unchanged since the last look and older than `quiet`; and no retry wait."""
        now = time.monotonic()
        if self._gone or now < self._retry_at or not (self._dirty or self._pending):
            return False
        quiet = max(self.quiet, self._feed.quiet_needed if self._feed else 0.0)
        if self._feed is not None and now - self._feed.last_event < quiet:
            return False
        stable = True
        wall = time.time()
        for path, seen in list(self._dirty.items()):
            state = _state(path)
            if state != seen or (state and 0 <= wall - state[1] / 1e9 < quiet):
                self._dirty[path] = state
                stable = False
        return stable

    # -- one update ----------------------------------------------------------------------

    def _update(self) -> None:
        from search.index.update import update_index

        changed = sorted(self._dirty)
        self._dirty.clear()
        self._pending = False
        started = time.perf_counter()
        self.updating = True
        try:
            report = update_index(self.corpus, self.index_dir)
        except DefsearchError as err:
            self._failed(str(err), changed)
            return
        except OSError as err:            # anything the library did not put into words
            self._failed(f"cannot update the index at {self.index_dir}: "
                         f"{err.strerror or err}", changed)
            return
        finally:
            self.updating = False
        if self._last_error:
            self.log.info("the index is being updated again")
            self._last_error = ""
        self._report(report, time.perf_counter() - started)

    def _failed(self, message: str, changed: list[Path]) -> None:
        """Keep what was pending and try again in `retry` seconds; say so once."""
        for path in changed:
            self._dirty.setdefault(path, None)
        self._pending = True
        self._retry_at = time.monotonic() + self.retry
        if message != self._last_error:
            self._last_error = message
            # the advice to run `defsearch index` again is the watcher's own job here
            message = message.replace(", then run `defsearch index` again", "") \
                .replace(": wait for it to finish", "")
            self.log.problem(f"{message} (the watcher tries again every {self.retry:g} s)")

    def _report(self, report, seconds: float) -> None:
        current = set(report.failures)
        for failure in report.failures:
            if failure not in self._reported:
                self.log.problem(f"skipped {failure}")
        # a problem gone from the corpus may come back later: report it again then
        self._reported = current | {f for f in self._reported if f in current}
        first, self._caught_up = not self._caught_up, True
        if report.nothing_changed:
            if first:
                self.log.info(f"index {report.generation} is up to date: "
                              f"{report.articles} articles, {report.passages} passages")
                _warm(self.index_dir)       # after saying so: an update may not load jieba
            return
        for label, rels in (("added", report.added), ("changed", report.changed),
                            ("deleted", report.deleted), ("skipped", report.skipped)):
            for rel in rels:
                self.log.info(f"{label} {rel}")
        if report.lexicon_changed:
            self.log.info(f"re-analysed all {report.files} files: {report.reason}")
        self.updates += 1
        self.log.info(f"index {report.generation}: {report.articles} articles, "
                      f"{report.passages} passages ({seconds:.1f} s)")
        if first:
            _warm(self.index_dir)


def _warm(index_dir: Path) -> None:
    """Load jieba's shared dictionary (the glossary's) and the index's analyzer with its
    lexicon now (2-5 s), not when the first file arrives."""
    from whoosh import index

    from search.analysis.jieba_dictionary import shared_dictionary
    from search.index.manifest import current_generation

    shared_dictionary()
    try:
        ix = index.open_dir(str(current_generation(index_dir)))
    except Exception:       # noqa: BLE001 - only a speed-up; the update will say what is wrong
        return
    try:
        list(ix.schema["body"].analyzer("中文"))
    finally:
        ix.close()


def _identity(path: Path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    import stat
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


def _state(path: Path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)
