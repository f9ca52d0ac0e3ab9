"""Latin runs -> words, with designators kept whole so every spelling meets.

``Su-27``, ``su27`` and ``SU 27`` all give the token ``su27``; likewise ``S-300`` -> ``s300``,
``Tu-22M3`` -> ``tu22m3``, ``C4ISR``. Both stages see only Latin runs (``script == LATIN``)
and pass everything else on, moved to its new position.
"""
from __future__ import annotations

import re

from whoosh.analysis import Filter

from search.analysis.runs import LATIN

_HAS_DIGIT = re.compile(r"\d")
_PARTS_RE = re.compile(r"[^-.'’]+")
# "SU 27", "F 16": a short all-capital letter group, a space, then a number.
_SPACED_DESIGNATOR = re.compile(r"[A-Z]{1,3}$")
_NUMBER_AFTER = re.compile(r" ([0-9][0-9a-z]*)\b")


def latin_words(word: str):
    """(text, start, end) of the words of one folded Latin run, offsets within the run.

    A run whose hyphen/dot-separated parts include a digit is a designator or number and is
    kept whole without separators (su-27 -> su27, 1.5 stays one token); a run of one-letter
    parts is an acronym (u.s. -> us); otherwise the parts are separate words
    (confidence-building -> confidence, building; china's -> china, s).

    >>> list(latin_words("su-27")), list(latin_words("1.5")), list(latin_words("u.s."))
    ([('su27', 0, 5)], [('1.5', 0, 3)], [('us', 0, 4)])
    >>> list(latin_words("confidence-building"))
    [('confidence', 0, 10), ('building', 11, 19)]
    """
    if _HAS_DIGIT.search(word):
        if "." in word and not re.search(r"[a-z]", word):
            yield word, 0, len(word)            # a decimal number: 1.5, 3.14
        else:
            yield re.sub(r"[-.'’]", "", word), 0, len(word)
        return
    parts = list(_PARTS_RE.finditer(word))
    if len(parts) > 1 and all(len(p.group()) == 1 for p in parts):
        yield "".join(p.group() for p in parts), 0, len(word)    # an acronym: u.s. -> us
        return
    for m in parts:
        yield m.group(), m.start(), m.end()


class LatinWordFilter(Filter):
    """Splits each Latin run into its words (``latin_words``), one position per word.

    >>> from search.analysis.runs import RunTokenizer
    >>> [(t.text, t.pos, t.startchar) for t in (RunTokenizer() | LatinWordFilter())(
    ...     "confidence-building U.S. Su-27", positions=True, chars=True)]
    [('confidence', 0, 0), ('building', 1, 11), ('us', 2, 20), ('su27', 3, 25)]
    """

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        shift = 0                   # positions added so far: later tokens move on by this
        for t in tokens:
            word = t.text
            if t.script is not LATIN or word.isalpha():     # not Latin, or one plain word
                if shift:
                    t.pos += shift
                yield t
                continue
            pieces = list(latin_words(word))
            start, positions, keep = t.startchar, t.positions, t.keep
            pos = t.pos + shift if positions else 0
            for k, (text, s, e) in enumerate(pieces):
                t.text = text
                t.startchar, t.endchar = start + s, start + e
                if positions:
                    t.pos = pos + k
                if keep:
                    t.original = t.source[start - t.origin + s:start - t.origin + e]
                yield t
            if positions:
                shift += len(pieces) - 1


class SpacedDesignatorFilter(Filter):
    """Adds the joined designator of a spaced one: a Latin run of 1-3 capitals followed by a
    space and a number (``SU 27``, ``F 16``) is followed by ``su27`` at the run's position,
    spanning both. It runs before ``LatinWordFilter`` (such a run is a single word) and the
    joined token is finished (``script`` ""), so later stages leave it whole.

    >>> from search.analysis.runs import RunTokenizer
    >>> [(t.text, t.pos, t.startchar, t.endchar) for t in (
    ...     RunTokenizer() | SpacedDesignatorFilter())("SU 27, su 27", positions=True, chars=True)]
    [('su', 0, 0, 2), ('su27', 0, 0, 5), ('27', 1, 3, 5), ('su', 2, 7, 9), ('27', 3, 10, 12)]
    """

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            nxt = None
            if t.script is LATIN and len(t.text) <= 3:
                s, e = t.startchar - t.origin, t.endchar - t.origin
                if _SPACED_DESIGNATOR.fullmatch(t.source[s:e]):
                    nxt = _NUMBER_AFTER.match(t.folded[e:e + 12])
            if nxt is None:
                yield t
                continue
            # later stages change the token we yield: keep what the joined one is made of
            text, start, end, pos = t.text, t.startchar, t.endchar, getattr(t, "pos", 0)
            yield t
            t.text, t.startchar, t.endchar = text + nxt.group(1), start, end + nxt.end()
            if t.positions:
                t.pos = pos
            if t.keep:
                t.original = t.source[s:e + nxt.end()]
            t.script = ""
            yield t
