"""A term's postings as numpy arrays, decoded once per generation, and doc sets built on them.

Scoring, counting and co-occurrence all walk the same posting lists: a keyword query at 100k
passages reads ~50 of them, many shared with the last query (中國, 美國, 軍事). Whoosh gives
a posting at a time through Python method calls (780k calls for the co-occurrence sets of
300 queries); `whoosh_internals.posting_arrays` decodes a list block by block into two
arrays, and `Postings` keeps the decoded lists of a generation (its postings never change)
up to POSTINGS_BUDGET postings, so a common term is decoded once, not once per query.
"""
from __future__ import annotations

import numpy as np

from search.whoosh_internals import posting_arrays

POSTINGS_BUDGET = 4_000_000    # postings a generation keeps decoded (16 bytes each: 64 MB)
EMPTY = np.zeros(0, dtype=np.int64)


class Postings:
    """Decoded posting lists of one searcher's segments, cached in the generation's
    `cache` (a dict shared by every searcher of the generation)."""

    def __init__(self, searcher, cache: dict):
        self.s = searcher
        self.leaves = searcher.leaf_searchers()
        self.store = cache.setdefault("postings", {})
        self.cache = cache

    def segment(self, reader, offset: int, field: str, text: str):
        """(local ids, weights) of the term's live postings in one segment, or None."""
        key = (offset, field, text)
        found = self.store.get(key, False)
        if found is False:
            found = posting_arrays(reader, field, text)
            size = 0 if found is None else len(found[0])
            held = self.cache.get("postings-held", 0) + size + 1
            if held > POSTINGS_BUDGET:
                self.store.clear()
                held = size + 1
            self.cache["postings-held"] = held
            self.store[key] = found
        return found

    def ids(self, field: str, text: str) -> np.ndarray:
        """The global docnums holding the term (ascending; deleted ones left out)."""
        if field not in self.s.schema:
            return EMPTY
        parts = []
        for sub, offset in self.leaves:
            got = self.segment(sub.reader(), offset, field, text)
            if got is not None and len(got[0]):
                parts.append(got[0] + offset if offset else got[0])
        if not parts:
            return EMPTY
        return parts[0] if len(parts) == 1 else np.concatenate(parts)


class DocIds:
    """A read-only set of docnums held as an ascending array: `len`, truth, `&` (another
    DocIds) and `in`, as the frozensets it replaces for co-occurrence counts
    (`glossary.translate.cohere` needs intersection sizes only)."""

    __slots__ = ("ids",)

    def __init__(self, ids: np.ndarray):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __bool__(self) -> bool:
        return len(self.ids) > 0

    def __and__(self, other: "DocIds") -> "DocIds":
        a, b = (self.ids, other.ids) if len(self.ids) <= len(other.ids) else \
            (other.ids, self.ids)
        if not len(a) or not len(b):
            return DocIds(EMPTY)
        at = np.searchsorted(b, a)
        at[at == len(b)] = 0
        return DocIds(a[b[at] == a])

    def __contains__(self, docnum) -> bool:
        at = int(np.searchsorted(self.ids, docnum))
        return at < len(self.ids) and int(self.ids[at]) == docnum

    def __iter__(self):
        return iter(self.ids.tolist())
