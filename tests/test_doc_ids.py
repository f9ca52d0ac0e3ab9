"""`postings.DocIds`: the word counts, the matched set and co-occurrence are sets of
docnums held as sorted arrays; every operation must give what a Python set gives, through
both of its ways (binary search or sorting for a few ids, a mask of every docnum for
many)."""
from __future__ import annotations

import random

import numpy as np

from search.engine.postings import MASK_SHARE, DocIds


def _ids(rng, size, n):
    return sorted(rng.sample(range(size), n))


def test_doc_ids_operations_equal_python_sets():
    rng = random.Random(5)
    size = 50_000
    counts = (0, 1, 3, size // (4 * MASK_SHARE), size // MASK_SHARE + 1, size // 3, size // 2)
    for na in counts:
        for nb in counts:
            a, b = _ids(rng, size, na), _ids(rng, size, nb)
            da, db = DocIds(np.array(a, dtype=np.int64)), DocIds(np.array(b, dtype=np.int32))
            sa, sb = set(a), set(b)
            assert (da & db).ids.tolist() == sorted(sa & sb)
            assert (da & sb).ids.tolist() == (sb & da).ids.tolist() == sorted(sa & sb)
            assert (da | db).ids.tolist() == (sb | da).ids.tolist() == sorted(sa | sb)
            assert (da - db).ids.tolist() == (da - sb).ids.tolist() == sorted(sa - sb)
            assert da.union(db, {7, 9}).ids.tolist() == sorted(sa | sb | {7, 9})
            assert len(da) == len(sa) and bool(da) == bool(sa) and list(da) == a
            probes = rng.sample(range(size), 100)         # past 32 asks: a hashed set
            assert [p in da for p in probes] == [p in sa for p in probes]


def test_doc_ids_of_sets_keys_and_term_parts():
    from search.engine.pruning import Matched, TermIds

    assert DocIds.of({5, 1, 3}).ids.tolist() == [1, 3, 5]
    assert DocIds.of({9: 0.5, 2: 1.0}.keys()).ids.tolist() == [2, 9]
    parts = [np.array([1, 4]), np.array([10, 12], dtype=np.int32)]
    assert DocIds.of(TermIds(parts)).ids.tolist() == [1, 4, 10, 12]
    matched = Matched()
    assert len(matched) == 0 and 3 not in matched
    matched.update(np.array([2, 3, 8]))
    matched.update({1: 0.0, 3: 0.0})
    assert matched.ids.tolist() == [1, 2, 3, 8] and 3 in matched and 4 not in matched
