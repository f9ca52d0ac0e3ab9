"""Watching the corpus folder: file events in, index updates out.

`feed` (the OS's file events through watchdog, or polling) and `watcher` (`Watcher`: the
debounce, one `update_index` per settled batch of changes, problems reported once and
retried). `defsearch watch` runs it in the foreground; `defsearch serve --watch` beside the
server, which follows each new generation by itself.
"""
from search.watch.watcher import Logger, Watcher

__all__ = ["Logger", "Watcher"]
