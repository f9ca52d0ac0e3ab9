"""Coverage rerank: a passage holding every word of the query beats one holding some of them
many times.

BM25F sums its words' scores, so one long or repeated word can outweigh the others: the
passages naming 中俄睦鄰友好合作條約 twice beat the one quoting 第九條 of it for
`中俄睦鄰友好合作條約 第九條`; a passage whose body holds two words of a cited work beats
the one whose note holds all four. After the proximity rerank, each of the best
`ranking.PROXIMITY_DEPTH` passages of a query of two to `COVERAGE_MAX_WORDS` words, one
of them Chinese, keeps
``1 - COVERAGE_WEIGHT * (share of the words it lacks)`` of its score. A word counts as held
when the passage's text, its notes, its title, section or venue hold it (or one of its
glossary alternatives or translations), found as the
snippets find words (`Highlighter`: folded substrings for Chinese, stems for English), so
the words a reader sees marked are the words that count.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from search import ranking
from search.analysis import CJK_CHARS

_CJK = re.compile(f"[{CJK_CHARS}]")


@dataclass
class HeldWord:
    """One word of the query as the rerank looks for it: `terms` as the snippets mark them,
    `units` the `units` terms that also spell it (第九條 for 第 9 條)."""

    text: str
    terms: list[str]
    units: list[str] = field(default_factory=list)


def word_terms(plan) -> list[HeldWord]:
    """For each plain word of the query with something to search (`plan.words`: a
    number typed over several words is one), the folded terms that show a passage holds
    it: the word itself, its main tokens, its glossary alternatives and its translations;
    and its units. Words of an OR group take no part."""
    from search.analysis import fold
    from search.query.plan import AnyMatch, WordMatch

    grouped = {id(m) for m in plan.optional + plan.required if isinstance(m, AnyMatch)
               for m in _members(m)}
    found = []
    for w in plan.words:
        m = w.match
        if not isinstance(m, WordMatch) or not m.tokens or id(m) in grouped:
            continue
        word = fold(w.text)
        terms = [word] + [t.text for t in m.tokens]
        # the word in the other language or the glossary's other terms holds it too
        terms += [fold(a.term) for a in m.alternatives + [a for t in m.tokens
                                                          for a in t.alternatives]]
        terms += [fold(c.text) for tset in plan.translations
                  if fold(tset.text) in word or word in fold(tset.text)
                  for c in tset.candidates]
        found.append(HeldWord(word, terms, list(w.units)))
    return found


def _members(group):
    from search.query.plan import AnyMatch

    for m in group.members:
        yield m
        if isinstance(m, AnyMatch):
            yield from _members(m)


class Light:
    """Whether a text holds one HeldWord: its terms found as the snippets find them
    (`Highlighter`), or one of its units in the text's own units (第九條 = 第9条)."""

    def __init__(self, word: HeldWord):
        from search.engine.snippets import Highlighter

        self.marks = Highlighter(word.terms)
        self.units = set(word.units)

    def holds(self, text: str) -> bool:
        if self.marks.spans(text):
            return True
        if not self.units or not text:
            return False
        from search.analysis import fold
        from search.analysis.units import units

        return any(u in self.units for _s, _e, u in units(fold(text)))


def lights(words: list[HeldWord]) -> list[Light]:
    return [Light(w) for w in words]


def rerank(ranked: list[tuple[int, float]], words: list[HeldWord], stored_of):
    """`ranked` (docnum, score) with the first PROXIMITY_DEPTH scaled by their coverage of
    `words` (`word_terms`), best first; unchanged for a query of fewer than two words."""
    weight = ranking.COVERAGE_WEIGHT
    if not applies(words) or not weight or not ranked:
        return ranked
    found = lights(words)
    depth = ranking.PROXIMITY_DEPTH
    head = []
    for d, score in ranked[:depth]:
        head.append((d, score * factor(held(stored_of(d), found), len(words))))
    head.sort(key=lambda kv: -kv[1])
    rest = ranked[depth:]
    if rest and head and head[-1][1] < rest[0][1]:
        # the scaled head must still rank above the unscaled rest: the rest keep their order
        # below it (they were below the head's unscaled scores)
        floor = rest[0][1]
        head = [(d, max(s, floor)) for d, s in head]
    return head + rest


def applies(words: list[HeldWord]) -> bool:
    """A keyword query: 2..COVERAGE_MAX_WORDS words, none longer than
    COVERAGE_MAX_WORD_CHARS, Chinese in it. Questions rank better by BM25's own sum (dev:
    squad -0.001, cran -0.018, the even half of cmrc-s -0.0007 with the rerank)."""
    return 2 <= len(words) <= ranking.COVERAGE_MAX_WORDS and any(
        _CJK.search(w.text) for w in words) and all(
        len(w.text) <= ranking.COVERAGE_MAX_WORD_CHARS for w in words)


def factor(held_words: int, words: int) -> float:
    """What a passage holding `held_words` of `words` keeps of its score."""
    return 1 - ranking.COVERAGE_WEIGHT * (1 - held_words / words)


def held(stored: dict, found: list[Light]) -> int:
    """How many of the words (one `Light` each) the passage's stored fields hold."""
    texts = _texts(stored)
    return sum(1 for light in found if any(light.holds(t) for t in texts))


def _texts(stored: dict) -> list[str]:
    meta = json.loads(stored.get("meta") or "{}")
    return [stored.get("text", ""), meta.get("title", ""), " ".join(meta.get("section") or []),
            meta.get("venue", "")] + [f[1] for f in meta.get("footnotes", []) if f[1]]
