"""CJK runs -> jieba words (+ their dictionary sub-words), or -> character bigrams.

All three stages see only CJK runs or words (``script == CJK``) and pass everything else on,
moved to its new position. They set ``startchar``/``endchar`` (and ``original``) on their
tokens only when the call asked for ``chars`` (or ``keeporiginal``): these are the hot
stages of indexing, where every character becomes a token or two.
"""
from __future__ import annotations

from whoosh.analysis import Filter

from search.analysis.jieba_dictionary import Lexicon
from search.analysis.runs import CJK


class BigramFilter(Filter):
    """Splits each CJK run into overlapping character bigrams, one position each (a lone
    character is its own unigram): a quoted phrase then matches across any segmentation
    boundary, and matching does not depend on how jieba cut the text.

    >>> from search.analysis.runs import RunTokenizer
    >>> [(t.text, t.pos, t.startchar) for t in (RunTokenizer() | BigramFilter())(
    ...     "邊境地區、中", positions=True, chars=True)]
    [('边境', 0, 0), ('境地', 1, 1), ('地区', 2, 2), ('中', 3, 5)]
    """

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        shift = 0
        for t in tokens:
            run = t.text
            n = len(run)
            if t.script is not CJK or n == 1:
                if shift:
                    t.pos += shift
                yield t
                continue
            positions, offsets, keep = t.positions, t.chars or t.keep, t.keep
            pos = t.pos + shift if positions else 0
            start = t.startchar
            for i in range(n - 1):
                t.text = run[i:i + 2]
                if positions:
                    t.pos = pos + i
                if offsets:
                    t.startchar, t.endchar = start + i, start + i + 2
                    if keep:
                        t.original = t.source[start + i - t.origin:start + i + 2 - t.origin]
                yield t
            if positions:
                shift += n - 2


class JiebaWordFilter(Filter):
    """Splits each CJK run into jieba words (HMM on, for words not in the dictionary), one
    position each, with the lexicon's own names kept whole.

    >>> from search.analysis.runs import RunTokenizer
    >>> [(t.text, t.pos) for t in (RunTokenizer() | JiebaWordFilter())(
    ...     "聯合軍演與戰機", positions=True)]
    [('联合', 0), ('军演', 1), ('与', 2), ('战机', 3)]
    """

    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon if lexicon is not None else Lexicon()

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.lexicon == other.lexicon

    def __call__(self, tokens):
        shift = 0
        seg = None                      # jieba is loaded at the first CJK run, not before
        for t in tokens:
            if t.script is not CJK:
                if shift:
                    t.pos += shift
                yield t
                continue
            if seg is None:
                seg = self.lexicon.segmenter()
            positions, offsets, keep = t.positions, t.chars or t.keep, t.keep
            pos = t.pos + shift if positions else 0
            i = t.startchar
            k = -1
            for k, word in enumerate(seg.cut(t.text, HMM=True)):
                t.text = word
                if positions:
                    t.pos = pos + k
                if offsets:
                    t.startchar, t.endchar = i, i + len(word)
                    if keep:
                        t.original = t.source[i - t.origin:i + len(word) - t.origin]
                    i += len(word)
                yield t
            if positions:
                shift += k


class SubWordFilter(Filter):
    """Adds, after each CJK word longer than two characters, its dictionary sub-words of two
    and then three characters at the word's own position (jieba's search mode), so a query
    segmented differently still meets it: 軍事合作 -> 军事合作, 军事, 合作.

    >>> from search.analysis.runs import RunTokenizer
    >>> [(t.text, t.pos, t.startchar) for t in (RunTokenizer() | JiebaWordFilter()
    ...     | SubWordFilter())("邊境地區", positions=True, chars=True)]
    [('边境地区', 0, 0), ('边境', 0, 0), ('境地', 0, 1), ('地区', 0, 2)]
    """

    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon if lexicon is not None else Lexicon()

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.lexicon == other.lexicon

    def __call__(self, tokens):
        freq = None
        for t in tokens:
            word = t.text
            n = len(word)
            if n <= 2 or t.script is not CJK:
                yield t
                continue
            if freq is None:
                freq = self.lexicon.segmenter().FREQ
            # later stages may change the token we yield: keep what the sub-words need
            offsets, keep, start = t.chars or t.keep, t.keep, t.startchar
            pos = t.pos if t.positions else 0
            yield t
            for size in (2, 3):
                if n <= size:
                    break
                for k in range(n - size + 1):
                    sub = word[k:k + size]
                    if freq.get(sub):
                        t.text = sub
                        if t.positions:
                            t.pos = pos
                        if offsets:
                            t.startchar, t.endchar = start + k, start + k + size
                            if keep:
                                t.original = t.source[start + k - t.origin:
                                                      start + k + size - t.origin]
                        yield t
