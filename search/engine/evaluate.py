"""The query-tree interpreter: a compiled Whoosh query scored term-at-a-time, BM25F.

A term's contribution is `ranking.bm25`: `bm25_factor` and `bm25_length_norm` come from
there, and the per-posting `factor * tf / (tf + norm)` is inlined in the loop here. Shapes
the interpreter does not know are run by Whoosh with `ranking.ScriptBM25F` (the same
formula). An Or's `scale` (Whoosh's coordination bonus, `ranking.COORD_SCALE`) is not
applied here: see that setting.
"""
from __future__ import annotations

import numpy as np

from search import ranking
from search.engine.postings import DocIds, Postings
from search.ranking import bm25_factor, bm25_length_norm
from search.whoosh_internals import (decoded_length, field_length_codes, prefix_terms,
                                     term_positions)


PID_CACHE_LIMIT = 200_000      # passage ids a generation remembers (about 20 MB)


class Evaluator:
    """Scores a whoosh.query tree term-at-a-time into {docnum: score}.

    Why not Whoosh's own matchers: a question query becomes an Or of ~100 term leaves (each
    word in five fields plus grams), and Whoosh walks them document-at-a-time through a tree
    of Python UnionMatchers, ~150 ms per question on 8.5k passages. Reading each leaf's
    posting blocks whole and adding BM25F contributions into one dict computes the same sums
    (an Or's score is the sum of its children's, a boost multiplies) at a fraction of the cost.
    Shapes other than Term/Or/And/AndMaybe/AndNot/ConstantScoreQuery (phrases, prefixes,
    ranges) are run by Whoosh itself, so every query keeps Whoosh's semantics.
    """

    def __init__(self, searcher, cache: dict, trace: bool = False):
        self.s = searcher
        self.cache = cache               # per generation: length norms, filter doc sets
        self.leaves = searcher.leaf_searchers()
        self.postings = Postings(searcher, cache)
        self.trace = [] if trace else None
        # (field, text) -> the documents of each term this search read (sets, read-only):
        # the word counts reuse them instead of reading postings again
        self.seen: dict = {}
        self._shared: set = set()      # ids of the term dicts `seen` looks into
        self._stored: dict = {}        # docnum -> stored fields, read once per search
        self.pruned_terms = 0          # terms `pruning.dense_top` scored for candidates only

    def stored(self, docnum: int) -> dict:
        """A passage's stored fields, read once per search (the reranks, the ties and the
        hits all ask for the same thirty passages; each read unpickles the whole passage)."""
        found = self._stored.get(docnum)
        if found is None:
            found = self._stored[docnum] = self.s.stored_fields(docnum)
        return found

    def pid(self, docnum: int) -> str:
        """A passage's id (equal scores rank in passage id order), remembered per
        generation: the same passages tie in search after search."""
        pids = self.cache.get("pids")
        if pids is None or len(pids) >= PID_CACHE_LIMIT:
            pids = self.cache["pids"] = {}
        found = pids.get(docnum)
        if found is None:
            found = pids[docnum] = self.stored(docnum)["pid"]
        return found

    def run(self, q) -> dict:
        from whoosh import query as wq

        kind = type(q)
        if kind is wq.Term:
            return self.term(q.fieldname, q.text, q.boost)
        if kind is wq.Or:
            acc: dict = {}
            for sub in q.subqueries:
                part = self.run(sub)
                if len(part) > len(acc):
                    acc, part = part, acc
                    if id(acc) in self._shared:
                        acc = dict(acc)
                get = acc.get
                for d, v in part.items():
                    acc[d] = get(d, 0.0) + v
            return _scaled(acc, q.boost)
        if kind is wq.And:
            parts = sorted((self.run(sub) for sub in q.subqueries), key=len)
            acc = dict(parts[0])
            for part in parts[1:]:
                acc = {d: v + part[d] for d, v in acc.items() if d in part}
            return _scaled(acc, q.boost)
        if kind is wq.AndMaybe:
            acc = self.run(q.a)
            if acc:
                extra = self.run(q.b)
                for d, v in extra.items():
                    if d in acc:
                        acc[d] += v
            return acc
        if kind is wq.AndNot:
            acc = self.run(q.a)
            if id(acc) in self._shared:
                acc = dict(acc)
            if acc:
                for d in self.docs(q.b):
                    acc.pop(d, None)
            return acc
        if kind is wq.ConstantScoreQuery:
            acc = dict.fromkeys(self.docs(q.child), q.score)
            if q.score and self.trace is not None:      # a scored field match, not a filter
                self.trace.append((f"whole word in {q.child}", dict(acc)))
            return acc
        if kind is wq.Prefix:
            return self.prefix(q)
        results = self.s.search(q, limit=None, optimize=False)
        acc = {d: float(sc) for sc, d in results.top_n}
        if self.trace is not None:
            self.trace.append((str(q), dict(acc)))
        return acc

    # -- top k with MaxScore pruning --------------------------------------------------------

    def top(self, q, k: int, matched: set | None = None, count: bool = True
            ) -> tuple[list[tuple[int, float]], int | None]:
        """The k best (docnum, score) and the number of matching documents, MaxScore-pruned
        when `q` is a sum of weighted terms (`search.engine.pruning`). Same scores as
        `run`. `matched` (a set) collects every matching docnum; `count` False (and no
        `matched`): the ranking alone, the number is None (a pruned term's postings out of
        reach are then not read)."""
        from search.engine.pruning import top_k

        return top_k(self, q, k, matched, count)

    def prefix(self, q) -> dict:
        """A prefix as the sum of its terms, each scored as a Term, over the terms live
        anywhere in the index. Whoosh's own choice (scored or constant) depends on the
        segment's term count, document count and the matcher it picks, so the same passage
        scored 21.2 in a fresh build and 1.0 after an update."""
        s = self.s
        if q.fieldname not in s.schema:
            return {}
        fieldobj = s.schema[q.fieldname]
        acc: dict = {}
        for btext in prefix_terms(q, s.reader()):
            if btext and s.doc_frequency(q.fieldname, btext) > 0:
                for d, v in self.term(q.fieldname, fieldobj.from_bytes(btext)).items():
                    acc[d] = acc.get(d, 0.0) + v
        return _scaled(acc, q.boost)

    def ids(self, field, text) -> DocIds:
        """The documents holding `text` in `field` (global docnums, deleted ones left out)
        as a `DocIds`: the doc sets behind counts and notices. A term this search already
        read is not read again."""
        seen = self.seen.get((field, text))
        if seen is not None:
            if not isinstance(seen, DocIds):    # pruning.TermIds, a score dict's keys
                seen = self.seen[(field, text)] = DocIds.of(seen)
            return seen
        out = DocIds(self.postings.ids(field, text))
        self.seen[(field, text)] = out
        return out

    def docs(self, q) -> frozenset:
        key = ("docs", repr(q))
        found = self.cache.get(key)
        if found is None:
            found = frozenset(self.s.docs_for_query(q))
            if len(self.cache) < 512:
                self.cache[key] = found
        return found

    def docs_among(self, q, candidates, limit: int | None = None) -> set:
        """The documents of `candidates` (global docnums) matching `q`, at most `limit`:
        its matcher skipped to each candidate in turn. A phrase check of the few passages
        not known otherwise costs a fraction of walking every passage holding its terms
        (`docs`)."""
        from bisect import bisect_left

        out: set = set()
        cands = sorted(candidates)
        for sub, offset in self.leaves:
            lo = bisect_left(cands, offset)
            hi = bisect_left(cands, offset + sub.doc_count_all(), lo)
            if lo == hi:
                continue
            m = q.matcher(sub)
            for d in cands[lo:hi]:
                local = d - offset
                if not m.is_active():
                    break
                if m.id() < local:
                    m.skip_to(local)
                    if not m.is_active():
                        break
                if m.id() == local:
                    out.add(d)
                    if limit is not None and len(out) >= limit:
                        return out
        return out

    def phrase_among(self, field: str, tokens: list[str], candidates,
                     limit: int | None = None) -> DocIds:
        """The documents of `candidates` (global docnums) holding `tokens` as a phrase in
        `field` (consecutive positions), at most `limit` (the first in docnum order):
        `docs_among(Phrase(field, tokens), ...)`, from the positions of the candidates'
        postings only (`whoosh_internals.term_positions`)."""
        from whoosh import query as wq

        cands = DocIds.of(candidates).ids
        found = []
        for sub, offset in self.leaves:
            lo, hi = np.searchsorted(cands, [offset, offset + sub.doc_count_all()])
            if lo == hi:
                continue
            local = cands[lo:hi] - offset
            reader = sub.reader()
            held = None                  # docnum -> set of phrase starts still possible
            for j, token in enumerate(tokens):
                got = term_positions(reader, field, token, local)
                if got is None:          # not a W3 segment: Whoosh's matcher
                    found.extend(self.docs_among(wq.Phrase(field, list(tokens)),
                                                 (local + offset).tolist()))
                    held = None
                    break
                if held is None:
                    held = {d: set(ps) for d, ps in got.items()}
                else:
                    held = {d: starts & {p - j for p in got[d]}
                            for d, starts in held.items() if d in got}
                    held = {d: starts for d, starts in held.items() if starts}
                if not held:
                    break
                local = np.array(sorted(held), dtype=np.int64)
            if held:
                found.extend(d + offset for d in sorted(held))
            if limit is not None and len(found) >= limit:
                break
        ids = np.array(sorted(found), dtype=np.int64)
        return DocIds(ids[:limit] if limit is not None else ids)

    def length_norms(self, reader, offset, field, k1, b, avgfl) -> np.ndarray:
        """BM25's length normalisation of each document of one segment (float64, cached
        per generation): `ranking.bm25_length_norm`."""
        key = ("norm", offset, field, k1, b)
        norms = self.cache.get(key)
        if norms is None:
            codes = field_length_codes(reader, field)
            if codes is not None:       # 256 possible lengths: each norm computed once
                table = np.array([bm25_length_norm(k1, b, decoded_length(c), avgfl)
                                  for c in range(256)])
                norms = table[np.frombuffer(codes, dtype=np.uint8)]
            else:
                length = reader.doc_field_length
                norms = np.array([bm25_length_norm(k1, b, length(d, field) or 0, avgfl)
                                  for d in range(reader.doc_count_all())], dtype=np.float64)
            self.cache[key] = norms
        return norms

    def contributions(self, field, text, factor, k1, b, avgfl):
        """(global docnums, BM25F contribution) of one term in each segment holding it:
        `factor * tf / (tf + norm)` (`ranking.bm25`) in float64, the operations in the order
        of the scalar formula, so each value is the one it gives, bit for bit."""
        for ids, w, norms, offset in self._segments(field, text, k1, b, avgfl):
            if w.dtype != np.float64:
                w = w.astype(np.float64)
            yield (ids + offset if offset else ids), factor * w / (w + norms[ids])

    def term_postings(self, field, text, k1, b, avgfl):
        """(global docnums, weights as held: float32 or float64, the segment's length
        norms, its offset) of one term in each segment holding it: what `contributions`
        computes from, for pruned scoring of a few of the documents."""
        for ids, w, norms, offset in self._segments(field, text, k1, b, avgfl):
            yield (ids + offset if offset else ids), w, norms, offset

    def _segments(self, field, text, k1, b, avgfl):
        """(local ids, weights as held, length norms, offset) of one term in each segment
        holding it."""
        for sub, offset in self.leaves:
            reader = sub.reader()
            got = self.postings.compact(reader, offset, field, text)
            if got is not None and len(got[0]):
                yield (*got, self.length_norms(reader, offset, field, k1, b, avgfl), offset)

    def term(self, field, text, boost=1.0) -> dict:
        s = self.s
        acc: dict = {}
        if field not in s.schema:
            return acc
        if s.schema[field].scorable:
            k1, b, _power = ranking.term_params(text)
            idf = s.idf(field, text)        # ranking.ScriptBM25F.idf: per-script power
            avgfl = s.avg_field_length(field) or 1
            factor = bm25_factor(idf, k1, boost)
            for ids, values in self.contributions(field, text, factor, k1, b, avgfl):
                acc.update(zip(ids.tolist(), values.tolist()))
        else:
            acc = dict.fromkeys(self.postings.ids(field, text).tolist(), 0.0)
        if self.trace is not None:
            self.trace.append((f"{field}:{text}" + (f"^{boost:g}" if boost != 1 else ""),
                               dict(acc)))
        self.seen[(field, text)] = acc.keys()
        self._shared.add(id(acc))               # `run` copies it before changing its keys
        return acc


def _scaled(acc: dict, boost: float) -> dict:
    if boost != 1.0:
        for d in acc:
            acc[d] *= boost
    return acc
