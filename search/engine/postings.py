"""A term's postings as numpy arrays, decoded once per generation, and doc sets built on them.

Scoring, counting and co-occurrence all walk the same posting lists: a keyword query at 100k
passages reads ~50 of them, many shared with the last query (中國, 美國, 軍事). Whoosh gives
a posting at a time through Python method calls (780k calls for the co-occurrence sets of
300 queries); `whoosh_internals.posting_arrays` decodes a list block by block into two
arrays, and `Postings` keeps the decoded lists of a generation (its postings never change)
up to POSTINGS_BUDGET bytes, least recently used dropped first, so a common term is decoded
once, not once per query. Decoding is the cost that grows with the corpus (a question at
a million passages reads ~600k postings, ~0.2-0.5 µs each to decode): the lists are kept as
int32 ids and float32 weights (8 bytes a posting: W3 stores weights as float32, so nothing
is lost; a list whose weights are not float32-exact keeps float64), and a least recently
used list is dropped rather than the whole cache, so the common terms every query shares
stay decoded while the rare ones come and go.
"""
from __future__ import annotations

import threading

import numpy as np

from search.whoosh_internals import posting_arrays

POSTINGS_BUDGET = 256 * 2**20  # bytes of decoded postings a generation keeps (~32M postings)
EMPTY = np.zeros(0, dtype=np.int64)
MASK_SHARE = 64       # DocIds set operations go through a mask of every docnum once the
                      # ids are at least 1/64 of the docnums (else sorting, binary search)


def _compact(ids: np.ndarray, weights: np.ndarray):
    """(int32 ids, float32 weights) when that loses nothing (else the float64 weights)."""
    if ids.dtype != np.int32 and len(ids) and int(ids[-1]) < 2**31:
        ids = ids.astype(np.int32)
    if weights.dtype == np.float32:     # a decoded list's (search.decoded_postings)
        return ids, weights
    small = weights.astype(np.float32)
    return ids, small if np.array_equal(small, weights) else weights


class Postings:
    """Decoded posting lists of one searcher's segments, cached in the generation's
    `cache` (a dict shared by every searcher of the generation, and its threads)."""

    def __init__(self, searcher, cache: dict):
        self.s = searcher
        self.leaves = searcher.leaf_searchers()
        self.store = cache.setdefault("postings", {})    # oldest use first
        self.lock = cache.setdefault("postings-lock", threading.Lock())
        self.cache = cache

    def compact(self, reader, offset: int, field: str, text: str):
        """The compact (ids, weights) of one segment's list, or None; decoded at most once
        while it stays in the budget."""
        key = (offset, field, text)
        store = self.store
        found = store.get(key, False)
        if found is not False:
            with self.lock:                     # now the most recently used
                if key in store:
                    store[key] = store.pop(key)
            return found
        found = posting_arrays(reader, field, text)
        if found is not None:
            found = _compact(*found)
        size = _nbytes(found)
        with self.lock:
            if key not in store:
                store[key] = found
                held = self.cache.get("postings-held", 0) + size
                while held > POSTINGS_BUDGET and len(store) > 1:
                    held -= _nbytes(store.pop(next(iter(store))))
                self.cache["postings-held"] = held
        return found

    def segment(self, reader, offset: int, field: str, text: str):
        """(local ids, float64 weights) of the term's live postings in one segment, or
        None."""
        found = self.compact(reader, offset, field, text)
        if found is None or found[1].dtype == np.float64:
            return found
        return found[0], found[1].astype(np.float64)

    def ids(self, field: str, text: str) -> np.ndarray:
        """The global docnums holding the term (ascending; deleted ones left out)."""
        if field not in self.s.schema:
            return EMPTY
        parts = []
        for sub, offset in self.leaves:
            got = self.compact(sub.reader(), offset, field, text)
            if got is not None and len(got[0]):
                parts.append(got[0] + offset if offset else got[0])
        if not parts:
            return EMPTY
        return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _nbytes(found) -> int:
    """What one cached list holds (64 bytes for an absent term's entry)."""
    return 64 if found is None else 64 + found[0].nbytes + found[1].nbytes


class DocIds:
    """A read-only set of docnums held as an ascending array of distinct ids: `len`, truth,
    `in`, iteration, `&`, `|`, `-` (with another DocIds or any set of docnums) and `ids`
    (the array itself, which the facet counts index with). Co-occurrence counts
    (`glossary.translate.cohere`), the word counts (`search.engine.coverage`) and the
    matched set of a search (`pruning.Matched`) are sets of up to every passage: at a
    million passages a Python set of them costs tens of ms to build, the array a copy.
    """

    __slots__ = ("ids", "_set", "_asked")

    def __init__(self, ids: np.ndarray):
        self.ids = ids
        self._set = None
        self._asked = 0

    @classmethod
    def of(cls, docs) -> "DocIds":
        """`docs` as a DocIds: a DocIds, an ascending array of distinct ids, a
        `pruning.TermIds`, or any iterable of distinct docnums (a set, dict keys)."""
        if isinstance(docs, DocIds):
            return docs
        if isinstance(docs, np.ndarray):
            return cls(docs)
        parts = getattr(docs, "parts", None)
        if parts is not None:
            return cls(EMPTY if not parts else parts[0] if len(parts) == 1
                       else np.concatenate(parts))
        ids = np.fromiter(docs, dtype=np.int64, count=len(docs))
        ids.sort()
        return cls(ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __bool__(self) -> bool:
        return len(self.ids) > 0

    def __and__(self, other) -> "DocIds":
        other = DocIds.of(other)
        a, b = (self.ids, other.ids) if len(self.ids) <= len(other.ids) else \
            (other.ids, self.ids)
        if not len(a) or not len(b):
            return DocIds(EMPTY)
        return DocIds(a[_found(b, a)])

    __rand__ = __and__

    def __or__(self, other) -> "DocIds":
        return self.union(other)

    __ror__ = __or__

    def __sub__(self, other) -> "DocIds":
        other = DocIds.of(other)
        if not len(self.ids) or not len(other.ids):
            return self
        return DocIds(self.ids[~_found(other.ids, self.ids)])

    def union(self, *others) -> "DocIds":
        """The docnums in this set or any of `others`."""
        arrays = [a for a in [self.ids] + [DocIds.of(o).ids for o in others] if len(a)]
        if len(arrays) <= 1:
            return DocIds(arrays[0]) if arrays else DocIds(EMPTY)
        total = sum(len(a) for a in arrays)
        top = max(int(a[-1]) for a in arrays) + 1
        if total * MASK_SHARE < top:        # a few: sorted, repeats dropped
            ids = np.sort(np.concatenate(arrays))
            return DocIds(ids[np.concatenate(([True], ids[1:] != ids[:-1]))])
        mask = np.zeros(top, dtype=bool)    # many: one pass over a mask of the docnums
        for a in arrays:
            mask[a] = True
        return DocIds(np.flatnonzero(mask))

    def __contains__(self, docnum) -> bool:
        if self._set is not None:
            return docnum in self._set
        self._asked += 1
        if self._asked > 32:            # asked for many: a hashed set answers faster
            self._set = frozenset(self.ids.tolist())
            return docnum in self._set
        at = int(np.searchsorted(self.ids, docnum))
        return at < len(self.ids) and int(self.ids[at]) == docnum

    def __iter__(self):
        return iter(self.ids.tolist())


def _found(haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """Which of `needles` are in `haystack` (both ascending), as a boolean array: binary
    searches for a few needles, a mask of the docnums for many (500k in 500k at a million
    passages: 0.8 ms, against 23 ms of binary searches)."""
    if not len(haystack) or not len(needles):
        return np.zeros(len(needles), dtype=bool)
    top = max(int(haystack[-1]), int(needles[-1])) + 1
    if len(needles) * MASK_SHARE >= top:
        mask = np.zeros(top, dtype=bool)
        mask[haystack] = True
        return mask[needles]
    at = np.searchsorted(haystack, needles)
    at[at == len(haystack)] = 0
    return haystack[at] == needles
