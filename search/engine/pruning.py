"""Top k of a sum of weighted terms: every match counted in a numpy array, MaxScore-pruned.

A query that is a sum of weighted terms (plain words: an Or tree of Terms) adds its terms in
decreasing order of their factor, each term's contributions to a dense float64 array over the
generation's documents at once (`dense_top`). That is how a search runs: its true count and
facets need every matching document anyway. Once the k-th best score so far beats all the
remaining terms could add (MaxScore, `DensePruning`), no other document can enter the top
k: the remaining (common, long) terms then only mark their documents matched, and add
their contributions to the few candidates still in reach (at a million passages a
question's common terms are ~1M postings, each scored at ~10 arithmetic passes).

Without a count (`Engine.rank`: batch runs, the quality benchmark) the top k alone is
MaxScore-pruned the same way by `MaxScore.top`, which need not read the remaining terms'
postings out of reach (skipping posting blocks). All of them give the scores of
`Evaluator.run` and the same top k; the dense scoring and MaxScore sum in the same term
order, so bit for bit the same scores, pruned or not (tests/test_search.py checks it,
bench/pruning_check.py on a big index).
"""
from __future__ import annotations

import heapq
from bisect import bisect_left

import numpy as np

from search import ranking
from search.engine.postings import EMPTY, DocIds
from search.ranking import bm25_factor, bm25_length_norm
from search.whoosh_internals import is_block_matcher, term_extremes, term_postings

PRUNE_MIN_DF = 512    # shorter posting lists are cheaper to read than to prune
DENSE_LOOKUP = 8      # a pruned term is scanned, not skipped through, when it has fewer than
                      # this many postings per candidate (a skip costs ~8 scanned postings)
SATURATION_CACHE_LIMIT = 200_000   # terms whose bound a generation remembers


def top_k(evaluator, q, k: int, matched: set | None = None, count: bool = True
          ) -> tuple[list[tuple[int, float]], int | None]:
    """The k best (docnum, score) of query `q` and the number of matching documents: when
    `q` is a sum of weighted terms (and no explain trace is kept) `dense_top`, or MaxScore
    if no count is asked (`count` False, no `matched`: the number is None); else every
    match scored by `evaluator.run`. With `matched` (a set), every matching docnum is added
    to it (facets and counts over the whole result set)."""
    leaves = _flatten(q) if evaluator.trace is None else None
    if not leaves or k <= 0:
        acc = evaluator.run(q)
        if matched is not None:
            matched.update(acc)
        return top(acc, k, evaluator.pid), \
            len(acc) if count or matched is not None else None
    if count or matched is not None:
        return dense_top(evaluator, leaves, k, matched)
    return MaxScore(evaluator).top(leaves, k)


def dense_top(evaluator, leaves, k: int, matched: set | None = None):
    """The k best (docnum, score) of the sum of `leaves` ((field, text, weight)) and the
    number of matching documents (each added to `matched` when given), every term added
    into one float64 array in MaxScore's order (`MaxScore.infos`): each document's score is
    the same sum of the same values in the same order. Each term's documents go to the
    evaluator's `seen` for the word counts.

    MaxScore inside (`DensePruning`): once the k-th best score so far beats all that the
    terms still to add could give, only the documents still in reach are scored by the
    remaining (common, long) terms; the others are only marked matched, for the count.
    Their scores stay partial, but below the k-th best, so the top k and its scores are
    those of scoring everything."""
    acc, docs, candidates = _dense(evaluator, leaves, k)
    if matched is not None:
        matched.update(docs if isinstance(matched, Matched) else docs.tolist())
    among = docs if candidates is None else candidates
    return top_of_array(acc, among, k, evaluator.pid), len(docs)


def dense_scores(evaluator, q):
    """(scores, docs): every matching document's score (`evaluator.run`'s, bit for bit)
    in a float64 array over the docnums, and the ascending matching docnums; None when
    `q` is not a sum of weighted terms. The ranking's slow path (an order of every match:
    `results.Ranker`), without a dict of half a million scores."""
    leaves = _flatten(q) if evaluator.trace is None else None
    if not leaves:
        return None
    acc, docs, _candidates = _dense(evaluator, leaves, None)
    return acc, docs


def _dense(evaluator, leaves, k: int | None):
    """`dense_top`'s scoring: (scores, matching docnums, the docnums still in reach of the
    k best once pruning started, else None); `k` None scores every match fully."""
    s = evaluator.s
    size = s.doc_count_all()
    acc = np.zeros(size)
    hit = np.zeros(size, dtype=bool)
    ms = MaxScore(evaluator)
    infos = ms.infos(leaves)
    prune = DensePruning([ms.bound(f, field, text) for f, _df, field, text, _w in infos],
                         k) if k is not None else None
    for n, (factor, df, field, text, _weight) in enumerate(infos):
        k1, b, _power = ranking.term_params(text)
        avgfl = s.avg_field_length(field) or 1
        if prune is not None and prune.candidates is None and df > PRUNE_MIN_DF:
            prune.start(acc, n)
        parts = []
        if prune is None or prune.candidates is None:
            for ids, values in evaluator.contributions(field, text, factor, k1, b, avgfl):
                acc[ids] += values          # a term's ids are distinct: one addition each
                hit[ids] = True
                parts.append(ids)
        else:
            for ids, w, norms, offset in evaluator.term_postings(field, text, k1, b, avgfl):
                hit[ids] = True
                parts.append(ids)
                at = prune.among(ids)
                if len(at):
                    d = ids[at]
                    wd = w[at].astype(np.float64)
                    # the values `contributions` gives these documents, bit for bit
                    acc[d] += factor * wd / (wd + norms[d - offset if offset else d])
            prune.narrow(acc, n + 1)
            evaluator.pruned_terms += 1
        evaluator.seen[(field, text)] = TermIds(parts)
    return acc, np.flatnonzero(hit), None if prune is None else prune.candidates


class DensePruning:
    """MaxScore's bookkeeping for `dense_top`: the terms' bounds (`MaxScore.bound`), the
    k-th best score `theta` once pruning starts and the candidates still in reach."""

    def __init__(self, bounds: list[float], k: int):
        self.k = k
        self.remaining = [0.0] * (len(bounds) + 1)    # what terms n.. could still add
        for n in range(len(bounds) - 1, -1, -1):
            self.remaining[n] = self.remaining[n + 1] + bounds[n]
        self.candidates = None       # ascending docnums still in reach, once pruning
        self.theta = 0.0
        self._tried = None           # `remaining` when theta last fell short
        self._mask = None

    def start(self, acc: np.ndarray, n: int) -> None:
        """Start pruning before term n if the k-th best score so far reaches what terms
        n.. could add (tried again only once that has fallen by a quarter: each try is a
        partition of the whole array)."""
        remaining = self.remaining
        rest = remaining[n]
        # no score so far exceeds the bounds added so far: while those are below what is
        # still to add, the k-th best score cannot reach it either
        if remaining[0] - rest < rest or self.k <= 0 or len(acc) <= self.k:
            return
        if self._tried is not None and rest > 0.75 * self._tried:
            return
        reach = acc[acc >= rest]          # the k-th best is among them, if k are
        if len(reach) < self.k:
            self._tried = rest
            return
        theta = kth_largest(reach, self.k)
        if _cut(theta, rest) <= 0:
            self._tried = rest
            return
        self.theta = theta
        self.candidates = np.flatnonzero(acc >= _cut(theta, rest))

    def among(self, ids: np.ndarray) -> np.ndarray:
        """Positions in `ids` (one segment's ascending global docnums) of the candidates."""
        cands = self.candidates
        if len(cands) * DENSE_LOOKUP < len(ids):        # few candidates: binary search
            at = np.searchsorted(ids, cands)
            at[at == len(ids)] = 0
            return at[ids[at] == cands]
        if self._mask is None:
            self._mask = np.zeros(int(cands[-1]) + 1 if len(cands) else 0, dtype=bool)
            self._mask[cands] = True
        inside = ids[ids < len(self._mask)]
        return np.flatnonzero(self._mask[inside])

    def narrow(self, acc: np.ndarray, n: int) -> None:
        """Drop the candidates that can no longer reach theta with terms n.. to add."""
        cut = _cut(self.theta, self.remaining[n])
        if cut > 0:
            kept = self.candidates[acc[self.candidates] >= cut]
            if len(kept) < len(self.candidates):
                self.candidates, self._mask = kept, None


def _cut(theta: float, rest: float) -> float:
    """`_in_reach`'s cut: a hair below theta - rest, so float rounding can only keep a
    document too many, never drop one."""
    cut = theta - rest
    return cut - 1e-9 * (abs(theta) + abs(rest))


class Matched(DocIds):
    """The docnums a search matched (filled by `top_k`, empty before), as the ascending
    array the dense scoring found them in (`ids`, which the facet counts index with:
    `DocTable.counts`), not a Python set: a question matches half a million passages at
    a million, and the set alone took longer to build than scoring them."""

    def __init__(self):
        super().__init__(EMPTY)

    def update(self, docs) -> None:
        """Add `docs` (an ascending array, or any set of docnums) to the matched set."""
        self.ids = self.union(docs).ids
        self._set, self._asked = None, 0


def top_of_array(acc: np.ndarray, docs: np.ndarray, k: int, pid_of):
    """`top` of {d: acc[d] for d in docs}: the documents below the k-th best score left
    out first (they cannot be in the top k, nor tie at its cut)."""
    values = acc[docs]
    if len(docs) > k > 0:
        keep = values >= kth_largest(values, k)
        docs, values = docs[keep], values[keep]
    return top(dict(zip(docs.tolist(), values.tolist())), k, pid_of)


def kth_largest(values: np.ndarray, k: int) -> float:
    """The k-th largest of `values` (1 <= k <= len): a partition for the k-th smallest of
    the negated values, several times faster than one for the (n-k)-th smallest when
    many values are equal (a repeated corpus, zeros), where numpy's introselect slows."""
    return float(-np.partition(-values, k - 1)[k - 1])


class MaxScore:
    """One top-k run over `evaluator`'s searcher (its term scoring and length norms)."""

    def __init__(self, evaluator):
        self.evaluator = evaluator
        self.s = evaluator.s
        self.leaves = evaluator.leaves

    def _leaf_info(self, field, text, weight):
        s = self.s
        if field not in s.schema or not s.schema[field].scorable:
            return None
        df = s.doc_frequency(field, text)
        if not df:
            return None
        k1, _b, _power = ranking.term_params(text)
        factor = bm25_factor(s.idf(field, text), k1, weight)
        return factor, df, field, text, weight

    def infos(self, leaves) -> list[tuple]:
        """(factor, df, field, text, weight) of each scorable term of `leaves` the index
        holds, in the order their contributions are added: decreasing factor."""
        infos = [i for i in (self._leaf_info(*leaf) for leaf in leaves) if i]
        infos.sort(key=lambda i: -i[0])
        return infos

    def top(self, leaves, k):
        """The k best (docnum, score) of the sum of `leaves` ((field, text, weight)), and
        None for the number of matching documents (not worked out).

        Terms are added in decreasing order of their factor (so every score is summed in
        the same order whatever is pruned), and each is bounded by what it can add at most
        (`bound`: tighter than the factor). Once the k-th best score so far reaches the
        bounds of every term still to add, no other document can enter the top k: the
        remaining terms are looked up for the candidates still in reach only.
        """
        infos = self.infos(leaves)
        bounds = [self.bound(factor, field, text) for factor, _df, field, text, _w in infos]
        remaining = [0.0] * (len(infos) + 1)
        for n in range(len(infos) - 1, -1, -1):
            remaining[n] = remaining[n + 1] + bounds[n]
        acc: dict = {}
        candidates = None
        theta = 0.0
        for n, (factor, df, field, text, weight) in enumerate(infos):
            # (no score so far exceeds the bounds added so far: while those are below what
            # is still to add, the k-th best score cannot reach it either)
            if candidates is None and len(acc) >= k and df > PRUNE_MIN_DF \
                    and remaining[0] - remaining[n] >= remaining[n]:
                theta = heapq.nlargest(k, acc.values())[-1]
                if theta >= remaining[n]:
                    candidates = sorted(_in_reach(acc, acc, theta, remaining[n]))
            if candidates is None:
                self._score(field, text, factor, acc)
                continue
            self._lookup(field, text, weight, candidates, acc)
            if n + 1 < len(infos):
                candidates = _in_reach(candidates, acc, theta, remaining[n + 1])
        if candidates is not None:
            acc = {d: acc[d] for d in candidates}
        return top(acc, k, self._pid), None

    def _pid(self, docnum: int) -> str:
        return self.evaluator.pid(docnum)

    def bound(self, factor: float, field: str, text: str) -> float:
        """The most one term can add to a passage: `factor` * tf / (tf + norm) at the
        highest frequency and the shortest field length any of its postings has (per
        segment, from the term table; the saturation is cached per generation)."""
        cache = self.evaluator.cache.setdefault("saturation", {})
        sat = cache.get((field, text))
        if sat is None:
            if len(cache) >= SATURATION_CACHE_LIMIT:
                cache.clear()
            sat = cache[(field, text)] = self._saturation(field, text)
        return factor * sat

    def _saturation(self, field, text) -> float:
        s = self.s
        k1, b, _power = ranking.term_params(text)
        avgfl = s.avg_field_length(field) or 1
        sat = 0.0
        for sub, _offset in self.leaves:
            extremes = term_extremes(sub.reader(), field, text)
            if extremes is not None:
                top_tf, shortest = extremes
                norm = bm25_length_norm(k1, b, shortest, avgfl)
                sat = max(sat, top_tf / (top_tf + norm))
        # never above 1 (the factor); a hair above the exact value against float rounding
        return min(1.0, sat * (1 + 1e-9))

    def _score(self, field, text, factor, acc) -> None:
        """Add one term's contribution to every document it holds into `acc` (the values
        of `Evaluator.contributions`)."""
        k1, b, _power = ranking.term_params(text)
        avgfl = self.s.avg_field_length(field) or 1
        get = acc.get
        for ids, values in self.evaluator.contributions(field, text, factor, k1, b, avgfl):
            for key, v in zip(ids.tolist(), values.tolist()):
                acc[key] = get(key, 0.0) + v

    def _lookup(self, field, text, weight, candidates, acc):
        """Add one term's contribution to `candidates` (sorted global docnums).

        When the candidates are many next to the term's postings (two common words), its
        decoded postings are searched for them; when they are few, the matcher skips to
        each of them instead (most posting blocks are then never read).
        """
        s = self.s
        ev = self.evaluator
        k1, b, _power = ranking.term_params(text)
        factor = bm25_factor(s.idf(field, text), k1, weight)
        avgfl = s.avg_field_length(field) or 1
        for sub, offset in self.leaves:
            reader = sub.reader()
            size = reader.doc_count_all()
            lo = bisect_left(candidates, offset)
            hi = bisect_left(candidates, offset + size, lo)
            local = candidates[lo:hi] if not offset else [d - offset for d in candidates[lo:hi]]
            if not local:
                continue
            m, deleted = term_postings(reader, field, text)
            if m is None:
                continue
            norms = ev.length_norms(reader, offset, field, k1, b, avgfl)
            if not is_block_matcher(m) or \
                    len(local) * DENSE_LOOKUP > reader.doc_frequency(field, text):
                ids, w = ev.postings.segment(reader, offset, field, text)
                want = np.array(local, dtype=np.int64)
                at = np.searchsorted(ids, want)
                at[at == len(ids)] = 0
                found = ids[at] == want
                at, want = at[found], want[found]
                values = factor * w[at] / (w[at] + norms[want])
                for d, v in zip((want + offset).tolist(), values.tolist()):
                    acc[d] += v
                continue
            for d in local:
                if not m.is_active():
                    break
                m.skip_to(d)
                if m.is_active() and m.id() == d and d not in deleted:
                    w = m.weight()
                    acc[d + offset] += factor * w / (w + float(norms[d]))


class TermIds:
    """A term's documents as the global docnum arrays of its segments, joined into one
    `DocIds` only if the word counts ask (`Evaluator.ids`): most searches never do for most
    terms."""

    def __init__(self, parts: list):
        self.parts = parts


def _in_reach(docs, acc: dict, theta: float, rest: float) -> list:
    """The documents of `docs` whose score so far plus `rest` (what the terms still to add
    could give) reaches `theta`, in `docs` order. The comparison is made against one cut
    a hair below theta - rest, so float rounding can only keep a document too many (which
    is then scored in full), never drop one."""
    cut = theta - rest
    cut -= 1e-9 * (abs(theta) + abs(rest))
    if cut <= 0:
        return list(docs)
    if docs is acc:
        return [d for d, v in acc.items() if v >= cut]
    get = acc.__getitem__
    return [d for d in docs if get(d) >= cut]


def _flatten(q, weight: float = 1.0):
    """[(field, text, weight)] when `q` is an Or tree of Terms (a sum of weighted terms),
    else None."""
    from whoosh import query as wq

    kind = type(q)
    if kind is wq.Term:
        return [(q.fieldname, q.text, weight * q.boost)]
    if kind is wq.Or and q.scale is None:
        out = []
        for sub in q.subqueries:
            part = _flatten(sub, weight * q.boost)
            if part is None:
                return None
            out.extend(part)
        merged: dict = {}
        for field, text, w in out:
            merged[(field, text)] = merged.get((field, text), 0.0) + w
        return [(f, t, w) for (f, t), w in merged.items()]
    return None


def top(acc: dict, n: int, pid_of) -> list[tuple[int, float]]:
    """The n best (docnum, score); equal scores in passage id order (`pid_of(docnum)`).

    Not in docnum order: an update numbers documents differently from a fresh build of the
    same files (a changed file's passages move to a new segment), and both must rank alike.
    Only the documents tied with another one in the result, or at the cut, are looked up.
    """
    from collections import Counter

    best = heapq.nsmallest(n, acc.items(), key=lambda kv: (-kv[1], kv[0]))
    if not best:
        return best
    cut = best[-1][1]
    pool = [kv for kv in best if kv[1] != cut] + [(d, v) for d, v in acc.items() if v == cut]
    ties = Counter(v for _, v in pool)
    if len(ties) == len(pool):
        return best
    pool.sort(key=lambda kv: (-kv[1], pid_of(kv[0]) if ties[kv[1]] > 1 else ""))
    return pool[:n]
