"""How the passages nearest a query's vector join the word ranking.

Candidates are the word ranking's first ones (BM25F with the proximity and coverage
re-ranks) and the SEMANTIC_DEPTH passages nearest the query vector, within the query's
filters. A passage's meaning score is its similarity to the query plus the cross-language
bonus (search.semantic.language.cross_bonus). Each list is scaled to 0..1 on its own (word
scores by the best one; meaning scores between the depth-th and the best), and a
candidate's score is (1 - w) * words + w * meaning, w = ranking.SEMANTIC_WEIGHT of the
query's language, a passage absent from the word ranking scoring 0 for words. Linear fusion
of normalised scores kept more of the word ranking's strength on the monolingual sets than
reciprocal-rank fusion (docs/benchmarks.md).
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

    sims: np.ndarray            # similarity plus the cross-language bonus
    nearest: list[tuple[int, float]]
    weight: float               # ranking.SEMANTIC_WEIGHT for this query
    plain: np.ndarray | None = None     # the similarity alone


def nearness(vectors, text: str, allowed=None, depth: int | None = None) -> Nearness | None:
    """`vectors`: a generation's (search.semantic.vectors.Vectors); `allowed`: the docnums
    the filters let through (None: every passage)."""
    text = text.strip()
    if not text:
        return None
    depth = depth or ranking.SEMANTIC_DEPTH
    weight = language.by_language(text, ranking.SEMANTIC_WEIGHT["zh"],
                                  ranking.SEMANTIC_WEIGHT["en"])
    q = language.center_query(encoder.query(text), text)
    plain = np.asarray(vectors.matrix @ q, dtype=np.float64)
    live = plain != 0                   # zero rows: article records, deletions
    sims = np.where(live, plain + language.cross_bonus(text, vectors.zh), 0.0)
    if allowed is not None:
        idx = np.fromiter(allowed, dtype=np.int64, count=len(allowed))
        pool = idx[live[idx]] if len(idx) else idx
    else:
        pool = np.flatnonzero(live)
    if not len(pool):
        return Nearness(sims, [], weight, plain)
    k = min(depth, len(pool))
    part = pool[np.argpartition(-sims[pool], k - 1)[:k]]
    best = part[np.lexsort((part, -sims[part]))]
    return Nearness(sims, [(int(d), float(sims[d])) for d in best], weight, plain)


def fuse(ranked: list[tuple[int, float]], near: Nearness | None,
         weight: float | None = None, tie=None) -> tuple[list[tuple[int, float]], set[int]]:
    """(docnum, fused score) of the candidates, best first (ties by `tie(docnum)`, the
    passage id, as everywhere else), and the docnums that came from the vectors alone."""
    if near is None or not near.nearest:
        return ranked, set()
    weight = near.weight if weight is None else weight
    if weight <= 0:
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
    # equal fused scores: the better word score first (the best word match and the nearest
    # passage tie exactly at a weight of 0.5), then the passage id as everywhere
    order = sorted(fused.items(), key=lambda kv: (-kv[1], -words.get(kv[0], 0.0),
                                                  tie(kv[0])))
    return order, cands - set(words)
