"""How the passages nearest a query's vector join the word ranking.

Candidates are the word ranking's first ones (BM25F with the proximity and coverage
re-ranks) and the SEMANTIC_DEPTH passages nearest the query vector, within the query's
filters. Each list is scaled to 0..1 on its own (word scores by the best one; similarities
between the depth-th and the best), and a candidate's score is the weighted sum
(1 - SEMANTIC_WEIGHT) * words + SEMANTIC_WEIGHT * meaning, a passage absent from the word
ranking scoring 0 for words. Linear fusion of normalised scores kept more of the word
ranking's strength on the monolingual sets than reciprocal-rank fusion (docs/benchmarks.md).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search import ranking
from search.semantic import encoder, language


@dataclass
class Nearness:
    """The query's similarity to every row (docnum) of the generation, and its nearest
    allowed passages (docnum, similarity), best first."""

    sims: np.ndarray
    nearest: list[tuple[int, float]]


def nearness(matrix, text: str, allowed=None, depth: int | None = None) -> Nearness | None:
    """`allowed`: the docnums the filters let through (None: every passage)."""
    text = text.strip()
    if not text:
        return None
    depth = depth or ranking.SEMANTIC_DEPTH
    q = language.center_query(encoder.query(text), text)
    sims = np.asarray(matrix @ q, dtype=np.float64)
    if allowed is not None:
        idx = np.fromiter(allowed, dtype=np.int64, count=len(allowed))
        pool = idx[np.abs(sims[idx]) > 0] if len(idx) else idx
    else:
        pool = np.flatnonzero(sims != 0)       # zero rows: article records, deletions
    if not len(pool):
        return Nearness(sims, [])
    k = min(depth, len(pool))
    part = pool[np.argpartition(-sims[pool], k - 1)[:k]]
    best = part[np.lexsort((part, -sims[part]))]
    return Nearness(sims, [(int(d), float(sims[d])) for d in best])


def fuse(ranked: list[tuple[int, float]], near: Nearness | None,
         weight: float | None = None, tie=None) -> tuple[list[tuple[int, float]], set[int]]:
    """(docnum, fused score) of the candidates, best first (ties by `tie(docnum)`, the
    passage id, as everywhere else), and the docnums that came from the vectors alone."""
    weight = ranking.SEMANTIC_WEIGHT if weight is None else weight
    if near is None or not near.nearest or weight <= 0:
        return ranked, set()
    words = dict(ranked)
    top_words = max(words.values()) if words else 0.0
    hi = near.nearest[0][1]
    lo = near.nearest[-1][1] if len(near.nearest) > 1 else hi - 1.0
    span = hi - lo if hi > lo else 1.0
    cands = set(words) | {d for d, _ in near.nearest}

    def meaning(d: int) -> float:
        return max(0.0, (float(near.sims[d]) - lo) / span)

    fused = {d: (1 - weight) * (words.get(d, 0.0) / top_words if top_words > 0 else 0.0)
             + weight * meaning(d) for d in cands}
    tie = tie or (lambda d: d)
    order = sorted(fused.items(), key=lambda kv: (-kv[1], tie(kv[0])))
    return order, cands - set(words)
