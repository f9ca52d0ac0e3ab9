"""The indexer's fast path: a whole value's terms, as the analyzers' stages give them.

Why: the stages (``RunTokenizer | ... | EnglishFilter``) pass one Whoosh ``Token`` through
five or six generators per term, and indexing asks for millions of terms: on the eval pool
the generator hops alone cost more than the Latin and CJK work they wrap. The indexer needs
no token object, only each term's text (and, for ``grams``, its position), so
``index_terms(analyzer)`` gives it, for the two analyzers of the schema, a function doing
the same steps in one loop per run:

* CJK runs: jieba's words (``jieba_cut.cut_words``, jieba's own words) and their
  dictionary sub-words of two then three characters (``SubWordFilter``), or character
  bigrams (``BigramFilter``);
* Latin runs: words (``latin_words``), stop words and lone letters dropped, English stems
  (``EnglishFilter``); a run's terms depend on the run alone, so they are memoised (a
  text's words repeat: "the", "missile", "2021"), and a spaced designator's joined term
  (``SpacedDesignatorFilter``: SU 27 -> su27) is added after its run's, as that stage does.

The terms are the pipeline's, in the pipeline's order, with its positions: the index does
not change by one byte (``tests/test_analysis_speed.py`` compares both on the eval pool and
on texts made to hit every rule). Any other analyzer (an older index's, a user's) gets
None and is run through its stages.

>>> from search.analysis import GramAnalyzer, WordAnalyzer
>>> index_terms(WordAnalyzer())("聯合軍演與Su-27戰機")
['联合', '军演', '与', 'su27', '战机']
>>> index_terms(GramAnalyzer())("邊境地區 SU 27")
(['边境', '境地', '地区', 'su', 'su27', '27'], [0, 1, 2, 3, 3, 4])
"""
from __future__ import annotations

from typing import Callable

from whoosh.analysis import CompositeAnalyzer

from search.analysis.cjk import BigramFilter, JiebaWordFilter, SubWordFilter
from search.analysis.english import ENGLISH_STOP_WORDS, EnglishFilter, english_term
from search.analysis.folding import fold
from search.analysis.jieba_cut import cut_words
from search.analysis.latin import (_NUMBER_AFTER, _SPACED_DESIGNATOR, LatinWordFilter,
                                   SpacedDesignatorFilter, latin_words)
from search.analysis.runs import _RUN_RE, RunTokenizer

_WORD_STAGES = (RunTokenizer, SpacedDesignatorFilter, LatinWordFilter, JiebaWordFilter,
                SubWordFilter, EnglishFilter)
_GRAM_STAGES = (RunTokenizer, SpacedDesignatorFilter, LatinWordFilter, BigramFilter,
                EnglishFilter)

_LATIN_LIMIT = 200_000          # memoised Latin runs, per process, before a reset
_latin: dict[str, tuple[tuple[str, ...], tuple[int, ...], int]] = {}


def index_terms(analyzer) -> Callable | None:
    """The fast path of `analyzer` (see module docstring): for ``WordAnalyzer`` a function
    text -> terms, for ``GramAnalyzer`` text -> (terms, positions); None for any other."""
    if type(analyzer) is not CompositeAnalyzer:
        return None
    stages = analyzer.items
    kinds = tuple(type(stage) for stage in stages)
    if kinds == _WORD_STAGES and stages[3].lexicon == stages[4].lexicon:
        return _word_terms(stages[3].lexicon)
    if kinds == _GRAM_STAGES:
        return _gram_terms
    return None


def latin_terms(run: str) -> tuple[tuple[str, ...], tuple[int, ...], int]:
    """(terms, their word numbers, words) of one folded Latin run: ``LatinWordFilter``'s
    words after ``EnglishFilter`` (stop words and lone letters dropped, stems).

    >>> latin_terms("the"), latin_terms("confidence-building"), latin_terms("su-27")
    (((), (), 1), (('confid', 'build'), (0, 1), 2), (('su27',), (0,), 1))
    """
    entry = _latin.get(run)
    if entry is not None:
        return entry
    words = [run] if run.isalpha() else [w for w, _s, _e in latin_words(run)]
    terms, numbers = [], []
    for k, word in enumerate(words):
        if word.isascii():
            if word in ENGLISH_STOP_WORDS or (len(word) == 1 and word.isalpha()):
                continue
            word = english_term(word)
        terms.append(word)
        numbers.append(k)
    if len(_latin) >= _LATIN_LIMIT:
        _latin.clear()
    entry = _latin[run] = (tuple(terms), tuple(numbers), len(words))
    return entry


def _joined_designator(value: str, folded: str, start: int, end: int) -> str | None:
    """``SpacedDesignatorFilter``'s joined term for the (at most 3-character) Latin run at
    value[start:end], or None."""
    if _SPACED_DESIGNATOR.fullmatch(value[start:end]):
        nxt = _NUMBER_AFTER.match(folded[end:end + 12])
        if nxt is not None:
            # digits always: EnglishFilter keeps it as it is
            return english_term(folded[start:end] + nxt.group(1))
    return None


def _word_terms(lexicon):
    def word_terms(value: str) -> list[str]:
        seg = lexicon.segmenter()
        freq = seg.FREQ
        folded = fold(value)
        terms: list[str] = []
        append, extend = terms.append, terms.extend
        for m in _RUN_RE.finditer(folded):
            run = m.group()
            if m.lastindex == 1:
                for word in cut_words(seg, run):
                    append(word)
                    n = len(word)
                    if n > 2:
                        extend([sub for sub in [word[k:k + 2] for k in range(n - 1)]
                                if freq.get(sub)])
                        if n > 3:
                            extend([sub for sub in [word[k:k + 3] for k in range(n - 2)]
                                    if freq.get(sub)])
                continue
            extend(latin_terms(run)[0])
            if len(run) <= 3:
                joined = _joined_designator(value, folded, m.start(), m.end())
                if joined is not None:
                    append(joined)
        return terms
    return word_terms


def _gram_terms(value: str) -> tuple[list[str], list[int]]:
    folded = fold(value)
    terms: list[str] = []
    positions: list[int] = []
    pos = 0
    for m in _RUN_RE.finditer(folded):
        run = m.group()
        if m.lastindex == 1:
            n = len(run)
            if n == 1:
                terms.append(run)
                positions.append(pos)
                pos += 1
            else:
                terms.extend([run[i:i + 2] for i in range(n - 1)])
                positions.extend(range(pos, pos + n - 1))
                pos += n - 1
            continue
        words, numbers, count = latin_terms(run)
        if words:
            terms.extend(words)
            positions.extend([pos + k for k in numbers])
        if len(run) <= 3:
            joined = _joined_designator(value, folded, m.start(), m.end())
            if joined is not None:
                terms.append(joined)
                positions.append(pos)
        pos += count
    return terms, positions
