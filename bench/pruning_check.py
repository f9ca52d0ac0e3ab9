#!/usr/bin/env python3
"""The counted search's pruning (`pruning.dense_top`) against exhaustive scoring on a big index.

    .venv/bin/python bench/pruning_check.py --index bench/out/speed-index-1000000 [--queries 100]

For the keyword and question queries of bench/speed.py, the top 30 (the depth the reranks
read) and the match count of `Evaluator.top` (MaxScore inside the dense scoring):
  * equal those of the dense scoring without pruning (`PRUNE_MIN_DF` out of reach: every
    match scored, in the same term order), docnums and scores bit for bit;
  * and those of `Evaluator.run` (the query tree interpreted, every match scored, its
    sums in tree order, so scores equal to 1e-9), as the MaxScore-only ranking without a
    count (`Engine.rank`'s) does.
Prints how many queries pruned how many terms and every difference (there must be none);
exit 1 if any.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.speed import keyword_queries, question_queries  # noqa: E402


def close(a: list, b: list) -> bool:
    """The same docnums in the same order, scores equal to 1e-9 (relative)."""
    return [d for d, _ in a] == [d for d, _ in b] and all(
        abs(x - y) <= 1e-9 * max(1.0, abs(y)) for (_, x), (_, y) in zip(a, b))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--queries", type=int, default=100)
    args = ap.parse_args(argv)

    from search import ranking
    from search.engine.engine import Engine, _builder
    from search.engine.evaluate import Evaluator
    from search.engine import pruning
    from search.engine.pruning import top
    from search.errors import QueryError
    from search.query import compile

    engine = Engine(args.index)
    gen, s = engine._searcher()
    k = ranking.PROXIMITY_DEPTH
    bad = 0
    for kind, queries in (("keyword", keyword_queries(args.queries)),
                          ("question", question_queries(args.queries))):
        pruned_queries = pruned_terms = 0
        for text in queries:
            try:
                q = compile(_builder(gen, s, True).build(text))
            except QueryError:
                continue
            if q is None:
                continue
            dense = Evaluator(s, gen.cache)
            ranked, total = dense.top(q, k, set())
            pruning.PRUNE_MIN_DF, saved = float("inf"), pruning.PRUNE_MIN_DF
            try:
                unpruned, unpruned_total = Evaluator(s, gen.cache).top(q, k, set())
            finally:
                pruning.PRUNE_MIN_DF = saved
            exhaustive = Evaluator(s, gen.cache).run(q)
            want = top(exhaustive, k, dense.pid)
            ranked_only, _none = Evaluator(s, gen.cache).top(q, k, count=False)
            pruned_queries += dense.pruned_terms > 0
            pruned_terms += dense.pruned_terms
            if ranked != unpruned or total != unpruned_total or \
                    not close(ranked, want) or total != len(exhaustive) or \
                    not close(ranked_only, want):
                bad += 1
                print(f"DIFFERS {kind} {text!r}: total {total} vs {len(exhaustive)}, "
                      f"top {ranked[:3]} vs {unpruned[:3]} vs {want[:3]}", flush=True)
        print(f"{kind}: {len(queries)} queries, {pruned_queries} pruned ({pruned_terms} "
              f"terms scored for candidates only); differences so far: {bad}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
