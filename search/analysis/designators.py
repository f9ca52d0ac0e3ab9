"""Designator families and Chinese transliterations of designator prefixes.

Two rules, no entry per aircraft:

* **Suffix rule.** A designator is 1-4 letters, a number, then an optional suffix of
  letters and digits (``su27sm``, ``su30mkk``, ``s300pmu``, ``tu22m3``). One with a suffix
  also gives its family token, the prefix and number with ``*`` (``su27sm`` -> ``su27*``).
  The query builder looks a designator up exactly and, at
  ``ranking.DESIGNATOR_FAMILY_WEIGHT``, as its family (``Su-27`` -> ``su27*``: the
  variants) and, for a variant, as its base (``Su-27SM`` -> ``su27``, ``su27*``): each
  finds the others below its exact matches, and an exact match is never counted twice.
* **Transliteration table.** Chinese texts write the prefix in characters: 蘇愷27, 蘇愷 27,
  蘇愷-27, 苏-27. ``TRANSLITERATIONS`` maps the folded prefix to the Latin one; such a
  prefix directly before a number of two or more digits (a space or hyphen between allowed)
  gives the Latin designator (蘇愷 27 -> ``su27``; 苏-27SM -> ``su27sm``, ``su27*``). Two
  digits at least, so 圖 1 (figure 1) stays a figure.
"""
from __future__ import annotations

import re

from whoosh.analysis import Filter

from search.analysis.runs import LATIN

# Folded (Simplified) transliteration -> Latin prefix. Longest first when matching.
TRANSLITERATIONS = {
    "苏恺": "su", "苏愷": "su", "苏霍伊": "su", "苏凯": "su", "苏": "su",   # Sukhoi
    "图波列夫": "tu", "图": "tu",                                          # Tupolev
    "伊留申": "il", "伊尔": "il",                                          # Ilyushin
    "米格": "mig",                                                         # Mikoyan-Gurevich
    "卡莫夫": "ka", "卡": "ka",                                            # Kamov
    "雅克": "yak",                                                         # Yakovlev
}
_PREFIXES = "|".join(sorted(TRANSLITERATIONS, key=len, reverse=True))
_TRANSLITERATED = re.compile(rf"({_PREFIXES})[ \-]?([0-9]{{2,4}})([a-z][a-z0-9]*)?(?![0-9])")
_DESIGNATOR = re.compile(r"([a-z]{1,4})([0-9]{1,4})([a-z0-9]*)")


def family(token: str) -> str | None:
    """The family token of a designator token, None for anything else.

    >>> [family(t) for t in ("su27", "su27sm", "s300pmu", "tu22m3", "1990", "russia", "su*")]
    ['su27*', 'su27*', 's300*', 'tu22*', None, None, None]
    """
    m = _DESIGNATOR.fullmatch(token)
    return f"{m.group(1)}{m.group(2)}*" if m else None


def base(token: str) -> str | None:
    """The base designator of a variant (su27sm -> su27), None for anything else.

    >>> [base(t) for t in ("su27sm", "tu22m3", "su27", "russia")]
    ['su27', 'tu22', None, None]
    """
    m = _DESIGNATOR.fullmatch(token)
    return f"{m.group(1)}{m.group(2)}" if m and m.group(3) else None


def transliterated(folded: str):
    """(start, end, designator) of each transliterated designator in folded text.

    >>> [d for _s, _e, d in transliterated("苏恺27 苏恺 30 苏-27sm 图-95ms 如图 1 米格29")]
    ['su27', 'su30', 'su27sm', 'tu95ms', 'mig29']
    """
    for m in _TRANSLITERATED.finditer(folded):
        yield m.start(), m.end(), TRANSLITERATIONS[m.group(1)] + m.group(2) + (m.group(3) or "")


class TransliteratedDesignatorFilter(Filter):
    """Adds the Latin designator of a transliterated one (``transliterated``) as a finished
    token after the CJK run its prefix ends, at that run's position, spanning prefix and
    number. It runs on the runs (the prefix is CJK, the number Latin).

    >>> from search.analysis.runs import RunTokenizer
    >>> [(t.text, t.startchar, t.endchar) for t in (RunTokenizer()
    ...     | TransliteratedDesignatorFilter())("蘇愷 27", chars=True)]
    [('苏恺', 0, 2), ('su27', 0, 5), ('27', 3, 5)]
    """

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        found = None
        for t in tokens:
            if found is None:
                folded = getattr(t, "folded", None)
                found = list(transliterated(folded)) if t.script and folded else []
            if not found or not t.script or t.script is LATIN:
                yield t
                continue
            s, e = t.startchar - t.origin, t.endchar - t.origin
            mine = [f for f in found if s <= f[0] < e]
            if not mine:
                yield t
                continue
            pos = getattr(t, "pos", 0)
            yield t
            for start, end, text in mine:
                t.text, t.script = text, ""
                t.startchar, t.endchar = t.origin + start, t.origin + end
                if t.positions:
                    t.pos = pos
                if t.keep:
                    t.original = t.source[start:end]
                yield t


class DesignatorFamilyFilter(Filter):
    """Adds after each designator variant (a suffix after its number) its family token
    (``family``) at the same position, with the same offsets. It runs after the Latin
    stages, when designators are whole.

    >>> from search.analysis.runs import RunTokenizer
    >>> from search.analysis.latin import LatinWordFilter
    >>> [(t.text, t.pos) for t in (RunTokenizer() | LatinWordFilter()
    ...     | DesignatorFamilyFilter())("Su-27SM and S-300", positions=True)]
    [('su27sm', 0), ('su27*', 0), ('and', 1), ('s300', 2)]
    """

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            fam = family(text) if text.isascii() and not text.isalpha() and base(text) \
                else None
            if fam is None:
                yield t
                continue
            # later stages change the token we yield (its position moves on): keep ours
            script, pos, start, end = t.script, getattr(t, "pos", 0), t.startchar, t.endchar
            yield t
            t.text, t.script, t.startchar, t.endchar = fam, "", start, end
            if t.positions:
                t.pos = pos
            yield t
            t.script = script
