#!/usr/bin/env python3
"""What the meaning vectors cost a search: the same queries on the same index with and
without them.

    .venv/bin/python bench/semantic_speed.py [--index bench/out/xling-index-semantic] [--queries 200]

In-process `Engine.search(q, limit=10)` (snippets, footnotes, true counts) after a warm-up,
alternating `semantic=True` and `semantic=False` query by query so both see the same load:
p50/p95 for keyword, question and cross-language queries (bench/speed.py's query sets).
The index is one `bench/quality.py --pool xling --semantic` built (8,569 passages).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import OUT, load_average, log, summary  # noqa: E402
from bench.speed import cross_language_queries, keyword_queries, question_queries  # noqa


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", default=str(OUT / "xling-index-semantic"))
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args(argv)
    from search.engine.engine import Engine

    engine = Engine(args.index)
    if engine._gen.vectors is None:
        log(f"defsearch: {args.index} has no meaning vectors: build it with "
            "`bench/quality.py --pool xling --semantic` first")
        return 2
    rows = {}
    for name, queries in (("keyword", keyword_queries(args.queries)),
                          ("question", question_queries(args.queries)),
                          ("cross-language", cross_language_queries(args.queries))):
        for q in queries[:10]:
            engine.search(q)
            engine.search(q, semantic=False)
        times = {True: [], False: []}
        for q in queries:
            for on in (True, False):
                started = time.perf_counter()
                engine.search(q, semantic=on)
                times[on].append((time.perf_counter() - started) * 1000)
        rows[name] = {"with": summary(times[True]), "without": summary(times[False])}
        log(name, json.dumps(rows[name]))
    print(f"load average {load_average()}")
    print("| queries | with vectors p50 / p95 ms | without p50 / p95 ms |")
    print("|---|---|---|")
    for name, r in rows.items():
        print(f"| {name} | {r['with']['p50_ms']} / {r['with']['p95_ms']} | "
              f"{r['without']['p50_ms']} / {r['without']['p95_ms']} |")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "semantic-speed.json").write_text(json.dumps({"rows": rows,
                                                          "load": load_average()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
