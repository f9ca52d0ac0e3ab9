# FROZEN REFERENCE: search/analysis.py as it was before the package split (commit 8fada71),
# kept verbatim below this header so tests/test_analysis_equivalence.py can check that the
# staged pipeline in search/analysis/ gives exactly the same tokens. Do not edit or import
# it from the code; it is not maintained.
"""The one analysis pipeline: makes Traditional, Simplified and English text meet.

Two Whoosh analyzers share the same folding and run splitting:

* ``WordAnalyzer`` (field ``body``): jieba words of the folded text; a long word also yields
  its dictionary sub-words at the same position (軍事合作 -> 军事合作, 军事, 合作), so a query
  segmented differently still meets it. English: lowercase, Porter stem, English stop words.
* ``GramAnalyzer`` (field ``grams``): overlapping CJK character bigrams (a lone CJK character
  is its own unigram) plus the same English tokens, with one position per token, so a quoted
  phrase matches across any segmentation boundary.

Folding (``fold``) is NFKC + lowercase + OpenCC's t2s *character* table, applied per
character so it never changes length: every token's ``startchar``/``endchar`` index the
original text directly, and highlights land on the author's own characters, including the
PDF's compatibility ideographs. (Phrase-level t2s differs on 0.02% of characters of the eval
pool and is 30x slower; jieba only needs Simplified input, not perfect Simplified.)

Designators survive whole and match loosely: ``Su-27``, ``su27`` and ``SU 27`` all give the
token ``su27``; likewise ``S-300`` -> ``s300``, ``Tu-22M3`` -> ``tu22m3``, ``C4ISR``.

>>> [t.text for t in WordAnalyzer()("聯合軍演與Su-27戰機")]
['联合', '军演', '与', 'su27', '战机']
>>> [t.text for t in GramAnalyzer()("邊境地區")]
['边境', '境地', '地区']
"""
from __future__ import annotations

import os
import re
import sqlite3
import sys
import threading
import unicodedata
from functools import lru_cache

from whoosh.analysis import Composable, Filter, Tokenizer
from whoosh.analysis.acore import Token
from whoosh.lang.porter import stem as _porter_stem

ANALYZER_VERSION = 1

# --------------------------------------------------------------------------- folding

_OPENCC_DICT = os.path.join(os.path.dirname(__import__("opencc").__file__), "dictionary")


def _build_fold_table() -> dict[int, str]:
    """A str.translate table for the BMP: NFKC, then lowercase, then t2s, each applied only
    where it maps one character to one character (length is never changed)."""
    t2s = {}
    with open(os.path.join(_OPENCC_DICT, "TSCharacters.txt"), encoding="utf-8") as fh:
        for line in fh:
            key, _, values = line.rstrip("\n").partition("\t")
            if len(key) == 1:
                t2s[key] = values.split(" ")[0]
    table = {}
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) != 1:
            folded = ch
        lower = folded.lower()
        if len(lower) == 1:
            folded = lower
        folded = t2s.get(folded, folded)
        if folded != ch:
            table[cp] = folded
    return table


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Matching form of ``text``: same length, position by position.

    >>> fold("聯合軍演 ＳＵ－２７ 夥伴 \\uf9b5")
    '联合军演 su-27 伙伴 例'
    """
    return text.translate(_FOLD_TABLE)


# --------------------------------------------------------------------------- runs

# The characters the analyzer treats as CJK (after folding, so no compatibility ideographs);
# query building, proximity and snippets use the same class.
CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff"
# A run is either CJK characters or a Latin/digit word (hyphens and dots kept inside words
# so designators can be recognised); anything else (punctuation, space) separates runs.
_RUN_RE = re.compile(rf"([{CJK_CHARS}]+)|([a-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+"
                     rf"(?:[-.'’][a-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+)*)")
_HAS_DIGIT = re.compile(r"\d")
_PARTS_RE = re.compile(r"[^-.'’]+")
# "SU 27", "F 16": a short all-capital letter group, a space, then a number.
_SPACED_DESIGNATOR = re.compile(r"[A-Z]{1,3}$")

ENGLISH_STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
""".split())


def _latin_words(folded: str, start: int, end: int):
    """Yield (text, startchar, endchar) for one Latin run.

    A run whose hyphen/dot-separated parts include a digit is a designator or number and is
    kept whole without separators (su-27 -> su27, 1.5 -> 1.5 stays one token); otherwise the
    parts are separate words (confidence-building -> confidence, building; china's -> china, s).
    """
    word = folded[start:end]
    if _HAS_DIGIT.search(word):
        if "." in word and not re.search(r"[a-z]", word):
            yield word, start, end          # a decimal number: 1.5, 3.14
        else:
            yield re.sub(r"[-.'’]", "", word), start, end
        return
    parts = list(_PARTS_RE.finditer(word))
    if len(parts) > 1 and all(len(p.group()) == 1 for p in parts):
        yield "".join(p.group() for p in parts), start, end    # an acronym: u.s. -> us
        return
    for m in parts:
        yield m.group(), start + m.start(), start + m.end()


@lru_cache(maxsize=50000)
def english_term(word: str) -> str:
    """Index form of one folded Latin word: stemmed unless it holds digits."""
    if _HAS_DIGIT.search(word) or not word.isascii():
        return word
    return _porter_stem(word)


# --------------------------------------------------------------------------- jieba

_jieba_lock = threading.Lock()
_jieba_cache: dict[tuple, object] = {}
_lazy_dictionary = False


def use_lazy_dictionary(lazy: bool = True) -> None:
    """Short-lived query processes (``defsearch search``) call this before analysing: jieba
    then looks words up in an on-disk SQLite copy of its dictionary instead of unmarshalling
    all 500k entries (0.57 s) at start. Segmentation is identical; indexing keeps the dict."""
    global _lazy_dictionary
    _lazy_dictionary = lazy


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


def _import_jieba():
    """Import jieba without ``pkg_resources``: jieba._compat imports it only to locate its
    data files and falls back to a plain path when it is absent, while importing it scans
    every installed distribution (50-700 ms of a cold `defsearch search`)."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba
        return jieba
    sys.modules["pkg_resources"] = None     # makes `import pkg_resources` raise ImportError
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


def _lazy_freq_path(seg) -> str:
    """The SQLite copy of jieba's dictionary, built once per machine beside jieba's cache."""
    import tempfile

    jieba = _import_jieba()
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
    """A jieba Tokenizer with the corpus lexicon added, one per lexicon per process."""
    seg = _jieba_cache.get(user_words)
    if seg is None:
        with _jieba_lock:
            seg = _jieba_cache.get(user_words)
            if seg is None:
                import logging

                jieba = _import_jieba()
                jieba.setLogLevel(logging.WARNING)
                seg = jieba.Tokenizer()
                if _lazy_dictionary:
                    freq = _LazyFreq(_lazy_freq_path(seg))
                    seg.FREQ, seg.total, seg.initialized = freq, freq.total(), True
                elif jieba.dt.initialized and jieba.dt.dictionary == seg.dictionary:
                    # jieba's default dictionary is already loaded (the glossary's miner
                    # reads it, read-only): a copy costs 0.03 s, a second load 0.6 s
                    seg.FREQ, seg.total = dict(jieba.dt.FREQ), jieba.dt.total
                    seg.initialized = True
                else:
                    seg.initialize()
                for word in user_words:
                    seg.add_word(word)
                _jieba_cache[user_words] = seg
    return seg


def mine_names(texts) -> set[str]:
    """Terms the corpus itself marks as names: text in 「」 and 《》, and 「X」 glossed with an
    English parenthesis. Returned folded, so they can join jieba's (Simplified) dictionary.

    >>> sorted(mine_names(["透過「信心建立措施」（confidence-building measures）與《中俄睦鄰友好合作條約》"]))
    ['中俄睦邻友好合作条约', '信心建立措施']
    """
    names = set()
    for text in texts:
        for m in _NAME_RE.finditer(text):
            name = fold(m.group(1))
            if 2 <= len(name) <= 20 and re.fullmatch(rf"[{CJK_CHARS}]+", name):
                names.add(name)
    return names


_NAME_RE = re.compile(r"[「《『]([^」》』\n]{2,20})[」》』]")


# --------------------------------------------------------------------------- tokenizers

class BilingualTokenizer(Tokenizer):
    """Splits text into CJK runs and Latin words over the folded text; ``grams`` chooses
    character bigrams instead of jieba words for CJK runs. Token text is the folded form;
    ``startchar``/``endchar`` index the original string."""

    def __init__(self, grams: bool = False, user_words=()):
        self.grams = grams
        self.user_words = tuple(sorted(set(user_words)))

    def __eq__(self, other):
        return (self.__class__ is other.__class__ and self.grams == other.grams
                and self.user_words == other.user_words)

    def __getstate__(self):
        # Whoosh pickles the schema (and so this analyzer) into the index: keep only settings.
        return {"grams": self.grams, "user_words": self.user_words}

    def __setstate__(self, state):
        self.__dict__.update(state)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = fold(value)
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        folded = fold(value)
        pos = start_pos
        seg = None if self.grams else _segmenter(self.user_words)
        for m in _RUN_RE.finditer(folded):
            if m.group(1) is not None:
                pieces = (self._grams(folded, m.start(), m.end()) if self.grams
                          else self._words(seg, folded, m.start(), m.end()))
            else:
                pieces = self._latin(folded, m.start(), m.end(), value)
            for text, s, e, step in pieces:
                pos += step
                t.text = text
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = value[s:e]
                if positions:
                    t.pos = pos - 1
                if chars:
                    t.startchar, t.endchar = start_char + s, start_char + e
                yield t

    # Each piece is (text, start, end, step): step 1 starts a new position, step 0 stays on
    # the previous one (a sub-word of the word just yielded).

    @staticmethod
    def _grams(folded, start, end):
        if end - start == 1:
            yield folded[start:end], start, end, 1
            return
        for i in range(start, end - 1):
            yield folded[i:i + 2], i, i + 2, 1

    @staticmethod
    def _words(seg, folded, start, end):
        freq = seg.FREQ
        i = start
        for word in seg.cut(folded[start:end], HMM=True):
            n = len(word)
            yield word, i, i + n, 1
            if n > 2:   # jieba's search mode: dictionary sub-words of a long word
                for k in range(n - 1):
                    if freq.get(word[k:k + 2]):
                        yield word[k:k + 2], i + k, i + k + 2, 0
            if n > 3:
                for k in range(n - 2):
                    if freq.get(word[k:k + 3]):
                        yield word[k:k + 3], i + k, i + k + 3, 0
            i += n

    @staticmethod
    def _latin(folded, start, end, original):
        pieces = list(_latin_words(folded, start, end))
        for text, s, e in pieces:
            yield text, s, e, 1
        # "SU 27": a capitalised short letter group followed by a number also yields the
        # joined designator, at the letters' position.
        if len(pieces) == 1 and not _HAS_DIGIT.search(pieces[0][0]):
            text, s, e = pieces[0]
            if _SPACED_DESIGNATOR.fullmatch(original[s:e]):
                nxt = re.match(r" ([0-9][0-9a-z]*)\b", folded[e:e + 12])
                if nxt:
                    yield text + nxt.group(1), s, e + nxt.end(), 0


class EnglishFilter(Filter):
    """Stems Latin words and drops English stop words and lone letters; CJK tokens pass
    untouched (no Chinese character, 和 included, is a stop word)."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            if text.isascii():
                if text in ENGLISH_STOP_WORDS or (len(text) == 1 and text.isalpha()):
                    if t.removestops:
                        continue
                    t.stopped = True
                    yield t
                    continue
                t.text = english_term(text)
            yield t


def WordAnalyzer(user_words=()) -> Composable:
    """Analyzer for the ``body`` field (and titles): jieba words + sub-words, English stems."""
    return BilingualTokenizer(grams=False, user_words=user_words) | EnglishFilter()


def GramAnalyzer() -> Composable:
    """Analyzer for the ``grams`` field: CJK bigrams + English stems, for phrases and
    segmentation-independent matching."""
    return BilingualTokenizer(grams=True) | EnglishFilter()


def settings() -> dict:
    """What the manifest records about analysis; a change means the index must be rebuilt."""
    return {"analyzer_version": ANALYZER_VERSION, "fold": "nfkc+lower+opencc-t2s-chars",
            "segmenter": "jieba-hmm+subwords", "grams": "cjk-bigrams",
            "english": "porter+stop"}
