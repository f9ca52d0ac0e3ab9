"""The first stage: folded text cut into CJK runs and Latin runs.

Every later stage splits or adds to these runs, so this is where the two guarantees of the
pipeline are set up: token text is the *folded* form, and ``startchar``/``endchar`` index the
*original* string (fold never changes length).

What a token carries between stages (the pipeline reuses one Whoosh ``Token``, as Whoosh's
own tokenizers do):

* ``script``: ``CJK`` or ``LATIN`` for a run a later stage may still split, ``""`` for a
  finished token (``tokenize=False``'s whole value, a joined designator);
* ``startchar``/``endchar``: always set on runs (the Latin stages read them), whatever
  ``chars`` says; the CJK stages keep them exact on their tokens when ``chars`` or
  ``keeporiginal`` is on;
* ``source``, ``folded``, ``origin``, ``keep``: the original and folded text of the call,
  ``start_char``, and ``keeporiginal`` (for stages that look past their token or set
  ``original``).

Positions: a run takes one position; a stage that splits a token into n tokens gives them
consecutive positions from the token's own and moves every later token on by n - 1; a stage
that adds a token at the same position (a sub-word, a joined designator) moves nothing.
"""
from __future__ import annotations

import re

from whoosh.analysis import Tokenizer
from whoosh.analysis.acore import Token

from search.analysis.folding import CJK_CHARS, fold

CJK = "cjk"
LATIN = "latin"

# A run is either CJK characters or a Latin/digit word (hyphens and dots kept inside words
# so designators can be recognised); anything else (punctuation, space) separates runs.
_RUN_RE = re.compile(rf"([{CJK_CHARS}]+)|([a-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+"
                     rf"(?:[-.'’][a-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+)*)")


class RunTokenizer(Tokenizer):
    """Folds the text and yields its CJK runs and Latin runs (punctuation and spaces
    separate runs; hyphens, dots and apostrophes inside a Latin word do not).

    >>> [(t.text, t.script, t.startchar, t.endchar)
    ...  for t in RunTokenizer()("聯合軍演與Su-27戰機。", chars=True)]
    [('联合军演与', 'cjk', 0, 5), ('su-27', 'latin', 5, 10), ('战机', 'cjk', 10, 12)]

    ``tokenize=False`` yields the whole folded value as one finished token.
    """

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        folded = fold(value)
        if not tokenize:
            t.original = t.text = folded
            t.script = ""
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        t.source, t.folded, t.origin, t.keep = value, folded, start_char, keeporiginal
        pos = start_pos
        for m in _RUN_RE.finditer(folded):
            s, e = m.span()
            t.text = m.group()
            t.script = CJK if m.lastindex == 1 else LATIN
            t.startchar, t.endchar = start_char + s, start_char + e
            if positions:
                t.pos = pos
                pos += 1
            if keeporiginal:
                t.original = value[s:e]
            yield t
