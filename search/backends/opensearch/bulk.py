"""`send_spill(...)`: analyse the spilled articles and bulk them into one physical index,
in this process or in forked workers.

The Python analysis (jieba, sub-words, bigrams, designators) is what a build waits for,
not the cluster: one process analysed ~127 passages/s on this 2-core machine while the
nodes idled, and then idled itself while each bulk request was answered. So each process
analyses the next request while the previous ones are in flight (`SENDERS`), and, as the Whoosh build does (`search.index.workers`), the articles parked in
an `ArticleSpill` are split into contiguous shares of about equal cost and each forked
worker analyses its share and sends it with its own client. Memory stays bounded: a worker
holds one article and SENDERS + 1 bulk requests (each at most BULK_CHUNK documents or
BULK_BYTES) at a time, the parent only the spill's offsets. The parent reports progress from the workers'
shared counters and raises the first error a worker reports.
"""
from __future__ import annotations

from search.backends.opensearch.client import ClusterError
from search.errors import DefsearchError

BULK_CHUNK = 500                # documents per bulk request
BULK_BYTES = 8 * 1024 * 1024    # ... or this many bytes, whichever comes first
SENDERS = 2                     # bulk requests in flight per process
MP_THRESHOLD = 1500             # passages before worker processes pay for themselves


def _send(client, index: str, spill, jobs, schema, tick) -> None:
    """Analyse and send the articles `jobs` (spill record numbers); `tick(n)` after each
    article with its passage count."""
    from opensearchpy import helpers

    from search.backends.opensearch.documents import cluster_docs

    def actions():
        for n in jobs:
            source, article = spill.get(n)
            for doc_id, doc in cluster_docs(article, source, schema):
                yield {"_index": index, "_id": doc_id, "_source": doc}
            tick(len(article.passages))

    # parallel_bulk analyses the next chunk while SENDERS requests wait on the cluster
    # (a 500-passage request took 1-3 s on the loaded machine, an idle analyser meanwhile)
    for ok, item in helpers.parallel_bulk(client, actions(), thread_count=SENDERS,
                                          queue_size=SENDERS, chunk_size=BULK_CHUNK,
                                          max_chunk_bytes=BULK_BYTES, raise_on_error=False):
        if not ok:
            info = next(iter(item.values()), {})
            raise ClusterError(f"OpenSearch refused passage {info.get('_id')!r}: "
                               f"{info.get('error')}")


def _worker(config, index, spill, jobs, schema, counters, slot, results) -> None:
    from search.backends.opensearch.client import connect, explain
    from search.index.workers import _die_with_parent

    _die_with_parent()
    try:
        client = connect(config)

        def tick(n):
            counters[slot] += n
        try:
            _send(client, index, spill, jobs, schema, tick)
        finally:
            client.close()
        results.put((slot, None, None))
    except BaseException as err:     # noqa: BLE001 - reported to the parent, which raises
        from opensearchpy import exceptions as ox

        if isinstance(err, ox.OpenSearchException):
            err = explain(err, config, "indexing")
        if isinstance(err, DefsearchError):
            kind = type(err) if isinstance(err, ClusterError) else DefsearchError
            results.put((slot, None, kind(str(err))))
        else:
            results.put((slot, None, DefsearchError("indexing failed in a worker process: "
                                                    f"{type(err).__name__}: {err}")))


def send_spill(client, config, index: str, spill, schema, procs: int, progress=None) -> None:
    """Every article of `spill` analysed by `schema` and indexed into `index` (see the
    module docstring); `progress(done, total)` with passage counts."""
    from search.index.workers import run_forked, split_jobs, ticker

    total = spill.passages
    # jieba and the lexicon loaded once, here: forked workers inherit them
    list(schema["body"].analyzer("中文"))
    shares = split_jobs(range(len(spill)), spill.costs,
                        max(1, procs) if total >= MP_THRESHOLD else 1)
    if len(shares) <= 1:
        _send(client, index, spill, range(len(spill)), schema, ticker(progress, total))
        return

    run_forked(_worker, lambda slot, share: (config, index, spill, share, schema), shares,
               total, progress, died="the alias still names the previous index")
