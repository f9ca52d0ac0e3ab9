"""The forked workers of a build (`search.index.workers.run_forked`, shared by the Whoosh
and the OpenSearch builds): results come back per share, a worker's error reaches the
parent as itself, and a worker that dies without a word is one `defsearch:`-style
message saying what was left as it was."""
from __future__ import annotations

import os

import pytest

from search.errors import DefsearchError
from search.index.workers import run_forked


def _sums(numbers, counters, slot, results):
    counters[slot] += len(numbers)
    results.put((slot, sum(numbers), None))


def _fails(numbers, counters, slot, results):
    results.put((slot, None, DefsearchError(f"share {slot} could not be read")))


def _dies(numbers, counters, slot, results):
    os._exit(3)


def test_each_share_gives_its_result_and_progress_reaches_the_total():
    seen = []
    got = run_forked(_sums, lambda slot, share: (share,), [[1, 2], [3, 4, 5]], 5,
                     lambda done, total: seen.append((done, total)), died="nothing changed")
    assert got == {0: 3, 1: 12}
    assert seen[-1] == (5, 5)


def test_a_workers_error_is_raised_in_the_parent():
    with pytest.raises(DefsearchError, match=r"^share [01] could not be read$"):
        run_forked(_fails, lambda slot, share: (share,), [[1], [2]], 2, None,
                   died="nothing was changed")


def test_a_worker_that_dies_is_named_with_what_was_kept():
    with pytest.raises(DefsearchError) as err:
        run_forked(_dies, lambda slot, share: (share,), [[1], [2]], 2, None,
                   died="nothing was changed")
    assert str(err.value) == ("an indexing worker died (exit status 3): nothing was "
                              "changed; see the system log (out of memory?)")
