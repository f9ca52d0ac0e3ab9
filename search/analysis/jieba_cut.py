"""jieba's accurate mode with HMM (``Tokenizer.cut(text, HMM=True)``), its route found by
jieba-rs (``rjieba``), for the indexer.

Why: segmentation was the largest single cost of analysis at indexing time, and a route
through jieba's DAG is a loop over every character's candidate words, which Python runs at
a tenth of the speed of the Rust port of the same algorithm. ``cut_words`` asks jieba-rs
for the route only (``cut(run, hmm=False)``) and does jieba's last step itself: a stretch of
single-character route steps is one character as itself, a known word as its characters,
an unknown stretch as the words of jieba's own HMM (``finalseg.cut``, memoised; jieba-rs's
HMM disagrees with it on rare stretches, e.g. 常在较).

The words are exactly jieba's because the route is the same computation on the same data:

* the twin (``_twin``) holds every word of the segmenter's ``FREQ`` with a count above zero
  (jieba never takes a zero-count entry, a prefix or a deleted word, as a candidate) with
  that count, and the same ``total``: jieba adds a user word's count to its total even when
  the word was in the dictionary already, so the difference is carried by one word of a
  private-use character no run can hold;
* jieba-rs scores a candidate with the same float expression in the same order,
  ``ln(freq) - ln(total) + score_after``, a character without a word as count 1, and a tie
  goes, as in jieba's ``max`` over ``(score, end)``, to the longer word.

Runs holding a character outside jieba's Han class (U+4E00-U+9FD5: extension A, the newest
unified ideographs, the supplementary planes, where the two split a run differently) are
left to jieba itself, as is a dictionary that is not a plain dict (the lazy SQLite one, for
queries). ``tests/test_index_terms.py`` checks the words against jieba on the eval pool and
the seed articles.

>>> from search.analysis.jieba_dictionary import Lexicon
>>> cut_words(Lexicon().segmenter(), "联合军演与战机")
['联合', '军演', '与', '战机']
"""
from __future__ import annotations

import re

_NOT_JIEBA_HAN = re.compile("[^\u4e00-\u9fd5]")
_PAD = "\ue000"                 # the twin's word for jieba's extra total: never in a run
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


def _twin(seg):
    """An ``rjieba.Jieba`` holding `seg`'s dictionary (see module docstring), built once
    per segmenter and kept on it (a forked indexing worker inherits it with the
    dictionary); built anew if words were added since."""
    cached = getattr(seg, "_defsearch_twin", None)
    if cached is None or cached[0] != seg.total or cached[1] != len(seg.FREQ):
        import rjieba

        twin = rjieba.Jieba.empty()
        added = 0
        for word, count in seg.FREQ.items():
            if count:
                twin.add_word(word, count, None)
                added += count
        if seg.total > added:
            twin.add_word(_PAD, seg.total - added, None)
        cached = seg._defsearch_twin = (seg.total, len(seg.FREQ), twin.cut)
    return cached[2]


def cut_words(seg, run: str) -> list[str]:
    """The words of `run` (CJK characters) as ``list(seg.cut(run, HMM=True))`` gives them."""
    if len(run) == 1:
        return [run]                        # what jieba makes of one character, always
    seg.check_initialized()
    if type(seg.FREQ) is not dict or _NOT_JIEBA_HAN.search(run):
        return list(seg.cut(run, HMM=True))
    get = seg.FREQ.get
    words: list[str] = []
    buf = ""                                # a stretch of single-character route steps
    for word in _twin(seg)(run, False):
        if len(word) == 1:
            buf += word
            continue
        if buf:
            _flush(buf, get, words)
            buf = ""
        words.append(word)
    if buf:
        _flush(buf, get, words)
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
