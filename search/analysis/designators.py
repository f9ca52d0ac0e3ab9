"""Designator families and Chinese transliterations of designator prefixes.

Two rules, no entry per aircraft:

* **Suffix rule.** A designator is 1-4 letters, a number, then an optional suffix of
  letters and digits (``su27sm``, ``su30mkk``, ``s300pmu``, ``tu22m3``); ``base`` is the
  prefix and number, ``family`` that with ``*``: every designator of a text gives its
  family token to the ``units`` field (``designator_units``), and the query builder looks
  a designator up exactly and, at ``ranking.DESIGNATOR_FAMILY_WEIGHT``, as its family
  (``Su-27`` -> su27*: Su-27SM, Su-27UBK; ``Su-27SM`` -> su27*: Su-27), so each finds the
  others below its exact matches.
* **Transliteration table.** Chinese texts write the prefix in characters: 蘇愷27, 蘇愷 27,
  蘇愷-27, 苏-27. ``TRANSLITERATIONS`` maps the folded prefix to the Latin one; such a
  prefix directly before a number of two or more digits (a space or hyphen between allowed)
  is that designator (``transliterated``: 蘇愷 27 -> su27, in the ``units`` field). Two
  digits at least, so 圖 1 (figure 1) stays a figure.
"""
from __future__ import annotations

import re

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


def base(token: str) -> str | None:
    """The prefix and number of a designator token (su27sm -> su27, su27 -> su27), None
    for anything else.

    >>> [base(t) for t in ("su27sm", "tu22m3", "su27", "russia", "1990")]
    ['su27', 'tu22', 'su27', None, None]
    """
    m = _DESIGNATOR.fullmatch(token)
    return f"{m.group(1)}{m.group(2)}" if m else None


def transliterated(folded: str):
    """(start, end, designator) of each transliterated designator in folded text.

    >>> [d for _s, _e, d in transliterated("苏恺27 苏恺 30 苏-27sm 图-95ms 如图 1 米格29")]
    ['su27', 'su30', 'su27sm', 'tu95ms', 'mig29']
    """
    for m in _TRANSLITERATED.finditer(folded):
        yield m.start(), m.end(), TRANSLITERATIONS[m.group(1)] + m.group(2) + (m.group(3) or "")


_LATIN_DESIGNATOR = re.compile(r"(?<![a-z0-9\-])([a-z]{1,4})-?([0-9]{1,4})([a-z][a-z0-9]*)?(?![a-z0-9])")


def family(token: str) -> str | None:
    """The family token of a designator (su27sm -> su27*, su27 -> su27*), None otherwise.

    >>> [family(t) for t in ("su27", "su27sm", "s300pmu", "1990", "russia")]
    ['su27*', 'su27*', 's300*', None, None]
    """
    b = base(token)
    return b + "*" if b else None


def designator_units(folded: str):
    """(start, end, token) of what the `units` field holds for designators in folded text:
    each transliterated designator (蘇愷 27 -> su27) and every designator's family (su27*).

    >>> [u for _s, _e, u in designator_units("su-27sm 与 苏恺 27、s-300")]
    ['su27*', 'su27', 'su27*', 's300*']
    """
    found = []
    for m in _LATIN_DESIGNATOR.finditer(folded):
        found.append((m.start(), m.end(), f"{m.group(1)}{m.group(2)}*"))
    for start, end, d in transliterated(folded):
        found.append((start, end, d))
        found.append((start, end, family(d)))
    return sorted(found)
