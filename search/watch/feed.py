"""The corpus folder's file events: the OS's (inotify on Linux, through watchdog) or, where
they are unavailable (no inotify, its watch limit reached, a network share), watchdog's
polling observer.

Events are only a trigger: `update_index` compares the whole corpus with the manifest, so
a lost or merged event costs nothing but latency. The feed keeps the paths that changed and
when the last change came, for the watcher's debounce.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

from search.ingest.corpus import temporary_name

# Events that change what a file holds or where it is. Opening and reading (our own indexer
# reads every changed file) must not trigger another update.
_CHANGES = {"created", "modified", "deleted", "moved", "closed", "attrib"}


class ChangeFeed:
    """Paths changed under `corpus` since the last `take()`; `polling=True` (or inotify
    failing to start) polls every `interval` seconds."""

    def __init__(self, corpus: Path, polling: bool = False, interval: float = 0.5):
        self.corpus = Path(corpus)
        self.polling = polling
        self.interval = interval
        self.kind = ""
        self.last_event = 0.0
        self._paths: set[Path] = set()
        self._lock = threading.Lock()
        self._observer = None

    def start(self) -> str:
        """Start watching; returns "inotify" (or the OS's event API) or "polling"."""
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        feed = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                feed._record(event)

        observer = None
        if not self.polling:
            try:
                observer = Observer()
                observer.schedule(Handler(), str(self.corpus), recursive=True)
                observer.start()
                self.kind = type(observer).__name__.replace("Observer", "").lower() or "events"
            except OSError:
                observer = None       # inotify unavailable or its watch limit reached
        if observer is None:
            observer = PollingObserver(timeout=self.interval)
            observer.schedule(Handler(), str(self.corpus), recursive=True)
            observer.start()
            self.kind = "polling"
        self._observer = observer
        return self.kind

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            try:
                self._observer.join(timeout=5)
            except RuntimeError:
                pass
            self._observer = None

    @property
    def quiet_needed(self) -> float:
        """The least quiet time that means "no more changes": polling only sees a change
        at its next scan."""
        return 1.5 * self.interval if self.kind == "polling" else 0.0

    def take(self) -> set[Path]:
        with self._lock:
            paths, self._paths = self._paths, set()
        return paths

    def _record(self, event) -> None:
        if event.event_type not in _CHANGES:
            return
        if event.is_directory and event.event_type in ("modified", "closed", "attrib"):
            return                    # a folder's own mtime: its entries' events follow
        paths = [Path(p) for p in (event.src_path, getattr(event, "dest_path", ""))
                 if p]
        wanted = [p for p in paths if not self._ignored(p)]
        if not wanted:
            return
        with self._lock:
            self._paths.update(wanted)
            self.last_event = time.monotonic()

    def _ignored(self, path: Path) -> bool:
        try:
            rel = Path(path).relative_to(self.corpus)
        except ValueError:
            return False
        return any(temporary_name(part) for part in rel.parts)
