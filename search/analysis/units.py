"""The `units` field's analyzer: counted numbers and designators, in one spelling each.

Counted numbers (``numbers.number_units``: 第9條 = 第九條 = 第 9 條 -> 第9条), transliterated
designators (``designators.transliterated``: 蘇愷 27 -> su27) and designator families
(su27sm -> su27*) go to a field of their own, not into ``body``: a token more per number
there would lengthen every passage holding one, and move every BM25 length norm with it
(it cost the English dev set 0.001 MRR). The query builder looks them up here.
"""
from __future__ import annotations

from whoosh.analysis import Tokenizer
from whoosh.analysis.acore import Token

from search.analysis.designators import designator_units
from search.analysis.folding import fold
from search.analysis.numbers import number_units


def units(folded: str):
    """(start, end, token) of every unit of folded text, in text order.

    >>> [u for _s, _e, u in units("第 9 条与苏恺 27、su-27sm")]
    ['第9条', 'su27', 'su27*', 'su27*']
    """
    return sorted(list(number_units(folded)) + designator_units(folded))


class UnitTokenizer(Tokenizer):
    """The units of a text (`units`) as tokens, offsets into the original text.

    >>> [(t.text, t.startchar, t.endchar) for t in UnitTokenizer()("第 9 條", chars=True)]
    [('第9条', 0, 5)]
    """

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for n, (s, e, text) in enumerate(units(fold(value))):
            t.text, t.boost, t.stopped = text, 1.0, False
            if positions:
                t.pos = start_pos + n
            if chars:
                t.startchar, t.endchar = start_char + s, start_char + e
            if keeporiginal:
                t.original = value[s:e]
            yield t


def UnitAnalyzer() -> UnitTokenizer:
    """Analyzer of the ``units`` field."""
    return UnitTokenizer()
