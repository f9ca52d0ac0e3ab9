"""MaxScore top-k: the k best passages of a sum of weighted terms without scoring them all.

A query that is a sum of weighted terms (plain words: an Or tree of Terms) is scored
MaxScore-style: terms in decreasing order of their highest possible contribution; once the
k-th best score so far beats everything the remaining terms could add, no new document can
enter the top k, so the remaining (common, long) terms are only looked up for the few
candidates still in reach (skipping posting blocks), and read for their document ids alone to
keep the total exact. Same scores as `Evaluator.run` (tests/test_search.py checks it).
"""
from __future__ import annotations

import heapq
from bisect import bisect_left

from search import ranking
from search.ranking import bm25_factor, bm25_length_norm
from search.whoosh_internals import (block_weights, is_block_matcher, posting_blocks,
                                     term_extremes, term_postings)

PRUNE_MIN_DF = 512    # shorter posting lists are cheaper to read than to prune
DENSE_LOOKUP = 8      # a pruned term is scanned, not skipped through, when it has fewer than
                      # this many postings per candidate (a skip costs ~8 scanned postings)
SATURATION_CACHE_LIMIT = 200_000   # terms whose bound a generation remembers


def top_k(evaluator, q, k: int, matched: set | None = None, count: bool = True
          ) -> tuple[list[tuple[int, float]], int | None]:
    """The k best (docnum, score) of query `q` and the number of matching documents:
    MaxScore when `q` is a sum of weighted terms (and no explain trace is kept), else every
    match scored by `evaluator.run`. With `matched` (a set), every matching docnum is added
    to it (facets and counts over the whole result set)."""
    leaves = _flatten(q) if evaluator.trace is None else None
    if not leaves or k <= 0:
        acc = evaluator.run(q)
        if matched is not None:
            matched.update(acc)
        return top(acc, k, evaluator.pid), \
            len(acc) if count or matched is not None else None
    return MaxScore(evaluator).top(leaves, k, matched, count)


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

    def top(self, leaves, k, matched: set | None = None, count: bool = True):
        """The k best (docnum, score) of the sum of `leaves` ((field, text, weight)), and
        the number of matching documents (each added to `matched` when given; with
        `count` False and no `matched`, the total is not worked out: None).

        Terms are added in decreasing order of their factor (so every score is summed in
        the same order whatever is pruned), and each is bounded by what it can add at most
        (`bound`: tighter than the factor). Once the k-th best score so far reaches the
        bounds of every term still to add, no other document can enter the top k: the
        remaining terms are looked up for the candidates still in reach only.
        """
        infos = [i for i in (self._leaf_info(*leaf) for leaf in leaves) if i]
        infos.sort(key=lambda i: -i[0])
        bounds = [self.bound(factor, field, text) for factor, _df, field, text, _w in infos]
        remaining = [0.0] * (len(infos) + 1)
        for n in range(len(infos) - 1, -1, -1):
            remaining[n] = remaining[n + 1] + bounds[n]
        acc: dict = {}
        candidates = None
        theta = 0.0
        pruned: list | None = [] if count or matched is not None else None
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
            self._lookup(field, text, weight, candidates, acc, pruned)
            if n + 1 < len(infos):
                candidates = _in_reach(candidates, acc, theta, remaining[n + 1])
        total = None
        if pruned is not None:
            found = matched if matched is not None else set()
            found.update(acc)
            _add_pruned(found, pruned)
            total = len(found)
        if candidates is not None:
            acc = {d: acc[d] for d in candidates}
        return top(acc, k, self._pid), total

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
        """Add one term's contribution to every document it holds into `acc` (as
        `Evaluator.term` scores it, without a dict of its own); its documents go to the
        evaluator's `seen` for the word counts."""
        k1, b, _power = ranking.term_params(text)
        avgfl = self.s.avg_field_length(field) or 1
        every = SegmentIds()
        self.evaluator.seen[(field, text)] = every
        get = acc.get
        for sub, offset in self.leaves:
            reader = sub.reader()
            m, deleted = term_postings(reader, field, text)
            if m is None:
                continue
            norms = self.evaluator.length_norms(reader, offset, field, k1, b, avgfl)
            if is_block_matcher(m):
                blocks = []
                for ids in posting_blocks(m):
                    blocks.append(ids)
                    weights = block_weights(m)
                    if deleted:
                        for d, w in zip(ids, weights):
                            if d not in deleted:
                                key = d + offset
                                acc[key] = get(key, 0.0) + factor * w / (w + norms[d])
                    else:
                        # factor * w / (w + norm): ranking.bm25, inlined (the innermost loop)
                        for d, w in zip(ids, weights):
                            key = d + offset
                            acc[key] = get(key, 0.0) + factor * w / (w + norms[d])
                every.add_blocks(offset, blocks, deleted)
            else:
                ids = []
                while m.is_active():
                    d, w = m.id(), m.weight()
                    if d not in deleted:
                        ids.append(d)
                        key = d + offset
                        acc[key] = get(key, 0.0) + ranking.bm25(factor, w, norms[d])
                    m.next()
                every.add_blocks(offset, [ids], ())

    def _lookup(self, field, text, weight, candidates, acc, pruned):
        """Add one term's contribution to `candidates` (sorted global docnums); its posting
        blocks go to `pruned` for the total (None: no total asked, and the postings out of
        the candidates' reach are not read).

        When the candidates are many next to the term's postings (two common words), its
        weights are read in the same pass as its ids and the candidates picked out of each
        block; when they are few, the matcher skips to each of them instead.
        """
        s = self.s
        k1, b, _power = ranking.term_params(text)
        factor = bm25_factor(s.idf(field, text), k1, weight)
        avgfl = s.avg_field_length(field) or 1
        every = SegmentIds()     # this term's documents, for the word counts (coverage)
        if pruned is not None:
            self.evaluator.seen[(field, text)] = every
        for sub, offset in self.leaves:
            reader = sub.reader()
            size = reader.doc_count_all()
            lo = bisect_left(candidates, offset)
            hi = bisect_left(candidates, offset + size, lo)
            local = candidates[lo:hi] if not offset else [d - offset for d in candidates[lo:hi]]
            if not local and pruned is None:
                continue
            m, deleted = term_postings(reader, field, text)
            if m is None:
                continue
            norms = self.evaluator.length_norms(reader, offset, field, k1, b, avgfl) if local else None
            blocks = []
            if is_block_matcher(m) and len(local) * DENSE_LOOKUP > reader.doc_frequency(field, text):
                wanted = set(local) - set(deleted) if deleted else set(local)
                for block in posting_blocks(m):
                    blocks.append(block)
                    if not wanted.isdisjoint(block):
                        for d, w in zip(block, block_weights(m)):
                            if d in wanted:
                                acc[d + offset] += ranking.bm25(factor, w, norms[d])
            else:
                if pruned is not None:
                    if is_block_matcher(m):
                        m2, _deleted = term_postings(reader, field, text)
                        blocks.extend(posting_blocks(m2))
                    else:
                        blocks.append(list(m.all_ids()))
                        m, _deleted = term_postings(reader, field, text)
                for d in local:
                    if not m.is_active():
                        break
                    m.skip_to(d)
                    if m.is_active() and m.id() == d and d not in deleted:
                        w = m.weight()
                        acc[d + offset] += factor * w / (w + norms[d])
            if pruned is not None:
                every.add_blocks(offset, blocks, deleted)
                pruned.append((offset, blocks, deleted))


class SegmentIds:
    """A term's documents as (segment offset, local ids), made global docnums only if the
    word counts ask (`Evaluator.ids`): most searches never do for most terms. The ids are
    kept as read (a set, or the posting blocks with the deleted ids to leave out)."""

    def __init__(self):
        self.parts: list[tuple[int, object, object]] = []

    def add(self, offset: int, ids: set) -> None:
        self.parts.append((offset, (ids,), ()))

    def add_blocks(self, offset: int, blocks: list, deleted) -> None:
        self.parts.append((offset, blocks, deleted))

    def docnums(self) -> set:
        out: set = set()
        for offset, blocks, deleted in self.parts:
            local: set = set()
            for ids in blocks:
                local.update(ids)
            if deleted:
                local.difference_update(deleted)
            out.update(local if not offset else map(offset.__add__, local))
        return out


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


def _add_pruned(found: set, pruned: list) -> None:
    """The documents of the pruned terms' posting blocks into `found` (global docnums), a
    segment's deleted documents left out."""
    deleted_of: dict = {}
    for offset, blocks, deleted in pruned:
        if deleted:
            deleted_of[offset] = deleted
        for ids in blocks:
            found.update(ids if not offset else map(offset.__add__, ids))
    for offset, deleted in deleted_of.items():
        found.difference_update(d + offset for d in deleted)


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
