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

from search import ranking
from search.ranking import bm25_factor
from search.whoosh_internals import (block_weights, is_block_matcher, posting_blocks,
                                     term_postings)

PRUNE_MIN_DF = 512    # shorter posting lists are cheaper to read than to prune
DENSE_LOOKUP = 8      # a pruned term is scanned, not skipped through, when it has fewer than
                      # this many postings per candidate (a skip costs ~8 scanned postings)


def top_k(evaluator, q, k: int, matched: set | None = None
          ) -> tuple[list[tuple[int, float]], int]:
    """The k best (docnum, score) of query `q` and the number of matching documents:
    MaxScore when `q` is a sum of weighted terms (and no explain trace is kept), else every
    match scored by `evaluator.run`. With `matched` (a set), every matching docnum is added
    to it (facets and counts over the whole result set)."""
    leaves = _flatten(q) if evaluator.trace is None else None
    if not leaves or k <= 0:
        acc = evaluator.run(q)
        if matched is not None:
            matched.update(acc)
        return top(acc, k, lambda d: evaluator.s.stored_fields(d)["pid"]), len(acc)
    return MaxScore(evaluator).top(leaves, k, matched)


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

    def top(self, leaves, k, matched: set | None = None):
        """The k best (docnum, score) of the sum of `leaves` ((field, text, weight)), and
        the number of matching documents (each added to `matched` when given)."""
        infos = [i for i in (self._leaf_info(*leaf) for leaf in leaves) if i]
        infos.sort(key=lambda i: -i[0])
        remaining = [0.0] * (len(infos) + 1)
        for n in range(len(infos) - 1, -1, -1):
            remaining[n] = remaining[n + 1] + infos[n][0]
        acc: dict = {}
        candidates = None
        theta = 0.0
        extra_ids: dict = {}         # docs of pruned terms, for the total: offset -> set
        for n, (factor, df, field, text, weight) in enumerate(infos):
            if candidates is None and len(acc) >= k and df > PRUNE_MIN_DF:
                theta = heapq.nlargest(k, acc.values())[-1]
                if theta >= remaining[n]:
                    candidates = sorted(d for d, v in acc.items() if v + remaining[n] >= theta)
            if candidates is None:
                for d, v in self.evaluator.term(field, text, weight).items():
                    acc[d] = acc.get(d, 0.0) + v
            else:
                self._lookup(field, text, weight, candidates, acc, extra_ids)
                candidates = [d for d in candidates if acc[d] + remaining[n + 1] >= theta]
        total = len(acc)
        if matched is not None:
            matched.update(acc)
            for offset, ids in extra_ids.items():
                matched.update(ids if not offset else map(offset.__add__, ids))
            total = len(matched)
        elif extra_ids:
            for offset, ids in extra_ids.items():
                size = self._segment_size(offset)
                total += len(ids - {d - offset for d in acc if offset <= d < offset + size})
        if candidates is not None:
            acc = {d: acc[d] for d in candidates} if len(candidates) >= k else acc
        return top(acc, k, self._pid), total

    def _pid(self, docnum: int) -> str:
        return self.s.stored_fields(docnum)["pid"]

    def _segment_size(self, offset):
        for sub, off in self.leaves:
            if off == offset:
                return sub.reader().doc_count_all()
        return 0

    def _lookup(self, field, text, weight, candidates, acc, extra_ids):
        """Add one term's contribution to `candidates` (sorted global docnums); collect the
        ids of every document it matches into `extra_ids` for the total.

        The term's ids are read whole anyway (for the total). When the candidates are many
        next to the term's postings (two common words), its weights are read in the same
        pass and the candidates picked out of each block; when they are few, the matcher
        skips to each of them instead.
        """
        s = self.s
        k1, b, _power = ranking.term_params(text)
        factor = bm25_factor(s.idf(field, text), k1, weight)
        avgfl = s.avg_field_length(field) or 1
        every = SegmentIds()     # this term's documents, for the word counts (coverage)
        self.evaluator.seen[(field, text)] = every
        for sub, offset in self.leaves:
            reader = sub.reader()
            size = reader.doc_count_all()
            local = [d - offset for d in candidates if offset <= d < offset + size]
            m, deleted = term_postings(reader, field, text)
            if m is None:
                continue
            ids = set()
            norms = self.evaluator.length_norms(reader, offset, field, k1, b, avgfl) if local else None
            dense = is_block_matcher(m) and \
                len(local) * DENSE_LOOKUP > reader.doc_frequency(field, text)
            if dense:
                wanted = set(local) - set(deleted) if deleted else set(local)
                for block in posting_blocks(m):
                    ids.update(block)
                    if not wanted.isdisjoint(block):
                        for d, w in zip(block, block_weights(m)):
                            if d in wanted:
                                acc[d + offset] += ranking.bm25(factor, w, norms[d])
                if deleted:
                    ids.difference_update(deleted)
                _merge_ids(extra_ids, every, offset, ids)
                continue
            if is_block_matcher(m):
                m2, _deleted = term_postings(reader, field, text)
                for block in posting_blocks(m2):
                    ids.update(block)
            else:
                ids.update(m.all_ids())
                m, _deleted = term_postings(reader, field, text)
            if deleted:
                ids.difference_update(deleted)
            _merge_ids(extra_ids, every, offset, ids)
            for d in local:
                if not m.is_active():
                    break
                m.skip_to(d)
                if m.is_active() and m.id() == d and d not in deleted:
                    w = m.weight()
                    acc[d + offset] += factor * w / (w + norms[d])


class SegmentIds:
    """A pruned term's documents as (segment offset, local ids), made global docnums only
    if the word counts ask (`Evaluator.ids`): most searches never do for most terms."""

    def __init__(self):
        self.parts: list[tuple[int, set]] = []

    def add(self, offset: int, ids: set) -> None:
        self.parts.append((offset, ids))

    def docnums(self) -> set:
        out: set = set()
        for offset, ids in self.parts:
            out.update(ids if not offset else map(offset.__add__, ids))
        return out


def _merge_ids(extra_ids: dict, every: SegmentIds, offset: int, ids: set) -> None:
    """One term's ids in one segment into the segment's pruned ids and the term's own."""
    extra_ids.setdefault(offset, set()).update(ids)
    every.add(offset, ids)


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
