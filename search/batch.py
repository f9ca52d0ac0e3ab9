"""Batch runs: every query of a JSONL file ranked, written as a TREC run.

`defsearch search --batch FILE --run OUT` (which bench/quality.py runs) calls it. With
several processes, forked workers each keep one Engine (one searcher) for their share of
the queries; rankings come back in query order, so the run file is the same for any
`procs`.
"""
from __future__ import annotations

import json
import sys

from search.errors import DefsearchError, QueryError
from search.query import filters


def run_batch(engine, batch: str, run: str, limit: int, tag: str, expand: bool,
              procs: int = 1, translate: bool = True) -> int:
    """Write a TREC run for every query of a {"id", "text"} JSONL file to `run` ('-' for
    stdout); returns the count. A line may also hold "lang" (en, zh, ...: the passages'
    language, as `--lang`). A bad line is a DefsearchError naming it."""
    queries = []
    try:
        with open(batch, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    lang = item.get("lang")
                    queries.append((str(item["id"]), (str(item["text"]),
                                                      None if lang is None else str(lang))))
                except (ValueError, KeyError, TypeError, AttributeError):
                    raise DefsearchError(f"{batch}:{lineno}: expected a JSON object with "
                                         "\"id\" and \"text\"") from None
                if lang is not None:
                    try:
                        filters.languages(lang, filters.BATCH)
                    except QueryError as err:
                        raise DefsearchError(f"{batch}:{lineno}: {err}") from None
                qid = queries[-1][0]
                if not qid or any(ch.isspace() or not ch.isprintable() for ch in qid):
                    raise DefsearchError(f"{batch}:{lineno}: query id {qid!r} has a space or "
                                         "control character: TREC run lines cannot hold it")
    except OSError as err:
        raise DefsearchError(f"cannot read {batch}: {err.strerror or err}") from None
    out = open(run, "w", encoding="utf-8") if run != "-" else sys.stdout
    try:
        for qid, ranked in zip((q for q, _ in queries),
                               rank_all(engine, [t for _, t in queries], limit, expand, procs,
                                        translate)):
            for rank, (pid, score) in enumerate(ranked, 1):
                out.write(f"{qid} Q0 {pid} {rank} {score:.4f} {tag}\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return len(queries)


_WORKER = {}


def _worker_init(index_dir, limit, expand, translate):
    from search.engine.engine import Engine
    _WORKER.update(engine=Engine(index_dir), limit=limit, expand=expand, translate=translate)


def _worker_rank(query):
    text, lang = query
    return _WORKER["engine"].rank(text, _WORKER["limit"], expand=_WORKER["expand"],
                                  translate=_WORKER["translate"], lang=lang)


def rank_all(engine, texts, limit, expand, procs, translate=True):
    """Rankings in query order of `texts`, each (text, lang or None); with procs > 1 (and
    enough queries) forked workers each keep one Engine (one searcher) for their share."""
    if procs <= 1 or len(texts) < 64:
        return [engine.rank(t, limit, expand=expand, translate=translate, lang=lang)
                for t, lang in texts]
    import multiprocessing
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(procs, initializer=_worker_init,
                  initargs=(engine.index_dir, limit, expand, translate)) as pool:
        return pool.map(_worker_rank, texts, chunksize=16)
