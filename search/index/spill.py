"""Ingested articles parked on disk between reading the corpus and analysing it.

Every file must be read before the first document is analysed: the jieba words mined from
the whole corpus (the manifest's lexicon) decide how each passage is segmented. Holding
the ingested corpus in memory until then made the indexer's peak memory grow with the
corpus (7.6 GiB at a million passages, and every forked worker copied the pages it
touched). So the reader appends each article to one spill file as it comes (a pickle per
article) and keeps only its offset and cost; the analysing workers, forked from a parent
that holds almost nothing, read their contiguous share of it back one article at a time.
Memory then depends on the largest file and the posting buffers, not on the corpus.

The file lives in the generation being written (its `.tmp` name keeps it out of the
checksums) and is removed before the swap; a killed run leaves it in the unfinished
generation that the next update removes.
"""
from __future__ import annotations

import os
import pickle
from array import array
from pathlib import Path

from search.model import Article

NAME = "articles.spill.tmp"


class ArticleSpill:
    """Append-only file of (source, Article) records, read back by index in any process."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / NAME
        self._out = open(self.path, "wb")
        self.offsets = array("q")      # arrays: 8 bytes an article, not a Python int
        self.costs = array("q")        # analysis cost per article (`update._cost`)
        self.passages = 0
        self.chars = 0
        self._reader = None
        self._reader_pid = 0

    def __len__(self) -> int:
        return len(self.offsets)

    def add(self, source: str, article: Article, cost: int) -> None:
        self.offsets.append(self._out.tell())
        pickle.dump((source, article), self._out, protocol=pickle.HIGHEST_PROTOCOL)
        self.costs.append(cost)
        self.passages += len(article.passages)
        self.chars += sum(len(p.text) for p in article.passages)

    def finish(self) -> None:
        """Done appending: what was added is readable (also by processes forked now)."""
        if self._out is not None:
            self._out.close()
            self._out = None

    def get(self, n: int) -> tuple[str, Article]:
        """Record `n`. Each process opens its own handle (a forked worker must not share
        the parent's file position)."""
        if self._reader is None or self._reader_pid != os.getpid():
            self._reader = open(self.path, "rb")
            self._reader_pid = os.getpid()
        if self._reader.tell() != self.offsets[n]:
            self._reader.seek(self.offsets[n])
        return pickle.load(self._reader)

    def remove(self) -> None:
        self.finish()
        if self._reader is not None and self._reader_pid == os.getpid():
            self._reader.close()
        self._reader = None
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
