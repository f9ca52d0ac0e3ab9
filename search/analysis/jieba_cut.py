"""jieba's accurate mode with HMM (``Tokenizer.cut(text, HMM=True)``) in one loop per run.

Why: segmentation was the largest single cost of indexing (40% of the write phase on the
eval pool). jieba builds a DAG dict of every word starting at each character
(``get_DAG``), then takes the best route backwards with a generator of tuples per
character (``calc``), then walks it, sending runs of single characters the dictionary does
not know to the HMM (``finalseg``). ``cut_words`` does the same three steps with no DAG,
no tuples and no generators: the backward pass enumerates each character's words itself.

The words are exactly jieba's, bit for bit: each candidate's score is the same float
expression, ``log(freq) - log(total) + score_after``, evaluated in the same order, and a
tie goes, as in jieba's ``max`` over ``(score, end)`` tuples, to the longer word. The HMM
is jieba's own ``finalseg.cut``; its answers for the (short, often repeated) unknown
stretches are memoised. Runs holding a character outside jieba's Han class
(U+4E00-U+9FD5: extension A, the newest unified ideographs, the supplementary planes) are
left to jieba itself, as is a dictionary that is not a plain dict (the lazy SQLite one).
``tests/test_analysis_speed.py`` checks the words against jieba on the eval pool's runs.

>>> from search.analysis.jieba_dictionary import Lexicon
>>> cut_words(Lexicon().segmenter(), "联合军演与战机")
['联合', '军演', '与', '战机']
"""
from __future__ import annotations

import re
from math import log

_NOT_JIEBA_HAN = re.compile("[^\u4e00-\u9fd5]")
_HMM_LIMIT = 200_000            # memoised unknown stretches, per process, before a reset
_hmm: dict[str, tuple[str, ...]] = {}


def _hmm_words(buf: str) -> tuple[str, ...]:
    """jieba's HMM segmentation of an unknown stretch (``finalseg.cut``), memoised."""
    words = _hmm.get(buf)
    if words is None:
        from jieba import finalseg

        if len(_hmm) >= _HMM_LIMIT:
            _hmm.clear()
        words = _hmm[buf] = tuple(finalseg.cut(buf))
    return words


def _scores(seg) -> tuple[dict, float]:
    """``log(freq) - log(total)`` of every dictionary word of `seg` (None for a prefix
    that is no word), and ``-log(total)``, the score of a character jieba does not know:
    jieba's own floats, computed once per segmenter instead of once per candidate. Kept on
    the segmenter (a forked indexing worker inherits it with the dictionary)."""
    cached = getattr(seg, "_defsearch_scores", None)
    if cached is None or cached[0] != seg.total or cached[1] != len(seg.FREQ):
        logtotal = log(seg.total)
        table = {word: (log(f) - logtotal if f else None) for word, f in seg.FREQ.items()}
        cached = seg._defsearch_scores = (seg.total, len(seg.FREQ), table, log(1) - logtotal)
    return cached[2], cached[3]


_MISSING = object()


def cut_words(seg, run: str) -> list[str]:
    """The words of `run` (CJK characters) as ``list(seg.cut(run, HMM=True))`` gives them."""
    n = len(run)
    if n == 1:
        return [run]                        # what jieba makes of one character, always
    seg.check_initialized()
    if type(seg.FREQ) is not dict or _NOT_JIEBA_HAN.search(run):
        return list(seg.cut(run, HMM=True))
    scores, unknown = _scores(seg)
    score = scores.get
    # best[i], end[i]: score and last character of the best route's word starting at i
    best = [0.0] * (n + 1)
    end = [0] * (n + 1)
    for k in range(n - 1, -1, -1):
        b = None
        e = i = k
        frag = run[k]
        while True:
            s = score(frag, _MISSING)
            if s is _MISSING:               # no dictionary word starts with frag
                break
            if s is not None:
                v = s + best[i + 1]
                if b is None or v >= b:     # a tie goes to the longer word, as in jieba
                    b, e = v, i
            i += 1
            if i >= n:
                break
            frag = run[k:i + 1]
        if b is None:                       # no dictionary word: the character alone
            b = unknown + best[k + 1]
        best[k], end[k] = b, e
    get = seg.FREQ.get
    words: list[str] = []
    x = 0
    buf_start = -1                          # start of a stretch of single characters
    while x < n:
        y = end[x] + 1
        if y - x == 1:
            if buf_start < 0:
                buf_start = x
        else:
            if buf_start >= 0:
                _flush(run[buf_start:x], get, words)
                buf_start = -1
            words.append(run[x:y])
        x = y
    if buf_start >= 0:
        _flush(run[buf_start:], get, words)
    return words


def _flush(buf: str, get, words: list[str]) -> None:
    """What jieba yields for a stretch of single-character route steps: one character
    as itself, a known word as its characters, an unknown stretch as the HMM's words."""
    if len(buf) == 1:
        words.append(buf)
    elif not get(buf):
        words.extend(_hmm_words(buf))
    else:
        words.extend(buf)
