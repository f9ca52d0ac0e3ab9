#!/usr/bin/env python3
"""Top-k overlap of two TREC runs of the same queries (the OpenSearch parity figure).

    .venv/bin/python bench/overlap.py bench/out/run-SET.trec bench/out/run-SET-opensearch.trec [--k 10]

Per query, the share of run A's top k that run B also has in its top k; prints the mean,
the first-result agreement and the queries below 90%.
"""
from __future__ import annotations

import argparse
from collections import defaultdict


def top(path: str, k: int) -> dict[str, list[str]]:
    runs: dict = defaultdict(list)
    for line in open(path, encoding="utf-8"):
        qid, _q0, doc, rank, _score, _tag = line.split()
        runs[qid].append((int(rank), doc))
    return {q: [d for _r, d in sorted(v)[:k]] for q, v in runs.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--k", type=int, default=10)
    args = ap.parse_args(argv)
    a, b = top(args.a, args.k), top(args.b, args.k)
    shares, first, low = [], 0, []
    for q, docs in a.items():
        if not docs:
            continue
        got = b.get(q, [])
        share = len(set(docs) & set(got)) / len(docs)
        shares.append(share)
        first += bool(got) and got[0] == docs[0]
        if share < 0.9:
            low.append((share, q))
    print(f"queries {len(shares)}  top-{args.k} overlap {sum(shares) / len(shares):.1%}  "
          f"same first {first / len(shares):.1%}")
    for share, q in sorted(low)[:20]:
        print(f"  {q}: {share:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
