"""jieba's dictionary: the one place that imports jieba and touches its internals (with
``jieba_cut``, which reads a segmenter's ``FREQ`` and ``total`` to cut faster).

Why internals at all: jieba has no API for three things we need.

* **Import without pkg_resources.** ``jieba._compat`` imports ``pkg_resources`` only to
  locate its data files and falls back to a plain path when it is absent, while importing it
  scans every installed distribution (50-700 ms of a cold ``defsearch search``).
* **A lazy dictionary.** Short-lived query processes look words up in an on-disk SQLite copy
  of jieba's dictionary instead of unmarshalling all 500k entries (0.57 s) at start: we swap
  a ``Tokenizer``'s ``FREQ``/``total``/``initialized``. Segmentation is identical.
* **One segmenter per lexicon.** The corpus's own names (``Lexicon``) are added to a private
  ``jieba.Tokenizer`` per lexicon per process. When jieba's default dictionary is already
  loaded (``shared_dictionary``), the private one starts from a *copy* of its ``FREQ``
  (0.03 s instead of a second 0.6 s load).

Shared state, explicitly: ``shared_dictionary()`` is jieba's default ``jieba.dt``, used
read-only by the glossary (word frequencies for "is this a common word", and
``pos_tagger()``, jieba.posseg, which segments with ``jieba.dt``). The analyzer never adds a
word to it: user words only ever go into the private copies, so the glossary's view of
jieba does not depend on which corpus was analysed before, and the analyzer's segmentation
does not depend on whether the glossary ran first.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import sys
import tempfile
import threading

_lock = threading.Lock()
_segmenters: dict[tuple, object] = {}      # user words -> jieba.Tokenizer, per process
_lazy_dictionary = False
_generation = 0                            # bumped when cached segmenters become stale


def import_jieba():
    """jieba, imported without ``pkg_resources`` and with its loading chatter silenced."""
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None     # makes `import pkg_resources` raise
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    import jieba
    jieba.setLogLevel(logging.WARNING)
    return jieba


def shared_dictionary():
    """jieba's default tokenizer (``jieba.dt``) with its dictionary loaded. Read it, never
    add words to it (see the module docstring)."""
    jieba = import_jieba()
    jieba.dt.check_initialized()
    return jieba.dt


def pos_tagger():
    """``jieba.posseg`` (part-of-speech tagging on the shared dictionary), for the glossary's
    miner."""
    import_jieba()
    import jieba.posseg
    return jieba.posseg


def use_lazy_dictionary(lazy: bool = True) -> None:
    """Short-lived query processes (``defsearch search``) call this before analysing: jieba
    then looks words up in an on-disk SQLite copy of its dictionary instead of loading all
    500k entries at start. Segmenters built before are dropped, so the switch always takes
    effect; indexing keeps the in-memory dictionary."""
    global _lazy_dictionary, _generation
    with _lock:
        if lazy != _lazy_dictionary:
            _lazy_dictionary = lazy
            _segmenters.clear()
            _generation += 1


class _LazyFreq(dict):
    """jieba's FREQ mapping (word -> count, prefixes -> 0), filled from SQLite on demand.
    jieba only uses ``in``, ``[]``, ``.get`` and item assignment (``add_word``)."""

    def __init__(self, path):
        super().__init__()
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def __missing__(self, word):
        with self._lock:
            row = self._con.execute("SELECT n FROM freq WHERE w = ?", (word,)).fetchone()
        value = None if row is None else row[0]
        dict.__setitem__(self, word, value)
        return value

    def get(self, word, default=None):
        value = self[word]
        return default if value is None else value

    def __contains__(self, word):
        return self[word] is not None

    def total(self) -> int:
        with self._lock:
            return self._con.execute("SELECT n FROM freq WHERE w = ''").fetchone()[0]


def _lazy_freq_path(seg) -> str:
    """The SQLite copy of jieba's dictionary, built once per machine beside jieba's cache."""
    jieba = import_jieba()
    stamp = f"{jieba.__version__}-{os.path.getmtime(seg.get_dict_file().name):.0f}"
    path = os.path.join(tempfile.gettempdir(), f"defsearch-jieba-{stamp}.sqlite")
    if not os.path.exists(path):
        seg.initialize()
        tmp = f"{path}.{os.getpid()}.tmp"
        con = sqlite3.connect(tmp)
        con.execute("CREATE TABLE freq (w TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID")
        con.executemany("INSERT INTO freq VALUES (?, ?)", seg.FREQ.items())
        con.execute("INSERT INTO freq VALUES ('', ?)", (seg.total,))
        con.commit()
        con.close()
        os.replace(tmp, path)
    return path


def _segmenter(user_words: tuple[str, ...]):
    """A private jieba Tokenizer with `user_words` added, one per lexicon per process."""
    seg = _segmenters.get(user_words)
    if seg is None:
        with _lock:
            seg = _segmenters.get(user_words)
            if seg is None:
                jieba = import_jieba()
                seg = jieba.Tokenizer()
                if _lazy_dictionary:
                    freq = _LazyFreq(_lazy_freq_path(seg))
                    seg.FREQ, seg.total, seg.initialized = freq, freq.total(), True
                elif jieba.dt.initialized and jieba.dt.dictionary == seg.dictionary:
                    # the shared dictionary is loaded (by the glossary): copy, never share
                    seg.FREQ, seg.total = dict(jieba.dt.FREQ), jieba.dt.total
                    seg.initialized = True
                else:
                    seg.initialize()
                for word in user_words:
                    seg.add_word(word)
                _segmenters[user_words] = seg
    return seg


class Lexicon:
    """The words jieba segments with: its dictionary plus the corpus's own names
    (``user_words``, see ``mine_names``), so 信心建立措施 stays one word.

    Whoosh pickles the schema, and so the analyzers, into the index: a Lexicon pickles as
    its words only and builds its segmenter on first use.

    >>> import pickle
    >>> lex = Lexicon(["信心建立措施", "信心建立措施"])
    >>> lex.words, pickle.loads(pickle.dumps(lex)) == lex
    (('信心建立措施',), True)
    """

    def __init__(self, user_words=()):
        self.words = tuple(sorted(set(user_words)))
        self._seg, self._generation = None, -1

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.words == other.words

    def __hash__(self):
        return hash(self.words)

    def __getstate__(self):
        return {"words": self.words}

    def __setstate__(self, state):
        self.words = tuple(state["words"])
        self._seg, self._generation = None, -1

    def segmenter(self):
        """The jieba Tokenizer for these words (``.cut``, ``.FREQ``)."""
        if self._generation != _generation:     # also true before the first call
            self._seg, self._generation = _segmenter(self.words), _generation
        return self._seg
