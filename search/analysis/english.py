"""English: the one stemmer (``english_term``), the stop words, and the filter using both.

Everything that compares English with the index (the analyzers, snippets, proximity, glossary
keys) calls ``english_term``, so a word is stemmed the same way everywhere.
"""
from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import Filter
from whoosh.lang.porter import stem as _porter_stem

ENGLISH_STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
""".split())

_HAS_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=50000)
def english_term(word: str) -> str:
    """Index form of one folded Latin word: Porter-stemmed unless it holds digits or
    non-ASCII letters.

    >>> [english_term(w) for w in ("missiles", "deployed", "su27", "café")]
    ['missil', 'deploi', 'su27', 'café']
    """
    if _HAS_DIGIT.search(word) or not word.isascii():
        return word
    return _porter_stem(word)


class EnglishFilter(Filter):
    """Adds English matching: stems ASCII words (``english_term``) and drops stop words and
    lone letters, or with ``removestops=False`` keeps them marked ``stopped`` (the query
    builder shows them). CJK tokens pass untouched: no Chinese character, 和 included, is a
    stop word.

    >>> from search.analysis.runs import RunTokenizer
    >>> [t.text for t in (RunTokenizer() | EnglishFilter())("The missiles 和 a treaty")]
    ['missil', '和', 'treati']
    >>> [(t.text, t.stopped) for t in (RunTokenizer() | EnglishFilter())(
    ...     "the treaty", removestops=False)]
    [('the', True), ('treati', False)]
    """

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        stopped = False                 # the token object is reused: clear a stop mark
        for t in tokens:
            text = t.text
            if text.isascii():
                if text in ENGLISH_STOP_WORDS or (len(text) == 1 and text.isalpha()):
                    if t.removestops:
                        continue
                    t.stopped = stopped = True
                    yield t
                    continue
                t.text = english_term(text)
            if stopped:
                t.stopped = stopped = False
            yield t
