"""Write new documents into Whoosh segments, in this process or in forked workers.

`write_segments(ix, jobs, ...)` analyses and writes every job's documents with a
`FastSegmentWriter` and returns the finished segments; the caller's own writer (which holds
the index lock, applies deletions and writes the TOC) adds them to the index. With
`procs > 1` the work is split into contiguous shares of about equal text, one per worker
process. Workers are forked, so they start with the parent's jieba dictionary already in
memory; a job is a small handle (the indexer's: a record number of its spill file,
`search.index.spill`) and `docs_of(job)` reads its documents in the worker, so no worker
holds more than one article at a time and the parent only waits and reports progress.
"""
from __future__ import annotations

import multiprocessing
import queue
import time
from typing import Callable, Iterable

from search.errors import DefsearchError

def split_jobs(jobs, weights: list[int], parts: int) -> list[list]:
    """Contiguous shares of `jobs` with about equal total weight (order kept)."""
    total = sum(weights) or 1
    shares: list[list] = [[] for _ in range(parts)]
    acc = 0
    for job, weight in zip(jobs, weights):
        k = min(parts - 1, acc * parts // total)
        shares[k].append(job)
        acc += weight
    return [s for s in shares if s]


def _write_share(ix, jobs: Iterable, docs_of: Callable, limitmb: int, codec,
                 tick: Callable[[int], None], failures: list):
    """Write the documents of `jobs` into one new segment; returns the segment or None.

    A document whose analysis fails is left out and reported in `failures` (naming it);
    the rest are written.
    """
    from search.index.writer import FastSegmentWriter
    from search.whoosh_internals import abandon_segment, finish_segment

    writer = FastSegmentWriter(ix, _lk=False, limitmb=limitmb, codec=codec)
    try:
        for job in jobs:
            passages = 0
            for doc in docs_of(job):
                try:
                    writer.add_document(**doc)
                except Exception as err:    # noqa: BLE001 - one document, reported
                    failures.append(f"{doc.get('source', '?')}: {doc.get('pid', '?')} not "
                                    f"indexed: {type(err).__name__}: {err}")
                    continue
                passages += doc.get("kind") == "p"
            tick(passages)
        return finish_segment(writer)
    except BaseException:
        abandon_segment(writer)
        raise


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the `defsearch index` parent dies
    (kill -9 included), instead of leaving it running for nothing."""
    import signal

    # The parent handles Ctrl-C / `kill` and terminates its workers: no handler of its own
    # (inherited through fork) may turn that into a traceback here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGKILL))   # PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker(ix, jobs, docs_of, limitmb, codec, counters, slot, results) -> None:
    _die_with_parent()
    try:
        def tick(n):
            counters[slot] += n
        failures: list[str] = []
        segment = _write_share(ix, jobs, docs_of, limitmb, codec, tick, failures)
        results.put((slot, (segment, failures), None))
    except BaseException as err:     # noqa: BLE001 - reported to the parent, which raises
        # an OSError (a full disk) goes as itself: the parent says what to do about it
        results.put((slot, None, err if isinstance(err, OSError) else DefsearchError(
            f"indexing failed in a worker process: {type(err).__name__}: {err}")))


def write_segments(ix, jobs, weights: list[int], docs_of: Callable, *, procs: int,
                   limitmb: int, codec, total: int, failures: list,
                   progress: Callable[[int, int], None] | None = None) -> list:
    """The new segments holding the documents of `jobs` (see module docstring).

    `weights` (e.g. characters per job) balance the shares; `progress(done, total)` is
    called with passage counts and may raise to abort, which stops the workers. Documents
    that could not be analysed are reported in `failures`.
    """
    shares = split_jobs(jobs, weights, max(1, procs))
    if len(shares) <= 1:
        segment = _write_share(ix, jobs, docs_of, limitmb, codec, ticker(progress, total),
                               failures)
        return [segment] if segment is not None else []

    from search.index.writer import warm_fast_paths

    warm_fast_paths(ix.schema)
    results = run_forked(_worker, lambda slot, share: (ix, share, docs_of, limitmb, codec),
                         shares, total, progress, died="nothing was changed")
    segments = []
    for slot in sorted(results):
        segment, problems = results[slot]
        failures.extend(problems)
        if segment is not None:
            segments.append(segment)
    return segments


def ticker(progress, total: int):
    """`tick(n)`: n more passages done, reported as `progress(done, total)` (the serial
    path of a build, where no worker counters exist)."""
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if progress:
            progress(done[0], total)
    return tick


def run_forked(target: Callable, args_of: Callable, shares: list, total: int,
               progress: Callable[[int, int], None] | None, died: str) -> dict:
    """{slot: result} of one forked process per share: `target(*args_of(slot, share),
    counters, slot, results)` adds the passages it has done to `counters[slot]` and puts
    `(slot, result, error)` on `results` when it ends, `error` None or the exception the
    parent raises. The parent reports `progress(done, total)` from the counters (which may
    raise to abort: the workers are stopped); a worker that dies without a word is one
    DefsearchError saying `died` (what it left as it was). Shared by the Whoosh build and
    the OpenSearch one (`search.backends.opensearch.bulk`).
    """
    import gc

    ctx = multiprocessing.get_context("fork")
    counters = ctx.Array("q", len(shares), lock=False)
    results = ctx.Queue()
    workers = [ctx.Process(target=target, daemon=True,
                           args=(*args_of(slot, share), counters, slot, results))
               for slot, share in enumerate(shares)]
    # Freezing the collector keeps the parent's objects (the manifest entries, the id
    # registry) in pages the workers share: a collection in a worker would otherwise touch,
    # and copy, them all.
    gc.freeze()
    try:
        for worker in workers:
            worker.start()
        done_by: dict[int, object] = {}
        last = -1
        while len(done_by) < len(workers):
            done = sum(counters)
            if progress and done != last:
                progress(done, total)
                last = done
            try:
                slot, result, error = results.get(timeout=0.2)
            except queue.Empty:
                dead = [w for w in workers if not w.is_alive() and w.exitcode]
                if dead and results.empty():
                    time.sleep(0.2)       # a result may still be in the pipe
                    if results.empty():
                        raise DefsearchError(
                            f"an indexing worker died (exit status {dead[0].exitcode}): "
                            f"{died}; see the system log (out of memory?)")
                continue
            if error is not None:
                raise error
            done_by[slot] = result
        if progress:
            progress(sum(counters), total)
        for worker in workers:
            worker.join()
        return done_by
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join(5)
        results.close()
        gc.unfreeze()
