"""Proximity rerank: passages where the query's words stand together rank higher.

BM25 scores every word and bigram on its own, so a passage repeating 會議 and 舉行 can beat
the one that says 南寧會議 once. After BM25, the best `ranking.PROXIMITY_DEPTH` passages get
a bonus for each piece of the query found *contiguous* in their text:

* Chinese: each character trigram of the query (two overlapping bigrams side by side),
  worth the lower IDF of its two bigrams, so a trigram counts as much as its commonest part:
  南寧會 counts fully, 寧會議 only as much as 會議.
* English: each pair of content words of the query at most `ranking.PROXIMITY_LATIN_SPAN`
  apart in the query (adjacent, or with one content word between), found in that order in
  the passage with at most two words between (``capital ... France``), worth the lower IDF
  of the two words.

The text is the stored passage folded with `analysis.fold`, so scripts and widths still
meet. Measured on the dev split: drcd-t +0.004, squad +0.010, cran +0.013 MRR@10.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from search import ranking
from search.analysis import CJK_CHARS, ENGLISH_STOP_WORDS, english_term

_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_DESIGNATOR = re.compile(r"\b[a-z]{1,4}[-.]?[0-9]+[a-z0-9]*\b")


@dataclass
class Proximity:
    """What to look for in a candidate's folded text, each with its weight."""

    trigrams: dict[str, float] = field(default_factory=dict)
    pairs: list[tuple[re.Pattern, float]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.trigrams or self.pairs)

    def bonus(self, folded_text: str) -> float:
        total = sum(w for t, w in self.trigrams.items() if t in folded_text)
        for pattern, w in self.pairs:
            if pattern.search(folded_text):
                total += w
        return total


def features(texts: list[str], doc_frequency, doc_count: int) -> Proximity:
    """Proximity features of the query's plain-word clauses (folded, question words
    blanked). `doc_frequency(field, term)` and `doc_count` come from the searcher."""
    prox = Proximity()
    for text in texts:
        for run in _CJK_RUN.findall(text):
            for i in range(len(run) - 2):
                tri = run[i:i + 3]
                if tri in prox.trigrams:
                    continue
                rarer = min(ranking.idf(doc_frequency("grams", tri[:2]), doc_count),
                            ranking.idf(doc_frequency("grams", tri[1:]), doc_count))
                prox.trigrams[tri] = ranking.PROXIMITY_WEIGHTS["cjk"] * rarer
    # English words are separate clauses of the query: pair them across clauses, in order.
    # A designator (su-27) is one word of the query, not a pair: its parts stand together
    # in its variants too (Su-27SM), which must not get the bonus of the exact designator.
    words = [w for w in _LATIN_WORD.findall(_DESIGNATOR.sub(" ", " ".join(texts)))
             if w not in ENGLISH_STOP_WORDS and len(w) > 1]
    pairs = [(a, b) for gap in range(1, ranking.PROXIMITY_LATIN_SPAN + 1)
             for a, b in zip(words, words[gap:])]
    for a, b in pairs:
        rarer = min(ranking.idf(doc_frequency("body", english_term(a)), doc_count),
                    ranking.idf(doc_frequency("body", english_term(b)), doc_count))
        pattern = re.compile(rf"\b{re.escape(a)}\w*\W+(?:\w+\W+){{0,2}}?{re.escape(b)}")
        prox.pairs.append((pattern, ranking.PROXIMITY_WEIGHTS["latin"] * rarer))
    return prox


def rerank(ranked: list[tuple[int, float]], prox: Proximity, text_of) -> list[tuple[int, float]]:
    """Add the proximity bonus to the first `PROXIMITY_DEPTH` of `ranked` (docnum, score),
    best first; the rest keep their order below them (a bonus only ever raises a score, so
    the list stays sorted)."""
    if not prox or not ranked:
        return ranked
    depth = ranking.PROXIMITY_DEPTH
    from search.engine.snippets import fold_passage

    head = [(d, score + prox.bonus(fold_passage(text_of(d)))) for d, score in ranked[:depth]]
    head.sort(key=lambda kv: -kv[1])     # stable: ties keep BM25's (passage id) order
    return head + ranked[depth:]
